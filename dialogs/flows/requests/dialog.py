"""Requests from residents at home: what is needed, where, how to call back, how urgent."""

from __future__ import annotations

from dialogs.core.actions import ContactsAction, RequestAction
from dialogs.core.state import RequestDraft
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Handler, Turn, Understander
from dialogs.flows.contact_lines import department_lines
from dialogs.flows.requests.mine import enough_open
from dialogs.staff.cards import (
    NEED_LABELS,
    URGENCY_LABELS,
    card_choices,
    card_text,
    notify_groups,
)
from dialogs.types import Choice, Reply
from storage import requests, residents
from storage.content import Municipality
from storage.phones import e164


def offers_requests(municipality: Municipality) -> bool:
    """True where the content sends requests to a staff queue."""
    return municipality.requests is not None


async def start(turn: Turn, _: str) -> Reply:
    """Begin a request: which needs (several can be chosen)."""
    municipality = turn.require_municipality()
    if municipality.requests is None:
        return await _no_queue(turn, municipality)
    if (enough := await enough_open(turn)) is not None:
        return enough
    turn.go(Dialog.REQUEST, Step.NEEDS)
    saved = await residents.home_address(turn.connection, turn.resident_id)
    turn.drop(RequestDraft)  # a new request: nothing of an abandoned one
    turn.state(RequestDraft).saved_home = saved
    return _needs_reply(turn)


async def call_back(turn: Turn, _: str) -> Reply:
    """ "Talk to a person": a call-back request, anywhere."""
    municipality = turn.require_municipality()
    if municipality.requests is None:
        return await _no_queue(turn, municipality)
    if (enough := await enough_open(turn)) is not None:
        return enough
    turn.drop(RequestDraft)
    draft = turn.state(RequestDraft)
    draft.needs, draft.urgency = ["callback"], "soon"
    return ask_phone(turn)


async def toggle_need(turn: Turn, need: str) -> Reply:
    """Choose or unchoose one need."""
    chosen = turn.state(RequestDraft).needs
    if need in NEED_LABELS and need != "callback":
        if need in chosen:
            chosen.remove(need)
        else:
            chosen.append(need)
    turn.go(Dialog.REQUEST, Step.NEEDS)
    return _needs_reply(turn)


def _needs_reply(turn: Turn) -> Reply:
    t = turn.t
    chosen = turn.state(RequestDraft).needs
    choices = [
        Choice(("✓ " if key in chosen else "") + t._(label), f"{RequestAction.NEED}:{key}")
        for key, label in NEED_LABELS.items()
        if key != "callback"
    ]
    if chosen:
        choices.append(Choice(t._("Continue"), RequestAction.NEXT))
    return turn.reply(t._("What do you need? Choose one or more, then Continue."), choices)


async def ask_details(turn: Turn, _: str) -> Reply:
    """In the resident's words."""
    if not turn.state(RequestDraft).needs:
        return _needs_reply(turn)
    turn.go(Dialog.REQUEST, Step.DETAILS, back=RequestAction.REQUEST)
    return turn.reply(turn.t._('Describe briefly what you need, or write "-".'))


def _ask_address(turn: Turn) -> Reply:
    t = turn.t
    turn.go(Dialog.REQUEST, Step.ADDRESS, back=RequestAction.REQUEST)
    saved = turn.state(RequestDraft).saved_home
    if saved:
        choices = [Choice(t._("Yes"), f"{RequestAction.SAVED_ADDRESS}:saved")]
        return turn.reply(
            t.fill("Deliver to %(address)s? Or write another address.", address=saved), choices
        )
    return turn.reply(t._("Your address (street, house, flat, town)?"))


def ask_phone(turn: Turn) -> Reply:
    """The number for the call-back: the verified one goes on at once (also when it was just
    shared from this question); otherwise typed, or shared with the channel's button."""
    t = turn.t
    if turn.phone:
        draft = turn.state(RequestDraft)
        draft.phone = turn.phone
        return _ask_urgency(turn) if draft.urgency is None else _summary(turn)
    turn.go(Dialog.REQUEST, Step.PHONE, back=RequestAction.REQUEST)
    question = t._("Which phone number should staff call?")
    if turn.can_share_phone:
        hint = t._("Write it, or share your own with the button below.")
        return Reply(f"{question} {hint}", ask_phone=t._("Share my phone number"))
    return turn.reply(question)


def _ask_urgency(turn: Turn) -> Reply:
    t = turn.t
    turn.go(Dialog.REQUEST, Step.URGENCY, back=RequestAction.REQUEST)
    choices = [
        Choice(t._(label), f"{RequestAction.URGENCY}:{key}")
        for key, label in URGENCY_LABELS.items()
    ]
    return turn.reply(t._("How urgent is it?"), choices)


async def use_saved_address(turn: Turn, _: str) -> Reply:
    """The remembered address."""
    draft = turn.state(RequestDraft)
    draft.home = draft.saved_home
    return ask_phone(turn)


