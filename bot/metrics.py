"""What an operator watches: `/metrics` in Prometheus' text format (prometheus-client) and
`/readyz`. Counters and the turn histogram are kept as the process works; the outbox, the
open requests, bookings, waiting lists and the backups' age are read from the database at
each scrape (a read-only connection, in a thread). No label carries a chat id, a phone, a
name or anything a resident wrote: channels, municipalities, queues, facilities, days,
urgencies and reasons only."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.settings import Settings
from dialogs.core.clock import LOCAL_ZONE
from dialogs.pipeline.engine import Engine
from storage import backup
from storage.migrations import available_migrations
from storage.times import stamp

FAILING_AFTER = 3  # calls in a row that failed make a channel "failing"
TURN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
BOOKING_DAYS = 14  # bookings and waiting lists of today and the next days


@dataclass
class ChannelHealth:
    """How a channel's outbound calls have gone lately (Telegram's, Twilio's)."""

    failures_in_a_row: int = 0
    failing_since: float | None = None  # monotonic, the first failure of the current run
    last_reason: str = ""

    def record(self, ok: bool, reason: str = "") -> None:
        """One call's result."""
        if ok:
            self.failures_in_a_row, self.failing_since = 0, None
            return
        self.failures_in_a_row += 1
        self.last_reason = reason
        if self.failing_since is None:
            self.failing_since = time.monotonic()

    @property
    def failing(self) -> bool:
        """Several calls in a row failed."""
        return self.failures_in_a_row >= FAILING_AFTER


@dataclass
class Metrics:
    """The process's counters and histogram, and what the database says at scrape time."""

    engine: Engine
    settings: Settings
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    health: dict[str, ChannelHealth] = field(default_factory=dict)

    def __post_init__(self) -> None:
        r = self.registry
        self.updates = Counter(
            "socassist_updates",
            "Updates handled, by channel and outcome",
            ["channel", "outcome"],
            registry=r,
        )
        self.turn_seconds = Histogram(
            "socassist_turn_seconds",
            "Time a turn took",
            ["channel"],
            buckets=TURN_BUCKETS,
            registry=r,
        )
        self.failed = Counter(
            "socassist_deliveries_failed",
            "Messages not delivered",
            ["channel", "reason"],
            registry=r,
        )
        self.segments = Counter("socassist_sms_segments_sent", "SMS segments sent", registry=r)
        self.refused = Counter(
            "socassist_webhook_refusals",
            "Webhook calls refused",
            ["channel", "reason"],
            registry=r,
        )
        r.register(_DatabaseState(self))

    def delivered(self, channel: str, ok: bool, reason: str = "") -> None:
        """A delivery attempt's result (a failure counted by its reason)."""
        self.health.setdefault(channel, ChannelHealth()).record(ok, reason)
        if not ok:
            self.failed.labels(channel, reason).inc()

    def readiness(self) -> list[str]:
        """Why the assistant is not ready (empty: ready); never raises, names no person."""
        reasons = []
        try:
            with _read_only(self.engine) as conn:
                applied = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
                known = {m.version for m in available_migrations()}
                due = sorted(known - applied)
                if due:
                    reasons.append(f"migrations pending: {', '.join(map(str, due))}")
                if applied - known:
                    newer = ", ".join(map(str, sorted(applied - known)))
                    reasons.append(f"the database is from a newer version (migrations {newer})")
                oldest = _oldest_due(conn, self.engine.clock.now())
            if oldest is not None and oldest > self.settings.outbox_stale_seconds:
                reasons.append(f"the outbox's oldest due message has waited {oldest / 60:.0f} min")
            _writable(self.engine)
        except (sqlite3.Error, OSError) as error:
            reasons.append(f"the database cannot take writes: {error}")
        for channel, health in sorted(self.health.items()):
            if health.failing:
                reasons.append(
                    f"{channel} calls are failing ({health.failures_in_a_row} in a row:"
                    f" {health.last_reason})"
                )
        return reasons


