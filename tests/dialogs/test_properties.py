"""Property-based: random text, forged buttons and random interleavings of residents, staff
and time at the engine, from every dialog state. Always a reply, never an exception, and the
database stays consistent (integrity, capacity, loadable conversations)."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs.core.i18n import Catalogs
from dialogs.pipeline.engine import Engine
from dialogs.pipeline.resident import DIALOGS
from dialogs.types import MAX_ACTION_BYTES, Incoming, StaffCommand
from storage import conversations, staff
from storage.content import Content
from storage.db import Database
from tests.conftest import FixedClock, staff_call
from tests.flows import PERSONAS

pytestmark = pytest.mark.slow  # processes, crashes or many generated cases

ACTION_NAMES = sorted({name for dialog in DIALOGS for name in dialog.ACTIONS})
PAYLOADS = ["elektrenai_lt", "koknese_lv", "daugavpils_ru", "visaginas_ru", "", "xx_yy", "staff-x"]
LOOKALIKES = [
    "'; DROP TABLE residents; --",
    "1 OR 1=1",
    "<b>bold</b><script>alert(1)</script>",
    "*_`[link](tg://user?id=1)`_*",
    "%(number)d %s {0} {{x}}",
    "\x00\x07\x1b[31m\r\n\t",
    "\u202e\u200b\ufeff",
    "😀" * 40,
    "👨‍👩‍👧‍👦🏳️‍🌈",
    "0",
    "1",
    "2",
    "7",
    "99",
    "-",
    "meniu",
    "izvēlne",
    "меню",
    "kontaktai",
    "rytoj",
    "24.03",
    "31.02.2021",
    "15.09.2021",
    "Trakų g. 5-12, Elektrėnai",
    "+37060000000",
    "STOP",
    "man reikia maisto",
    "vai var pierakstīties dušā?",
    "справка",
]
ARGUMENTS = ["2020-03-23", "2021-11-02", "2099-01-01", "x", "elektrenai", "koknese", "lt", "ru"]
ARGUMENTS += ["en", "food", "medicine", "shower", "laundry", "vaccination", "1", "0", "today"]

texts = st.one_of(
    st.text(max_size=120),
    st.sampled_from(LOOKALIKES),
    # Telegram's limit is 4096: longer text, built cheaply from a random piece.
    st.builds(
        lambda piece, times: piece * times, st.text(min_size=1, max_size=8), st.integers(520, 900)
    ),
)
actions = st.one_of(
    st.sampled_from(ACTION_NAMES),
    st.builds(
        lambda name, argument: f"{name}:{argument}",
        st.sampled_from(ACTION_NAMES),
        st.one_of(
            st.sampled_from(ARGUMENTS), st.integers(-3, 10**12).map(str), st.text(max_size=70)
        ),
    ),
    st.text(max_size=80),
)
residents = st.integers(0, 2)
events = st.one_of(
    # Pressing what is on screen walks deep into the dialogs; the rest comes in between.
    st.tuples(st.just("choose"), residents, st.integers(0, 12)),
    st.tuples(st.just("choose"), residents, st.integers(0, 12)),
    st.tuples(st.just("choose"), residents, st.integers(0, 12)),
    st.tuples(st.just("choose"), residents, st.integers(0, 12)),
    st.tuples(st.just("text"), residents, texts),
    st.tuples(st.just("action"), residents, actions),
    st.tuples(
        st.just("start"), residents, st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=40))
    ),
    st.tuples(
        st.just("phone"),
        residents,
        st.sampled_from(["+37060000111", "37126000222", "abc", ""]),
        st.booleans(),
    ),
    st.tuples(
        st.just("card"),
        st.sampled_from(
            [
                "rq:take:1",
                "rq:done:1",
                "rq:unreach:1",
                "rq:back:1",
                "rq:take:x",
                "rq::",
                "rq:done:2",
            ]
        ),
    ),
    st.tuples(st.just("time"), st.sampled_from([1, 45, 60 * 5, 60 * 24, 60 * 24 * 3])),
)
STARTS = [
    datetime.combine(date(2020, 3, 20), time(10), tzinfo=UTC),
    datetime.combine(date(2021, 11, 1), time(9), tzinfo=UTC),
    datetime.combine(date(2022, 2, 25), time(17, 30), tzinfo=UTC),
]
FAILED = "Sorry, something went wrong. Please try again in a moment."


class Errors(logging.Handler):
    """Collects ERROR records: an exception in a turn is logged at ERROR and answered."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def errors_logged() -> Iterator[Errors]:
    handler = Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def incoming(kind: str, who: int, *values: Any) -> Incoming:
    """The same event as each channel would hand it over."""
    channel, address = [("telegram", "7001"), ("sms", "+37060000002"), ("test", "resident-3")][who]
    fields: dict[str, Any] = {}
    if channel == "telegram":
        fields = {"can_share_phone": True, "language_hint": "lt"}
    if channel == "sms":
        fields = {"verified_phone": address}
    if kind == "text":
        return Incoming(channel, address, text=values[0], **fields)
    if kind == "action":
        return Incoming(channel, address, action=values[0], **fields)
    if kind == "start":
        return Incoming(channel, address, text=values[0], start=True, **fields)
    if kind == "choose":
        return Incoming(channel, address, action=values[0], **fields)
    own = bool(values[1])
    return Incoming(channel, address, shared_phone=values[0], shared_phone_is_own=own, **fields)


