"""Where a conversation stands: the dialog, and its step, where typed text is read next."""

from __future__ import annotations

from enum import StrEnum


class Dialog(StrEnum):
    """The dialogs a conversation can be in."""

    MENU = "menu"
    ONBOARDING = "onboarding"
    CONTACTS = "contacts"
    SERVICES = "services"
    CERTIFICATES = "certificates"
    HEALTH = "health"
    PHONE = "phone"
    BOOKING = "booking"
    REQUEST = "request"


class Step(StrEnum):
    """A dialog's steps (named once for all dialogs: "issued" is booking's and health's)."""

    NONE = ""
    SEARCH = "search"  # contacts and services: a name or a topic is read
    MUNICIPALITY = "municipality"
    LANGUAGE = "language"
    STATUS = "status"
    NEED_PHONE = "need_phone"
    FACILITY = "facility"
    DAY = "day"
    FULL = "full"
    CERTIFICATE = "certificate"
    ISSUED = "issued"
    MINE = "mine"
    REFUSED = "refused"
    KIND = "kind"
    VISIT = "visit"
    DONE = "done"
    NEEDS = "needs"
    DETAILS = "details"
    ADDRESS = "address"
    KEEP = "keep"
    URGENCY = "urgency"
    CONFIRM = "confirm"
    PHONE = "phone"
    FLAT = "flat"  # a location was shared for the address: the house and flat number in words
