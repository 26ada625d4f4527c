"""Service availability: one service, or everything restricted today, with dates."""

from __future__ import annotations

from datetime import date, timedelta

from dialogs.core.actions import ContactsAction, ServicesAction
from dialogs.core.i18n import N_
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Handler, Turn, Understander
from dialogs.rules.availability import (
    Availability,
    active_emergencies,
    availability,
    restricted_services,
    status_after,
)
from dialogs.types import Choice, Reply
from dialogs.understanding.search import find, which_one
from storage import broadcasts
from storage.content import Service, Status

STATUS_LABELS: dict[Status, str] = {
    "available": N_("works"),
    "remote_only": N_("remote only"),
    "limited": N_("limited"),
    "suspended": N_("suspended"),
}


def status_summary(turn: Turn, state: Availability) -> str:
    """A short status: "suspended until 27 March 2020", "limited until further notice"."""
    t = turn.t
    if state.status is None:
        return t._("no current information")
    label = t._(STATUS_LABELS[state.status])
    if state.period is None:
        return label
    if state.period.end is None:
        return t.fill("%(status)s until further notice", status=label)
    if state.status == "available":  # the notice's end is not the service's: it goes on
        return t.fill(
            "%(status)s (the notice is in force until %(date)s)",
            status=label,
            date=t.date(state.period.end),
        )
    return t.fill("%(status)s until %(date)s", status=label, date=t.date(state.period.end))


async def show_services(turn: Turn, _: str) -> Reply:
    """List the municipality's services."""
    municipality = turn.require_municipality()
    turn.go(Dialog.SERVICES, Step.SEARCH)
    choices = [Choice(turn.t._("Restricted today"), f"{ServicesAction.RESTRICTED}:now")]
    choices += [
        Choice(turn.text(s.name), f"{ServicesAction.SERVICE}:{s.id}") for s in municipality.services
    ]
    text = turn.t._("Which service? Choose one, write its name, or see what is restricted today.")
    return turn.reply(text, choices)


async def show_restricted(turn: Turn, _: str) -> Reply:
    """Everything suspended, remote-only or limited today, and the emergencies in force."""
    municipality = turn.require_municipality()
    t = turn.t
    turn.go(Dialog.SERVICES, Step.SEARCH, back=ServicesAction.SERVICES)
    today = t.date(turn.today)
    restricted = restricted_services(municipality, turn.today)
    lines = [
        t._("In force: %(name)s (since %(date)s).")
        % {"name": turn.text(e.name), "date": t.date(e.start)}
        for e in active_emergencies(municipality, turn.today)
    ]
    if restricted:
        lines.append(
            t.n_(
                "On %(date)s, %(num)d service is restricted.",
                "On %(date)s, %(num)d services are restricted.",
                len(restricted),
            )
            % {"date": today, "num": len(restricted)}
        )
        lines += [
            f"• {turn.text(s.name)}: {status_summary(turn, state)}" for s, state in restricted
        ]
    else:
        lines.append(
            t._("On %(date)s, no service is recorded as suspended, remote-only or limited.")
            % {"date": today}
        )
    choices = [Choice(turn.text(s.name), f"{ServicesAction.SERVICE}:{s.id}") for s, _ in restricted]
    choices.append(Choice(t._("All services"), ServicesAction.SERVICES))
    return turn.reply("\n".join(lines), choices)


async def show_service(turn: Turn, service_id: str) -> Reply:
    """One service: today's status, its dates, the note, what changes next, whom to contact."""
    municipality = turn.require_municipality()
    service = municipality.service(service_id)
    if service is None:
        return await show_services(turn, "")
    t = turn.t
    turn.go(Dialog.SERVICES, Step.SEARCH, back=ServicesAction.SERVICES)
    state = availability(service, turn.today)
    lines = [turn.text(service.name)]
    if service.description:
        lines.append(turn.text(service.description))
    lines.append(
        t._("Today, %(date)s: %(status)s")
        % {"date": t.date(turn.today), "status": status_summary(turn, state)}
    )
    if state.period and state.period.note:
        lines.append(turn.text(state.period.note))
    lines += _what_changes(turn, service, state)
    choices = []
    for department_id in service.departments:
        department = municipality.department(department_id)
        if department is not None:
            choices.append(
                Choice(
                    t.fill("Contact: %(name)s", name=turn.text(department.name)),
                    f"{ContactsAction.DEPARTMENT}:{department.id}",
                )
            )
    choices.append(await _news_choice(turn, municipality.id, service))
    choices.append(Choice(t._("All services"), ServicesAction.SERVICES))
    return turn.reply("\n".join(lines), choices)