async def check_consistent(database: Database, content: Content) -> None:
    """The database as a careful operator would want it after anything residents did."""
    assert (await database.fetchall("PRAGMA integrity_check"))[0][0] == "ok"
    assert await database.fetchall("PRAGMA foreign_key_check") == []
    for row in await database.fetchall("SELECT channel, address FROM conversations"):
        async with database.transaction() as conn:
            conversation = await conversations.load(conn, row[0], row[1])
        for label, action in conversation.choices:
            assert label
            assert 1 <= len(action.encode()) <= MAX_ACTION_BYTES
        json.dumps(conversation.data)
    held = await database.fetchall(
        "SELECT municipality_id, facility_id, day, COUNT(*) FROM ("
        " SELECT municipality_id, facility_id, day FROM bookings WHERE status = 'active'"
        " UNION ALL SELECT municipality_id, facility_id, day FROM waitlist"
        " WHERE status = 'offered') GROUP BY municipality_id, facility_id, day"
    )
    for municipality_id, facility_id, _, count in held:
        municipality = content.municipality(municipality_id)
        assert municipality is not None
        places = {f.id: f.places_per_day for f in municipality.facilities}[facility_id]
        assert count <= places


class Run:
    """One engine on a fresh database, with a staff member, and the residents' screens."""

    def __init__(self, engine: Engine, clock: FixedClock) -> None:
        self.engine = engine
        self.clock = clock
        self.failed = {engine.catalogs.get(lang)._(FAILED) for lang in ("en", "lt", "lv", "ru")}
        self.screens: dict[int, list[str]] = {}

    async def play(self, event: tuple[Any, ...]) -> None:
        """One event; every resident's message gets a real answer."""
        kind = event[0]
        if kind == "time":
            self.clock.advance(timedelta(minutes=event[1]))
            await self.engine.tick()
            return
        if kind == "card":
            assert (await staff_call(self.engine, StaffCommand.CARD, "5001", event[1])).notice
            return
        if kind == "choose":  # the n-th choice on the resident's screen, as pressed
            shown = self.screens.get(event[1], [])
            offered = [a for a in shown if a != "menu"] or ["menu"]
            event = ("choose", event[1], offered[event[2] % len(offered)])
        replies = await self.engine.handle(incoming(*event))
        assert replies
        for reply in replies:
            assert reply.text.strip()
            assert reply.text not in self.failed
        self.screens[event[1]] = [c.action for c in replies[-1].choices]

    def persona_event(self, step: str) -> tuple[Any, ...] | None:
        """A persona's step as resident 0 (on Telegram) takes it; None if its button is gone."""
        if step.startswith("/start"):
            return ("start", 0, step.removeprefix("/start").strip())
        if step == "share":
            return ("phone", 0, "+37060000111", True)
        if step.startswith("say:"):
            return ("text", 0, step.removeprefix("say:"))
        action = step.removeprefix("press:")
        found = [a for a in self.screens.get(0, []) if a == action or a.startswith(action + ":")]
        return ("action", 0, found[0]) if found else None


@asynccontextmanager
async def fresh_run(content: Content, catalogs: Catalogs, start: datetime) -> AsyncIterator[Run]:
    """A run on an empty database; afterwards no error was logged and the data is consistent."""
    database = await Database.open(":memory:")
    clock = FixedClock(start.date(), start.timetz().replace(tzinfo=None))
    engine = Engine(database, content, catalogs, clock)
    async with database.transaction() as conn:
        code = await staff.create_invite(conn, "elektrenai", "staff", None, clock.now())
    await staff_call(engine, StaffCommand.JOIN, "5001", code)
    try:
        with errors_logged() as logged:
            yield Run(engine, clock)
        assert [r.getMessage() for r in logged.records] == []
        await check_consistent(database, content)
    finally:
        await database.close()


PROPERTIES = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@PROPERTIES
@given(
    start=st.sampled_from(STARTS),
    homes=st.tuples(*(st.sampled_from(PAYLOADS[:4]) for _ in range(3))),
    script=st.lists(events, min_size=1, max_size=50),
)
async def test_any_interleaving_is_answered_and_keeps_the_database_consistent(
    content: Content,
    catalogs: Catalogs,
    start: datetime,
    homes: tuple[str, str, str],
    script: list[tuple[Any, ...]],
) -> None:
    async with fresh_run(content, catalogs, start) as run:
        # Each resident has set up a municipality; the script goes on from the menu.
        for event in [("start", who, home) for who, home in enumerate(homes)] + script:
            await run.play(event)


@PROPERTIES
@given(
    persona=st.sampled_from(sorted(PERSONAS)),
    noise=st.lists(st.lists(events, max_size=2), min_size=12, max_size=12),
)
async def test_noise_at_every_step_of_a_whole_conversation(
    content: Content, catalogs: Catalogs, persona: str, noise: list[list[tuple[Any, ...]]]
) -> None:
    """Bookings, requests and certificates reach their deep states; anything may come between."""
    async with fresh_run(content, catalogs, STARTS[1]) as run:
        for step, between in zip(PERSONAS[persona], noise, strict=False):
            event = run.persona_event(step)
            if event is not None:
                await run.play(event)
            for other in between:
                await run.play(other)
