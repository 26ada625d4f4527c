"""The vocabulary of bookings on the web desk: what a booking form asks for, how an action
ended, and a day's roster."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from storage import waitlist
from storage.bookings import Booking
from storage.content import Municipality

CONTACTLESS = "contactless"  # the certificate field's value for a hand-over without contact
NONE_NEEDED = ""


class Outcome(StrEnum):
    """How a bookings action ended (the roster page says which)."""

    BOOKED = "booked"
    BOOKED_LANDLINE = "booked-landline"  # booked; a landline gets no SMS
    BOOKED_NO_SMS = "booked-no-sms"  # booked; this server sends no SMS
    NO_OFFER = "no-offer"  # a landline (or no SMS here) cannot get a waiting list's offer
    CANCELLED_UNTOLD = "cancelled-untold"  # cancelled; the resident could not be told
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    MARKED = "marked"
    NOT_YET = "not-yet"  # who came is marked on the day or after it
    BAD_PHONE = "bad-phone"
    PAST = "closed-past"  # not a day the facility can be booked: why
    WEEKDAY = "closed-weekday"
    CLOSURE = "closed-closure"
    HOLIDAY = "closed-holiday"
    SUSPENDED = "closed-suspended"
    TOO_FAR = "closed-too-far"
    FULL = "full"
    ALREADY = "already"  # booked that day already, or on the list already
    CERTIFICATE = "certificate"  # the day's health rule wants a certificate or the hand-over
    STALE = "stale"  # the booking changed meanwhile
    REFUSED = "refused"


CLOSED_OUTCOMES = {
    "past": Outcome.PAST,
    "weekday": Outcome.WEEKDAY,
    "closure": Outcome.CLOSURE,
    "holiday": Outcome.HOLIDAY,
    "suspended": Outcome.SUSPENDED,
    "too_far": Outcome.TOO_FAR,
}


@dataclass(frozen=True)
class Roster:
    """A municipality's day: its bookings and its waiting list, each with the phone if known."""

    municipality: Municipality
    rows: list[tuple[Booking, str | None]]
    waiting: list[tuple[waitlist.Entry, str | None]]


@dataclass(frozen=True)
class OnBehalf:
    """A booking (or a waiting-list place) asked for by a resident who phoned the office."""

    municipality_id: str
    facility_id: str
    day: date
    phone: str  # as staff typed it
    certificate: str = NONE_NEEDED  # a health kind, CONTACTLESS, or NONE_NEEDED
    language: str | None = None  # the resident's, if staff chose one
    note: str | None = None  # how the door recognises them (a name), kept with the booking
