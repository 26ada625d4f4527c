"""What the desk's pages show: labels in the member's language, a request's page values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dialogs.core.i18n import N_, Translator
from dialogs.staff.cards import STAFF_STATUS, card_text
from dialogs.staff.web_desk import Page
from storage import desk as desk_store
from storage.content import Content
from storage.staff import Member, Role

# What a page says after an action (?done=...), and which of them are refusals.
FLASHES = {
    "signed-in": N_("You are signed in."),
    "saved": N_("Saved."),
    "sent": N_("Sent to the resident through the assistant."),
    "noted": N_("Note added."),
    "signed-out": N_("You are signed out."),
    "refused": N_("Not done: you may not do this."),
    "stale": N_("Not done: the request changed meanwhile. Here it is as it is now."),
    "empty": N_("Nothing was saved or sent: write the text first."),
    "too-long": N_("Nothing was saved or sent: the text is longer than 1,000 characters."),
    "not-found": N_("Write a request number, e.g. 12."),
    "invalid": N_(
        "Not saved: check the status and the dates (from a day within two years; the last"
        " day not before the first)."
    ),
    "undone": N_("Undone: residents are told what they were told before."),
    "undone-before": N_("This status was undone already."),
    "booked": N_(
        "Booked. The resident gets the confirmation by SMS and a reminder the day before."
    ),
    "booked-landline": N_("Booked. The number is a landline: no SMS is sent, tell the resident."),
    "removed-held": N_(
        "Removed. The requests they held are back in the queue for colleagues to take; the"
        " residents are told."
    ),
    "booked-no-sms": N_("Booked. This server sends no SMS: tell the resident yourself."),
    "no-offer": N_(
        "Not on the waiting list: a freed place is offered by SMS, and this number cannot get"
        " one (a landline, or no SMS on this server). Note the number and call back."
    ),
    "cancelled-untold": N_(
        "Cancelled: the resident could not be told (no SMS to this number), call them; the"
        " place goes to the next on the waiting list."
    ),
    "waitlisted": N_("On the waiting list: a freed place is offered to the resident by SMS."),
    "cancelled": N_("Cancelled: the resident is told, and the place goes to the waiting list."),
    "marked": N_("Marked."),
    "not-yet": N_("Not marked: who came is marked on the day or after it."),
    "bad-phone": N_("Not done: this is not a phone number. Check the digits."),
    "closed-past": N_("Not booked: this day has passed."),
    "closed-weekday": N_("Not booked: the service does not work on this weekday."),
    "closed-closure": N_("Not booked: the service is closed on this day."),
    "closed-holiday": N_("Not booked: this day is a public holiday."),
    "closed-suspended": N_("Not booked: the service is suspended on this day."),
    "closed-too-far": N_("Not booked: bookings for this day are not open yet."),
    "full": N_("Not booked: the day is full. You can put the resident on the waiting list."),
    "already": N_("Not done: the resident is already booked or waiting on this day."),
    "broadcast-sent": N_("The notice is on its way: the counts below grow as it is delivered."),
    "broadcast-withdrawn": N_("Withdrawn: what was not sent yet will not be sent."),
    "broadcast-empty": N_("Nothing sent: write the text in the municipality's main language."),
    "broadcast-too-long": N_("Nothing sent: a text is longer than 1,000 characters."),
    "broadcast-invalid": N_(
        "Nothing sent: choose the day (and a facility or service where asked), and a sending"
        " time from now to 30 days ahead."
    ),
    "broadcast-scheduled": N_(
        "The notice is scheduled: it goes out at the time set. Until then you can withdraw it."
    ),
    "broadcast-nobody": N_("Nothing sent: nobody matches these choices."),
    "broadcast-refused": N_("Not done: only a supervisor can send notices to residents."),
    "broadcast-stale": N_("Nothing left to withdraw: it has been sent."),
    "register-applied": N_("Imported: the register now holds these certificates."),
    "register-empty": N_("Nothing checked: choose a CSV file first."),
    "register-too-long": N_("Nothing checked: the file is too large."),
    "register-stale": N_(
        "Not imported: the register changed since the check. Check the file again."
    ),
    "register-refused": N_("Not done: only a supervisor can import the register."),
    "certificate": N_(
        "Not booked: on this day the resident needs a certificate (or, for the laundry, the"
        " contactless hand-over)."
    ),
}


ERRORS = {"refused", "stale", "empty", "too-long", "not-found", "invalid", "undone-before"}
ERRORS |= {"closed-past", "closed-weekday", "closed-closure", "closed-holiday"}
ERRORS |= {"closed-suspended", "closed-too-far", "no-offer", "not-yet"}
ERRORS |= {"bad-phone", "full", "already", "certificate", "broadcast-empty"}
ERRORS |= {"register-empty", "register-too-long", "register-stale", "register-refused"}
ERRORS |= {
    "broadcast-nobody",
    "broadcast-too-long",
    "broadcast-invalid",
    "broadcast-refused",
    "broadcast-stale",
}

ACTION_LABELS = {
    "take": N_("Take"),
    "done": N_("Done"),
    "unreach": N_("Could not reach"),
    "back": N_("Back to queue"),
    "reopen": N_("Reopen"),
}
MOVE_LABELS = {  # a status change on the timeline, by the action that made it
    "take": N_("taken"),
    "done": N_("done"),
    "unreach": N_("resident not reached"),
    "back": N_("back to the queue"),
    "reopen": N_("opened again"),
}
SHORT_EVENTS = (desk_store.EventKind.STATUS, desk_store.EventKind.ASSIGNED)
EVENT_LABELS = {
    "reply": N_("reply to the resident"),
    "note": N_("internal note"),
    "resident": N_("wrote"),
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
            "who": _who(t, event, names),
            "kind": event.kind.value,
            "label": _event_label(t, event),
            "text": "" if event.kind in SHORT_EVENTS else event.text,
        }
        for event in page.events
    ]
    return {
        "item": request,
        # How long it has waited only while nobody holds it.
        "card": card_text(t, request, holder, now if request.status == "open" else None),
        "state": status_label(t, request.status),
        "actions": [(a, t._(ACTION_LABELS[a])) for a in page.actions],
        "may_reply": page.may_reply and request.address is not None,
        "colleagues": [(m.user_id, m.name or m.user_id) for m in page.colleagues],
        "sms": request.channel == "sms",
        "received": t.moment(when(request.created_at)),
        "events": events,
    }


def _who(t: Translator, event: desk_store.Event, names: dict[str, str]) -> str:
    """The staff member as named now, else as named when they acted; the resident."""
    if event.kind == desk_store.EventKind.RESIDENT:
        return t._("the resident")
    actor = event.actor or ""
    return names.get(actor) or event.actor_name or t._("a former staff member")


def _event_label(t: Translator, event: desk_store.Event) -> str:
    if event.kind == desk_store.EventKind.STATUS:
        return t._(MOVE_LABELS.get(event.text, event.text))
    if event.kind == desk_store.EventKind.ASSIGNED:
        return t.fill("assigned to %(name)s", name=event.text)
    return t._(EVENT_LABELS[event.kind.value])


MENU = (
    ("/desk/", N_("Queues")),
    ("/desk/roster", N_("Bookings")),
    ("/desk/services", N_("Services")),
    ("/desk/broadcasts", N_("Notices")),
    ("/desk/figures", N_("Figures")),
    ("/desk/staff", N_("Staff")),
    ("/desk/register", N_("Register")),
)


def menu(content: Content, members: list[Member]) -> list[tuple[str, str]]:
    """The pages this member has something on: requests, bookings (no queue limit), and the
    supervisors' pages; figures for everyone."""
    places = [(m, content.municipality(m.municipality_id)) for m in members]
    chief = [p for m, p in places if p is not None and m.role == Role.SUPERVISOR]
    offered = {
        "/desk/": any(p is not None and p.requests for _, p in places),
        "/desk/roster": any(p is not None and p.facilities and m.queue is None for m, p in places),
        "/desk/services": bool(chief),
        "/desk/broadcasts": bool(chief),
        "/desk/figures": bool(members),
        "/desk/staff": bool(chief),
        "/desk/register": any(p.certificates is not None for p in chief),
    }
    return [(path, label) for path, label in MENU if offered[path]]
