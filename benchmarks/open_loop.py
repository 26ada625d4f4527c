"""Open-loop latency: updates arrive at a fixed rate whether or not earlier ones were answered
(Poisson arrivals from many residents), and each latency runs from the update's scheduled time,
so time spent queueing counts. The percentiles per rate, and the highest rate whose p99 stays
under the goal."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from benchmarks.local_api import LocalBotApi
from benchmarks.traffic import Feed, Residents, cast
from tests.flows import PERSONAS

RATES = (50, 100, 150, 200, 250, 300, 400)  # updates a second
SECONDS = 4.0  # of arrivals at each rate
GOAL_MS = 50.0  # p99 latency the highest rate must stay under


@dataclass
class Resident:
    """One simulated resident: its persona's steps, sent one at a time."""

    user_id: int
    persona: str
    step: int = 0
    busy: bool = False


@dataclass
class Crowd:
    """Residents that take turns; one whose answer has not come yet is not asked again."""

    residents: Residents
    people: list[Resident] = field(default_factory=list)
    next_id: int = 200_000

    def idle(self, pick: random.Random) -> Resident:
        """A resident with nothing pending (a new one if all are waiting)."""
        free = [person for person in self.people if not person.busy]
        if free:
            return pick.choice(free)
        self.next_id += 1
        person = Resident(self.next_id, _persona(self.next_id))
        self.people.append(person)
        return person

    def update(self, person: Resident) -> dict[str, Any] | None:
        """The person's next update; a finished conversation starts again as a new resident."""
        steps = PERSONAS[person.persona]
        if person.step >= len(steps):
            self.next_id += 1
            person.user_id, person.step = self.next_id, 0
        step = steps[person.step]
        person.step += 1
        return self.residents.step(person.user_id, person.persona[:2], step)


def _persona(number: int) -> str:
    names = sorted(PERSONAS)
    return names[number % len(names)]


async def at_rate(feed: Feed, crowd: Crowd, rate: float, seed: int = 11) -> dict[str, float]:
    """Arrivals at `rate` a second for SECONDS; latency percentiles in milliseconds."""
    pick = random.Random(seed)
    latencies: list[float] = []
    pending: set[asyncio.Task[None]] = set()

    async def send(person: Resident, update: dict[str, Any], scheduled: float) -> None:
        try:
            await feed(update)
            latencies.append(time.perf_counter() - scheduled)
        finally:
            person.busy = False

    start = time.perf_counter()
    moment = start
    while moment - start < SECONDS:
        moment += pick.expovariate(rate)
        delay = moment - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        person = crowd.idle(pick)
        update = crowd.update(person)
        if update is None:  # the button to press is not there: the step is skipped
            continue
        person.busy = True
        task = asyncio.create_task(send(person, update, moment))
        pending.add(task)
        task.add_done_callback(pending.discard)
    if pending:
        await asyncio.wait(pending)
    cuts = statistics.quantiles(latencies, n=1000)
    return {
        "rate": rate,
        "updates": len(latencies),
        "p50_ms": round(cuts[499] * 1000, 2),
        "p99_ms": round(cuts[989] * 1000, 2),
        "p999_ms": round(cuts[998] * 1000, 2),
    }


async def sweep(feed: Feed, api: LocalBotApi, people: int = 1000) -> dict[str, Any]:
    """Every rate in turn, on one running bot; and the highest rate within the goal."""
    crowd = Crowd(Residents(api))
    crowd.people = [Resident(user_id, persona) for user_id, persona in cast(people)]
    rows = [await at_rate(feed, crowd, rate) for rate in RATES]
    within = [row["rate"] for row in rows if row["p99_ms"] < GOAL_MS]
    return {"rates": rows, "highest_rate_p99_under_50ms": max(within, default=0)}
