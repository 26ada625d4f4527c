"""Broadcasts from the desk: a supervisor's notice to residents chosen by municipality,
language, channel, the bookings or waiting list of a day, or who asked to be told of a
service's changes. The preview shows each language's text as residents receive it with its SMS
segments and who gets it; sending enqueues one outbox message per address in one transaction,
spread over time so broadcasts keep within Telegram's and Twilio's pace and leave room for
answers. Numbers that sent STOP are skipped (and counted); /forget withdraws what is pending."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from dialogs.core.i18n import Catalogs
from dialogs.pipeline import sms_policy
from dialogs.render.sms_encoding import segments
from dialogs.staff import access
from dialogs.staff.web_desk import MAX_REPLY, Result
from dialogs.types import Channel, Reply
from storage import broadcasts, outbox, staff
from storage.broadcasts import Broadcast, Recipient
from storage.content import Content, Municipality
from storage.phones import reads_sms
from storage.rows import Conn
from storage.staff import Member

# Messages a second a broadcast may use (the rest is for answers): Telegram allows about 30
# overall; a Twilio long code sends one SMS segment a second and queues the rest.
PACE = {Channel.TELEGRAM: 20.0, Channel.SMS: 1.0}
LATEST_SCHEDULE = timedelta(days=30)
EARLIEST_SCHEDULE = timedelta(minutes=5)  # a time already past is a typo, not "now"


class Audience(StrEnum):
    """Whom a broadcast is for, within the municipality."""

    ALL = "all"
    BOOKED = "booked"  # booked on a day
    WAITING = "waiting"  # on a day's waiting list
    SUBSCRIBERS = "subscribers"  # asked to be told when a service changes


@dataclass(frozen=True)
class Wish:
    """A broadcast as the form asks for it."""

    municipality_id: str
    audience: Audience
    texts: dict[str, str]  # by language; the municipality's default language is required
    language: str | None = None  # only residents reading this language
    channel: str | None = None  # only this channel
    day: date | None = None  # for BOOKED and WAITING
    facility_id: str | None = None  # for BOOKED and WAITING; None: any facility
    service_id: str | None = None  # for SUBSCRIBERS

    def described(self) -> dict[str, str]:
        """The audience as kept with the broadcast."""
        found = {
            "audience": self.audience.value,
            "language": self.language,
            "channel": self.channel,
            "day": self.day.isoformat() if self.day else None,
            "facility": self.facility_id,
            "service": self.service_id,
        }
        return {key: value for key, value in found.items() if value}


@dataclass(frozen=True)
class Preview:
    """One language's message as residents receive it, and who reads it."""

    lang: str
    text: str
    sms_segments: int  # per SMS recipient
    readers: int


@dataclass(frozen=True)
class Plan:
    """What sending would do."""

    municipality: Municipality
    recipients: list[tuple[Recipient, str]]  # with the language each reads
    skipped: int  # SMS numbers that opted out, landlines, or every SMS where none is set up
    previews: list[Preview]
    by_channel: dict[str, int] = field(default_factory=dict)
    sms_segments: int = 0  # the estimated SMS count


@dataclass(frozen=True)
class Sent:
    """A broadcast with its delivery so far."""

    broadcast: Broadcast
    delivery: dict[str, int]