async def keep_address(turn: Turn, answer: str) -> Reply:
    """Remember the address for next time only if the resident says so."""
    if answer == "1":
        home = turn.state(RequestDraft).home
        await residents.set_home_address(turn.connection, turn.resident_id, home)
    return ask_phone(turn)


async def set_urgency(turn: Turn, key: str) -> Reply:
    """Today or in the next days."""
    turn.state(RequestDraft).urgency = key if key in URGENCY_LABELS else "soon"
    return _summary(turn)


def _summary(turn: Turn) -> Reply:
    t = turn.t
    draft = turn.state(RequestDraft)
    turn.go(Dialog.REQUEST, Step.CONFIRM, back=RequestAction.REQUEST)
    lines = [t._("Please check your request:")]
    lines.append(", ".join(t._(NEED_LABELS[n]) for n in draft.needs if n in NEED_LABELS))
    lines += [value for value in (draft.details, draft.home, draft.phone) if value]
    lines.append(t._(URGENCY_LABELS.get(draft.urgency or "soon", URGENCY_LABELS["soon"])))
    return turn.reply("\n".join(lines), [Choice(t._("Send"), RequestAction.SEND)])


async def send(turn: Turn, _: str) -> Reply:
    """File the request, put its card in the staff groups, tell the resident what comes next."""
    municipality = turn.require_municipality()
    draft = turn.state(RequestDraft)
    settings = municipality.requests
    if settings is None or not draft.needs or not draft.phone:
        return await start(turn, "")
    if (enough := await enough_open(turn)) is not None:  # filed meanwhile, elsewhere
        return enough
    new = requests.NewRequest(
        municipality.id,
        settings.queue,
        turn.resident_id,
        turn.conversation.channel,
        turn.conversation.address,
        turn.language,
        tuple(draft.needs),
        draft.details,
        draft.home,
        draft.phone,
        draft.urgency or "soon",
    )
    number = await requests.file(turn.connection, new, turn.now)
    request = await requests.get(turn.connection, number)
    assert request is not None
    staff_t = turn.catalogs.get(municipality.default_language)
    await notify_groups(
        turn.connection,
        request,
        card_text(staff_t, request),
        "card",
        turn.now,
        card_choices(staff_t, request),
    )
    turn.drop(RequestDraft)
    turn.go(Dialog.MENU)
    t = turn.t
    lines = [
        t.fill("Your request No. %(number)d is sent.", number=number),
        t._(
            "A staff member will contact you. "
            "I will tell you when someone takes it and when it is done."
        ),
    ]
    for hotline in municipality.hotlines:
        hours = f" ({turn.text(hotline.hours)})" if hotline.hours else ""
        lines.append(
            t.fill(
                "If it cannot wait: %(name)s%(hours)s, %(phone)s.",
                name=turn.text(hotline.name),
                hours=hours,
                phone=hotline.phone.national(),
            )
        )
    return turn.reply("\n".join(lines), [Choice(t._("My requests"), RequestAction.MINE)])


async def understand(turn: Turn, text: str) -> Reply | None:
    """Details, an address, or a phone number, as the step asks."""
    step, draft = turn.conversation.step, turn.state(RequestDraft)
    t = turn.t
    if step == Step.DETAILS:
        draft.details = None if text.strip() in ("-", "—") else text.strip()[:500]
        if "callback" in draft.needs:
            return ask_phone(turn)
        return _ask_address(turn)
    if step == Step.ADDRESS:
        draft.home = text.strip()[:200]
        turn.go(Dialog.REQUEST, Step.KEEP, back=RequestAction.REQUEST)
        choices = [
            Choice(t._("Yes, remember it"), f"{RequestAction.KEEP_ADDRESS}:1"),
            Choice(t._("No"), f"{RequestAction.KEEP_ADDRESS}:0"),
        ]
        return turn.reply(t._("Shall I remember this address for your next request?"), choices)
    if step == Step.PHONE:
        municipality = turn.require_municipality()
        number = e164(text, municipality.country)
        if number is None:
            return turn.reply(t._("That does not look like a phone number. Please write it again."))
        draft.phone = number
        return _ask_urgency(turn) if draft.urgency is None else _summary(turn)
    return None


async def _no_queue(turn: Turn, municipality: Municipality) -> Reply:
    lines = [turn.t._("Requests are not taken through this assistant here. Please call:")]
    for department in municipality.departments[:1]:
        lines += department_lines(turn, municipality, department.id)
    return turn.reply("\n".join(lines), [Choice(turn.t._("Contacts"), ContactsAction.CONTACTS)])


ACTIONS: dict[str, Handler] = {
    RequestAction.REQUEST: start,
    RequestAction.CALL_BACK: call_back,
    RequestAction.NEED: toggle_need,
    RequestAction.NEXT: ask_details,
    RequestAction.SAVED_ADDRESS: use_saved_address,
    RequestAction.KEEP_ADDRESS: keep_address,
    RequestAction.URGENCY: set_urgency,
    RequestAction.SEND: send,
}
UNDERSTANDS: dict[str, Understander] = {Dialog.REQUEST: understand}