async def _news_choice(turn: Turn, municipality_id: str, service: Service) -> Choice:
    """ "Tell me when this changes", or, for one who asked, how to stop it."""
    t = turn.t
    if await broadcasts.subscribed(turn.connection, turn.resident_id, municipality_id, service.id):
        return Choice(
            t._("No more news of this service"), f"{ServicesAction.UNNOTIFY}:{service.id}"
        )
    return Choice(t._("Tell me when this changes"), f"{ServicesAction.NOTIFY}:{service.id}")


async def notify(turn: Turn, service_id: str) -> Reply:
    """ "Tell me when this changes": the service's news (a broadcast to those who asked)."""
    municipality = turn.require_municipality()
    service = municipality.service(service_id)
    if service is None:
        return await show_services(turn, "")
    await broadcasts.subscribe(
        turn.connection, turn.resident_id, municipality.id, service.id, turn.now
    )
    text = turn.t.fill(
        "All right: I will write to you when the social service announces a change of"
        " %(service)s. You can stop it on the service's page.",
        service=turn.text(service.name),
    )
    return turn.reply(text, [Choice(turn.t._("All services"), ServicesAction.SERVICES)])


async def unnotify(turn: Turn, service_id: str) -> Reply:
    """No more news of the service."""
    municipality = turn.require_municipality()
    service = municipality.service(service_id)
    if service is None:
        return await show_services(turn, "")
    await broadcasts.unsubscribe(turn.connection, turn.resident_id, municipality.id, service.id)
    text = turn.t.fill("All right: no more news of %(service)s.", service=turn.text(service.name))
    return turn.reply(text, [Choice(turn.t._("All services"), ServicesAction.SERVICES)])


def _what_changes(turn: Turn, service: Service, state: Availability) -> list[str]:
    t = turn.t
    lines = []
    if state.period is not None and state.period.end is not None:
        after = status_after(service, state.period)
        if after is None:  # no notice covers the next day: say so, promise nothing
            lines.append(
                t.fill(
                    "The notice says nothing about what happens after %(date)s.",
                    date=t.date(state.period.end),
                )
            )
        elif after != state.status and not _starts_next(state, state.period.end):
            lines.append(_from_line(turn, state.period.end + timedelta(days=1), after))
    if state.upcoming is not None:
        upcoming = state.upcoming
        lines.append(_from_line(turn, upcoming.start, upcoming.status, upcoming.end))
        if upcoming.note:  # why it changes, said before it does
            lines.append(turn.text(upcoming.note))
    if state.status is None and state.last_period is not None:
        last = state.last_period
        assert last.end is not None
        lines.append(
            t._("The last notice we have was for %(start)s - %(end)s: %(status)s.")
            % {
                "start": t.date(last.start),
                "end": t.date(last.end),
                "status": t._(STATUS_LABELS[last.status]),
            }
        )
        lines.append(t._("Please ask the contacts of this service about the current situation."))
    return lines


def _starts_next(state: Availability, end: date) -> bool:
    """The next period begins the day after `end`: its own line says what comes."""
    return state.upcoming is not None and state.upcoming.start == end + timedelta(days=1)


def _from_line(turn: Turn, start: date, status: Status, end: date | None = None) -> str:
    t = turn.t
    label = t._(STATUS_LABELS[status])
    if end is not None:
        return t.fill(
            "From %(start)s to %(end)s: %(status)s.",
            start=t.date(start),
            end=t.date(end),
            status=label,
        )
    return t.fill("From %(date)s: %(status)s.", date=t.date(start), status=label)


async def understand(turn: Turn, text: str) -> Reply | None:
    """Find the service the resident names."""
    found = find(turn, text, departments=False)
    if len(found) == 1:
        return await show_service(turn, found[0].action.partition(":")[2])
    return which_one(turn, found) if found else None


ACTIONS: dict[str, Handler] = {
    ServicesAction.SERVICES: show_services,
    ServicesAction.RESTRICTED: show_restricted,
    ServicesAction.SERVICE: show_service,
    ServicesAction.NOTIFY: notify,
    ServicesAction.UNNOTIFY: unnotify,
}
UNDERSTANDS: dict[str, Understander] = {Dialog.SERVICES: understand}