class WebBroadcasts:
    """Broadcasts for signed-in supervisors."""

    def __init__(self, content: Content, catalogs: Catalogs, sms: bool = True) -> None:
        self._content = content
        self._catalogs = catalogs
        self._sms = sms  # this server sends SMS

    def municipalities(self, members: list[Member]) -> list[Municipality]:
        """The municipalities this member may broadcast to (as a supervisor)."""
        return access.supervised(self._content, members)

    async def plan(
        self, conn: Conn, members: list[Member], wish: Wish, now: datetime
    ) -> Plan | Result:
        """Who would get the broadcast, in which language, at what SMS cost; or why not."""
        municipality = next(
            (m for m in self.municipalities(members) if m.id == wish.municipality_id), None
        )
        if municipality is None:
            actor = members[0].user_id if members else "?"
            await staff.audit(conn, actor, "desk broadcast", None, "refused", now)
            return Result.REFUSED
        texts = {lang: text.strip() for lang, text in wish.texts.items() if text.strip()}
        if not texts.get(municipality.default_language):
            return Result.EMPTY
        if any(len(text) > MAX_REPLY for text in texts.values()):
            return Result.TOO_LONG
        found = await self._audience(conn, municipality, wish)
        if found is None:
            return Result.INVALID
        stopped = await broadcasts.opted_out(conn)
        chosen: list[tuple[Recipient, str]] = []
        seen: set[tuple[str, str]] = set()
        skipped = 0
        for recipient in found:
            lang = recipient.language or municipality.default_language
            where = (recipient.channel, recipient.address)
            if where in seen or (wish.channel and recipient.channel != wish.channel):
                continue
            if wish.language and lang != wish.language:
                continue
            seen.add(where)
            if recipient.channel == Channel.SMS and (
                not self._sms or recipient.address in stopped or not reads_sms(recipient.address)
            ):
                skipped += 1  # no SMS set up, STOP, or a landline
                continue
            chosen.append((recipient, lang))
        return self._costed(municipality, texts, chosen, skipped)

    def _costed(
        self,
        municipality: Municipality,
        texts: dict[str, str],
        chosen: list[tuple[Recipient, str]],
        skipped: int,
    ) -> Plan:
        readers = Counter(lang for _, lang in chosen)
        sms_readers = Counter(lang for r, lang in chosen if r.channel == Channel.SMS)
        previews, total = [], 0
        for lang in municipality.languages:
            text = self.message(municipality, texts, lang)
            count = self.sms_segments(municipality, text, lang)
            total += count * sms_readers[lang]
            previews.append(Preview(lang, text, count, readers[lang]))
        by_channel = dict(Counter(r.channel for r, _ in chosen))
        return Plan(municipality, chosen, skipped, previews, by_channel, total)

    def message(self, municipality: Municipality, texts: dict[str, str], lang: str) -> str:
        """The broadcast as a resident reading `lang` receives it."""
        t = self._catalogs.get(lang)
        text = texts.get(lang) or texts[municipality.default_language]
        return t.fill(
            "%(municipality)s informs:\n%(text)s",
            municipality=municipality.name.get(lang),
            text=text,
        )

    def sms_segments(self, municipality: Municipality, text: str, lang: str) -> int:
        """The SMS segments of the message as the SMS channel sends it (folded, paged)."""
        t = self._catalogs.get(lang)
        pages = sms_policy.pages([Reply(text)], t, municipality, sms_policy.NOTICE_SEGMENTS)
        return sum(segments(page)[1] for page in pages)

    async def send(
        self,
        conn: Conn,
        members: list[Member],
        wish: Wish,
        send_at: datetime,
        now: datetime,
    ) -> int | Result:
        """Keep the broadcast and enqueue its messages from `send_at` on, paced; its id."""
        if not now - EARLIEST_SCHEDULE <= send_at <= now + LATEST_SCHEDULE:
            return Result.INVALID
        plan = await self.plan(conn, members, wish, now)
        if isinstance(plan, Result):
            return plan
        if not plan.recipients:
            return Result.NOBODY
        actor = members[0].user_id
        texts = {lang: text.strip() for lang, text in wish.texts.items() if text.strip()}
        start = max(send_at, now)
        broadcast_id = await broadcasts.add(
            conn, plan.municipality.id, wish.described(), texts, start, actor, now
        )
        spent: dict[str, float] = {}  # seconds of each channel's pace used so far
        for number, (recipient, lang) in enumerate(plan.recipients, start=1):
            text = self.message(plan.municipality, texts, lang)
            due = start + timedelta(seconds=spent.get(recipient.channel, 0.0))
            pace = PACE.get(Channel(recipient.channel))
            if pace:
                cost = self.sms_segments(plan.municipality, text, lang)
                spent[recipient.channel] = spent.get(recipient.channel, 0.0) + (
                    (cost if recipient.channel == Channel.SMS else 1) / pace
                )
            key = f"broadcast:{broadcast_id}:{number}"
            await outbox.enqueue(
                conn, recipient.channel, recipient.address, text, due, now, key=key
            )
        await broadcasts.set_counts(conn, broadcast_id, len(plan.recipients), plan.skipped)
        await staff.audit(conn, actor, f"desk broadcast {broadcast_id}", None, "ok", now)
        return broadcast_id

    async def listing(self, conn: Conn, members: list[Member]) -> list[Sent]:
        """The latest broadcasts of the member's municipalities, with their delivery."""
        found = []
        for municipality in self.municipalities(members):
            for broadcast in await broadcasts.of_municipality(conn, municipality.id):
                found.append(Sent(broadcast, await broadcasts.delivery(conn, broadcast.id)))
        return sorted(found, key=lambda sent: sent.broadcast.id, reverse=True)

    async def one(
        self, conn: Conn, members: list[Member], broadcast_id: int, now: datetime
    ) -> Sent | None:
        """A broadcast of the member's municipalities (None for another's: audited)."""
        broadcast = await broadcasts.get(conn, broadcast_id)
        mine = {m.id for m in self.municipalities(members)}
        if broadcast is None or broadcast.municipality_id not in mine:
            actor = members[0].user_id if members else "?"
            await staff.audit(
                conn, actor, f"desk broadcast view {broadcast_id}", None, "refused", now
            )
            return None
        return Sent(broadcast, await broadcasts.delivery(conn, broadcast.id))

    async def cancel(
        self, conn: Conn, members: list[Member], broadcast_id: int, now: datetime
    ) -> Result:
        """Withdraw the messages not sent yet."""
        sent = await self.one(conn, members, broadcast_id, now)
        if sent is None:
            return Result.REFUSED
        if sent.broadcast.cancelled_at is not None or not sent.delivery.get("pending"):
            return Result.STALE
        await broadcasts.cancel(conn, broadcast_id, members[0].user_id, now)
        await staff.audit(
            conn, members[0].user_id, f"desk broadcast cancel {broadcast_id}", None, "ok", now
        )
        return Result.OK

    async def _audience(
        self, conn: Conn, municipality: Municipality, wish: Wish
    ) -> list[Recipient] | None:
        """The wish's residents before the language and channel filters; None if the wish does
        not fit the municipality (an unknown facility or service, a missing day)."""
        facilities = {f.id for f in municipality.facilities}
        if wish.audience == Audience.ALL:
            return await broadcasts.residents_of(conn, municipality.id)
        if wish.audience == Audience.SUBSCRIBERS:
            if wish.service_id is None or municipality.service(wish.service_id) is None:
                return None
            return await broadcasts.subscribers(conn, municipality.id, wish.service_id)
        if wish.day is None or (wish.facility_id and wish.facility_id not in facilities):
            return None
        pick = broadcasts.booked_on if wish.audience == Audience.BOOKED else broadcasts.waiting_on
        return await pick(conn, municipality.id, wish.day, wish.facility_id)
