"""What the desk's pages show: labels in the member's language, a request's page values."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from dialogs.core.i18n import N_, Translator
from dialogs.flows.booking.offers import facility_name
from dialogs.staff.cards import CHANNEL_LABELS, STAFF_STATUS, card_text
from dialogs.staff.roster import closed_label, how, who
from dialogs.staff.web_desk import Page, Roster
from storage import desk as desk_store

ACTION_LABELS = {
    "take": N_("Take"),
    "done": N_("Done"),
    "unreach": N_("Could not reach"),
    "back": N_("Back to queue"),
    "reopen": N_("Reopen"),
}
SHORT_EVENTS = (desk_store.EventKind.STATUS, desk_store.EventKind.ASSIGNED)
EVENT_LABELS = {
    "reply": N_("reply to the resident"),
    "note": N_("internal note"),
    "resident": N_("the resident wrote"),
}


def status_label(t: Translator, status: str) -> str:
    """A request's status in the member's language."""
    label = STAFF_STATUS.get(status, status)
    return t._("taken") if status == "taken" else t._(label)


def when(stamp: str) -> datetime:
    """A stored moment."""
    return datetime.fromisoformat(stamp)


def page_values(t: Translator, page: Page, names: dict[str, str], now: datetime) -> dict[str, Any]:
    """What a request's page shows, in the member's language."""
    request = page.request
    holder = names.get(request.taken_by or "")
    events = [
        {
            "at": t.moment(when(event.at)),
            "who": names.get(event.actor or "", event.actor or "-"),
            "kind": event.kind.value,
            "label": _event_label(t, event, names),
            "text": "" if event.kind in SHORT_EVENTS else event.text,
        }
        for event in page.events
    ]
    return {
        "item": request,
        "card": card_text(t, request, holder, now),
        "channel": t._(CHANNEL_LABELS.get(request.channel or "", request.channel or "-")),
        "state": status_label(t, request.status),
        "actions": [(a, t._(ACTION_LABELS[a])) for a in page.actions],
        "may_reply": page.may_reply and request.address is not None,
        "colleagues": [(m.user_id, m.name or m.user_id) for m in page.colleagues],
        "sms": request.channel == "sms",
        "received": t.moment(when(request.created_at)),
        "events": events,
    }


def _event_label(t: Translator, event: desk_store.Event, names: dict[str, str]) -> str:
    if event.kind == desk_store.EventKind.STATUS:
        return status_label(t, event.text)
    if event.kind == desk_store.EventKind.ASSIGNED:
        return t.fill("assigned to %(name)s", name=names.get(event.text, event.text))
    return t._(EVENT_LABELS[event.kind.value])


def roster_values(t: Translator, found: list[Roster], day: date) -> dict[str, Any]:
    """What the roster page shows: each facility's places (or that it is closed) and, for each
    booking, who comes and with what certificate (the texts of /today)."""
    blocks = []
    for roster in found:
        municipality = roster.municipality
        facilities = []
        for facility in municipality.facilities:
            booked = [(b, phone) for b, phone in roster.rows if b.facility_id == facility.id]
            closed = closed_label(t, facility, municipality.country, day)
            places = t.n_(
                "%(booked)d of %(places)d place booked",
                "%(booked)d of %(places)d places booked",
                facility.places_per_day,
            ) % {"booked": len(booked), "places": facility.places_per_day}
            facilities.append(
                {
                    "name": facility_name(t, municipality, facility.id),
                    "state": closed or places,
                    "rows": [(who(t, b, phone), how(t, b)) for b, phone in booked],
                }
            )
        blocks.append({"name": municipality.name.get(t.lang), "facilities": facilities})
    return {
        "blocks": blocks,
        "day": t.date(day),
        "previous": (day - timedelta(days=1)).isoformat(),
        "next": (day + timedelta(days=1)).isoformat(),
    }