class _DatabaseState(Collector):
    """Gauges read from the database at each scrape."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """The outbox, open requests, bookings, waiting lists, backups, busy errors."""
        settings, engine = self.metrics.settings, self.metrics.engine
        busy = GaugeMetricFamily(
            "socassist_database_busy_errors",
            "Turns that found the database busy or failing",
            labels=["kind"],
        )
        for kind in ("busy", "unavailable"):
            busy.add_metric([kind], engine.counters[kind])
        yield busy
        age = backup.newest_age(settings.backups(engine.database.path))
        yield GaugeMetricFamily(
            "socassist_backup_age_seconds",
            "Age of the newest daily copy (-1: none yet)",
            value=-1 if age is None else age,
        )
        yield GaugeMetricFamily(
            "socassist_ready",
            "1 if /readyz would answer ready",
            value=0 if self.metrics.readiness() else 1,
        )
        up = GaugeMetricFamily("socassist_database_up", "1 if the database could be read")
        try:
            with _read_only(engine) as conn:
                yield from _from_database(conn, engine.clock.now())
            up.add_metric([], 1)
        except sqlite3.Error:
            up.add_metric([], 0)
        yield up


def _from_database(conn: sqlite3.Connection, now: datetime) -> Iterator[GaugeMetricFamily]:
    due = GaugeMetricFamily("socassist_outbox_due", "Messages due and not sent", labels=["channel"])
    oldest = GaugeMetricFamily(
        "socassist_outbox_oldest_due_seconds",
        "How long the oldest due message has waited",
        labels=["channel"],
    )
    for channel, count, first in conn.execute(
        "SELECT channel, COUNT(*), MIN(next_attempt_at) FROM outbox WHERE status IN"
        " ('pending', 'sending') AND next_attempt_at <= ? GROUP BY channel",
        (stamp(now),),
    ):
        due.add_metric([channel], count)
        oldest.add_metric([channel], _seconds(now, first))
    yield due
    yield oldest
    requests = GaugeMetricFamily(
        "socassist_requests_open", "Open requests", labels=["municipality", "queue", "status"]
    )
    waiting = GaugeMetricFamily(
        "socassist_requests_oldest_waiting_seconds",
        "How long the oldest request nobody took has waited, by urgency",
        labels=["municipality", "queue", "urgency"],
    )
    for municipality, queue, status, urgency, count, first in conn.execute(
        "SELECT municipality_id, queue, status, urgency, COUNT(*), MIN(created_at) FROM requests"
        " WHERE status IN ('open', 'taken') GROUP BY municipality_id, queue, status, urgency"
    ):
        requests.add_metric([municipality, queue, status], count)
        if status == "open":
            waiting.add_metric([municipality, queue, urgency], _seconds(now, first))
    yield requests
    yield waiting
    local = now.astimezone(LOCAL_ZONE).date()
    today, last = local.isoformat(), (local + timedelta(days=BOOKING_DAYS)).isoformat()
    for table, name, statuses in (
        ("bookings", "socassist_bookings", "('active')"),
        ("waitlist", "socassist_waiting_list", "('waiting', 'offered')"),
    ):
        family = GaugeMetricFamily(
            name, f"{table} per facility and day", labels=["municipality", "facility", "day"]
        )
        for municipality, facility, day, count in conn.execute(
            f"SELECT municipality_id, facility_id, day, COUNT(*) FROM {table} WHERE status IN"
            f" {statuses} AND day BETWEEN ? AND ? GROUP BY municipality_id, facility_id, day",
            (today, last),
        ):
            family.add_metric([municipality, facility, day], count)
        yield family


def _oldest_due(conn: sqlite3.Connection, now: datetime) -> float | None:
    row = conn.execute(
        "SELECT MIN(next_attempt_at) FROM outbox WHERE status IN ('pending', 'sending')"
        " AND next_attempt_at <= ?",
        (stamp(now),),
    ).fetchone()
    return _seconds(now, row[0]) if row and row[0] else None


def _seconds(now: datetime, stamp: str) -> float:
    return max(0.0, (now - datetime.fromisoformat(stamp)).total_seconds())


@contextlib.contextmanager
def _read_only(engine: Engine) -> Iterator[sqlite3.Connection]:
    uri = f"file:{engine.database.path}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=1)) as conn:
        yield conn


def _writable(engine: Engine) -> None:
    """A write transaction can start (and is rolled back at once)."""
    conn = sqlite3.connect(engine.database.path, timeout=2, isolation_level=None)
    with contextlib.closing(conn):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
