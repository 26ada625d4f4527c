"""What the roster page shows, in the member's language."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dialogs.core.i18n import Translator, own_name
from dialogs.flows.booking.offers import facility_name
from dialogs.flows.health import KIND_LABELS
from dialogs.staff.booking_desk_types import CONTACTLESS, NONE_NEEDED, Roster
from dialogs.staff.cards import CHANNEL_LABELS
from dialogs.staff.roster import closed_label, how, who
from storage import waitlist
from storage.content import HEALTH_KINDS, Facility, Municipality


def roster_values(t: Translator, found: list[Roster], day: date, today: date) -> dict[str, Any]:
    """What the roster page shows: each facility's places (or that it is closed), each booking
    (who comes, with what certificate, whether they came), the waiting list, and the form to
    book for a resident who phoned (with the certificates the day's rules ask for)."""
    blocks = []
    for roster in found:
        municipality = roster.municipality
        facilities = []
        for facility in municipality.facilities:
            booked = [(b, phone) for b, phone in roster.rows if b.facility_id == facility.id]
            closed = closed_label(t, facility, municipality, day)
            places = t.n_(
                "%(booked)d of %(places)d place booked",
                "%(booked)d of %(places)d places booked",
                facility.places_per_day,
            ) % {"booked": len(booked), "places": facility.places_per_day}
            waiting = [
                {
                    "who": who_waits(t, entry, phone),
                    "state": _waiting_state(t, entry),
                }
                for entry, phone in roster.waiting
                if entry.facility_id == facility.id
            ]
            facilities.append(
                {
                    "id": facility.id,
                    "name": facility_name(t, municipality, facility.id),
                    "state": closed or places,
                    "closed": closed is not None,
                    "rows": [
                        {
                            "id": b.id,
                            "who": who(t, b, phone),
                            "how": how(t, b),
                            "attendance": b.attendance,
                        }
                        for b, phone in booked
                    ],
                    "waiting": waiting,
                    "certificates": _certificate_options(t, municipality, facility, day),
                }
            )
        languages = [(lang, own_name(lang)) for lang in municipality.languages]
        blocks.append(
            {
                "id": municipality.id,
                "name": municipality.name.get(t.lang),
                "facilities": facilities,
                "languages": languages,
            }
        )
    return {
        "blocks": blocks,
        "day": t.date(day),
        "iso_day": day.isoformat(),
        "marking": day <= today,  # who came is marked on the day or after it
        "bookable": day >= today,
        "previous": (day - timedelta(days=1)).isoformat(),
        "next": (day + timedelta(days=1)).isoformat(),
    }


def who_waits(t: Translator, entry: waitlist.Entry, phone: str | None) -> str:
    """The phone of someone on the waiting list where known, else how they wrote."""
    if phone or entry.channel == "sms":
        return phone or entry.address
    channel = t._(CHANNEL_LABELS.get(entry.channel, entry.channel))
    return t.fill("no phone known (booked by %(channel)s)", channel=channel)


def _waiting_state(t: Translator, entry: waitlist.Entry) -> str:
    if entry.status == "offered" and entry.offer_expires_at is not None:
        return t.fill("offered a place until %(until)s", until=t.moment(entry.offer_expires_at))
    return t._("waiting")


def _certificate_options(
    t: Translator, municipality: Municipality, facility: Facility, day: date
) -> list[tuple[str, str]]:
    """What the booking form offers: the certificates the day's health rule accepts and the
    contactless hand-over where the facility has one; none needed on other days."""
    rule = next((r for r in municipality.health_rules if r.covers(day)), None)
    if rule is None or not (
        facility.certificate_required or facility.contactless_without_certificate
    ):
        return [(NONE_NEEDED, t._("no certificate needed"))]
    options: list[tuple[str, str]] = [
        (kind, t._(KIND_LABELS[kind])) for kind in HEALTH_KINDS if kind in rule.accepted
    ]
    if facility.contactless_without_certificate:
        options.append((CONTACTLESS, t._("contactless hand-over")))
    return options
