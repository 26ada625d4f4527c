"""Joining the staff: the welcome, which says in the new member's language where they work,
as what, and what they can write; and invites a supervisor gives in Telegram, as a one-time
code and as a t.me link (the bot's username is plain data from the composition root)."""

from __future__ import annotations

from datetime import datetime

from dialogs.core.i18n import N_, Translator
from dialogs.staff import access
from dialogs.staff.binding import queue_of
from dialogs.staff.words import phrase_at
from dialogs.types import Incoming
from storage import desk, staff
from storage.content import Content
from storage.rows import Conn
from storage.staff import Member, Role

ROLE_LABELS = {Role.STAFF: N_("staff member"), Role.SUPERVISOR: N_("supervisor")}


def role_label(t: Translator, role: str) -> str:
    """The role in words: "vadovas", "staff member"."""
    return t._(ROLE_LABELS[Role(role)]) if role in ROLE_LABELS else role


def place_name(t: Translator, content: Content, municipality_id: str) -> str:
    """The centre's name in the reader's language ("Elektrėnų socialinių paslaugų centras")."""
    municipality = content.municipality(municipality_id)
    return municipality.name.get(t.lang) if municipality else municipality_id


def welcome(t: Translator, content: Content, member: Member) -> str:
    """Where the new member works, as what, which queue, and the commands they may use."""
    lines = [
        t.fill(
            "Welcome to the staff: %(municipality)s, %(role)s.",
            municipality=place_name(t, content, member.municipality_id),
            role=role_label(t, member.role),
        )
    ]
    if member.queue:
        lines.append(t.fill("You see the requests of the queue %(queue)s.", queue=member.queue))
    lines += ["", t._("What you can write to me:"), *commands_help(t, member)]
    return "\n".join(lines)


def commands_help(t: Translator, member: Member) -> list[str]:
    """The staff commands this member may use, one a line."""
    lines = [t._("/queue: open requests, oldest first"), t._("/my: the requests you hold")]
    lines.append(t._("/desk: a sign-in link to the web desk (valid for 10 minutes, once)"))
    if member.queue is None:  # bookings belong to no queue
        lines.append(t._("/today: today's bookings (/today DATE for another day)"))
    if member.role == Role.SUPERVISOR:
        lines += [
            t._("/service: set a service's status and dates, which residents see at once"),
            t._("/bind: in a staff group, send it your queue's requests"),
            t._("/invite: a one-time invite for a colleague (/invite supervisor for a supervisor)"),
        ]
    return lines


async def invite(
    conn: Conn,
    t: Translator,
    content: Content,
    supervisors: list[Member],
    words: tuple[str, ...],
    bot_username: str | None,
    now: datetime,
) -> str:
    """`/invite [ROLE] [QUEUE] [MUNICIPALITY]`: a one-time code for a colleague, staff member
    by default; a supervisor of several municipalities names one."""
    forms = {role: (role.value, t._(ROLE_LABELS[role])) for role in Role}
    role, queue, chosen = Role.STAFF, None, supervisors
    at = 0
    while at < len(words):
        found = phrase_at(words, at, forms)
        word = words[at].lower()
        if found:
            role, size = found
            at += size
            continue
        if any(member.municipality_id == word for member in supervisors):
            chosen = [member for member in supervisors if member.municipality_id == word]
        elif _queues(content, supervisors) & {word}:
            queue = word
        else:
            return _invite_usage(t, content, supervisors, t.fill("“%(word)s”?", word=words[at]))
        at += 1
    if queue is not None:
        chosen = [m for m in chosen if queue in _queues(content, [m])]
    if len(chosen) != 1:
        return _invite_usage(t, content, supervisors, t._("Name the municipality."))
    member = chosen[0]
    code = await staff.create_invite(conn, member.municipality_id, role, queue, now)
    await staff.audit(conn, member.user_id, f"invite {role}", None, "ok", now)
    lines = [
        t.fill(
            "A one-time invite to %(municipality)s as %(role)s:",
            municipality=place_name(t, content, member.municipality_id),
            role=role_label(t, role),
        )
    ]
    if bot_username:
        lines.append(f"https://t.me/{bot_username}?start={code}")
        lines.append(t._("Send the link to your colleague: it works once."))
    lines.append(t.fill("Or they write to me privately: %(command)s", command=f"/start {code}"))
    return "\n".join(lines)


def _queues(content: Content, members: list[Member]) -> set[str]:
    """The request queues of the members' municipalities."""
    return {q for member in members if (q := queue_of(content, member.municipality_id))}


def _invite_usage(t: Translator, content: Content, supervisors: list[Member], problem: str) -> str:
    """What was not understood, and how to write the command."""
    municipalities = ", ".join(member.municipality_id for member in supervisors)
    queues = ", ".join(sorted(_queues(content, supervisors))) or "-"
    usage = t.fill(
        "Write /invite, or /invite supervisor; to limit a staff member to one queue, add it "
        "(%(queues)s); your municipalities: %(municipalities)s.",
        queues=queues,
        municipalities=municipalities,
    )
    return f"{problem}\n{usage}"


async def desk_link(
    conn: Conn, t: Translator, incoming: Incoming, user_id: str, url: str | None, now: datetime
) -> str:
    """`/desk`: a one-time sign-in link to the web desk, in the member's private chat only
    (the link is a key)."""
    if not access.private_with(incoming, user_id) or url is None:
        await staff.audit(conn, user_id, "desk link", None, "refused", now)
        return t._("Write /desk to me privately: the link is a key.")
    token = await desk.create_link(conn, user_id, now)
    await staff.audit(conn, user_id, "desk link", None, "ok", now)
    return t.fill(
        "Your sign-in link to the staff desk (valid for 10 minutes, once):\n%(url)s",
        url=f"{url}/desk/login/{token}",
    )
