"""The actions of every flow, named in code: an enum per flow. The values are the short ids on
the wire (Telegram's callback_data, at most 64 bytes with an argument: "bkday:2021-11-03")."""

from __future__ import annotations

from enum import StrEnum


class MenuAction(StrEnum):
    """The main menu and help."""

    MENU = "menu"
    HELP = "help"
    REOPEN = "reopen"  # a chat opened again: where it stopped
    THANKS = "thanks"


class SetupAction(StrEnum):
    """Onboarding: the municipality and the language."""

    START = "start"
    MUNICIPALITY = "mun"
    LANGUAGE = "lang"
    CHANGE_MUNICIPALITY = "municipality"
    CHANGE_LANGUAGE = "language"


class ContactsAction(StrEnum):
    """Contacts."""

    CONTACTS = "contacts"
    DEPARTMENT = "dept"


class ServicesAction(StrEnum):
    """Service availability."""

    SERVICES = "services"
    RESTRICTED = "status"
    SERVICE = "svc"
    NOTIFY = "notify"  # tell me when this service changes
    UNNOTIFY = "unnotify"


class CertificatesAction(StrEnum):
    """Status certificates and the health certificate."""

    CERTIFICATES = "certificates"
    STATUS = "cert"
    HEALTH = "health"
    HEALTH_KIND = "hkind"
    HEALTH_VISIT = "hvisit"


class PhoneAction(StrEnum):
    """The resident's verified phone."""

    PHONE = "phone"


class PrivacyAction(StrEnum):
    """/forget."""

    FORGET = "forget"
    ERASE = "forget!"


class BookingAction(StrEnum):
    """Shower and laundry bookings, the waiting list and its offers."""

    BOOK = "book"
    FACILITY = "bk"
    DAY = "bkday"
    CERTIFICATE = "bkcert"
    WAITLIST = "wl"
    MINE = "mybk"
    CANCEL = "bkcancel"
    CANCEL_CONFIRMED = "bkcancel!"
    CANCEL_NAMED = "bkcancelof"  # typed: the booking of this facility (and day), if just one
    KEEP = "bkkeep"  # "no, keep it": the bookings again, nothing changed
    LEAVE_WAITLIST = "wlleave"
    OFFER_YES = "wlyes"
    OFFER_NO = "wlno"


class RequestAction(StrEnum):
    """Requests from isolated residents."""

    REQUEST = "rq"
    CALL_BACK = "human"
    NEED = "rqneed"
    NEXT = "rqnext"
    SAVED_ADDRESS = "rqaddr"
    KEEP_ADDRESS = "rqkeep"
    URGENCY = "rqurg"
    SEND = "rqsend"
    MINE = "myrq"
    WITHDRAW = "rqwd"  # asks first
    WITHDRAW_CONFIRMED = "rqwd!"
    KEEP = "rqstay"  # "no, keep it": the requests again, nothing changed
    RESUME = "rqgo"  # back to a started request the resident left


FLOW_ACTIONS = (
    MenuAction,
    SetupAction,
    ContactsAction,
    ServicesAction,
    CertificatesAction,
    PhoneAction,
    PrivacyAction,
    BookingAction,
    RequestAction,
)
