"""The health-certificate check for in-person visits: kind, date (and time), visit day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dialogs.core.actions import CertificatesAction
from dialogs.core.i18n import N_
from dialogs.core.state import HealthState
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Handler, Turn, Understander
from dialogs.rules.validity import HealthCheck, health_check
from dialogs.types import Choice, Reply
from dialogs.understanding.dates import local_datetime, parse_day, parse_moment
from storage.content import HEALTH_KINDS, HealthKind

KIND_LABELS: dict[HealthKind, str] = {
    "vaccination": N_("Vaccination certificate"),
    "recovery": N_("Recovery certificate"),
    "test": N_("Negative test"),
}


async def ask_kind(turn: Turn, _: str) -> Reply:
    """Which certificate does the resident have?"""
    municipality = turn.require_municipality()
    t = turn.t
    turn.go(Dialog.HEALTH, Step.KIND, back=CertificatesAction.CERTIFICATES)
    accepted = {kind for rule in municipality.health_rules for kind in rule.accepted}
    choices = [
        Choice(t._(KIND_LABELS[k]), f"{CertificatesAction.HEALTH_KIND}:{k}")
        for k in HEALTH_KINDS
        if k in accepted
    ]
    choices.append(Choice(t._("I have none"), f"{CertificatesAction.HEALTH_KIND}:none"))
    return turn.reply(t._("Which certificate do you have?"), choices)


async def choose_kind(turn: Turn, kind: str) -> Reply:
    """Remember the kind; ask its date, or explain what is possible without one."""
    t = turn.t
    if kind not in HEALTH_KINDS:
        turn.go(Dialog.HEALTH, Step.KIND, back=CertificatesAction.CERTIFICATES)
        return turn.reply(
            t._(
                "Without a certificate you cannot come in person; "
                "the social service serves you remotely."
            )
        )
    turn.go(Dialog.HEALTH, Step.ISSUED, back=CertificatesAction.HEALTH)
    turn.state(HealthState).kind = kind
    if kind == "test":
        text = t._(
            "When was the test taken? Write the date and time, for example 25.10.2021 14:30."
        )
    else:
        text = t._("What is the date on the certificate? For example 25.10.2021.")
    return turn.reply(text)


async def understand(turn: Turn, text: str) -> Reply | None:
    """Read the certificate's date (and time), then the day of the visit."""
    t = turn.t
    step = turn.conversation.step
    if step == Step.ISSUED:
        day, at = parse_moment(text, turn.today)
        kind = turn.state(HealthState).kind
        if day is None or (kind == "test" and at is None):
            return turn.reply(
                t._("Sorry, I could not read that. Please write it like 25.10.2021 14:30.")
            )
        if day > turn.today:
            return turn.reply(t._("That date is in the future. Please check it."))
        turn.state(HealthState).issued = local_datetime(day, at).isoformat()
        turn.go(Dialog.HEALTH, Step.VISIT, back=CertificatesAction.HEALTH)
        choices = [
            Choice(t._("Today"), f"{CertificatesAction.HEALTH_VISIT}:0"),
            Choice(t._("Tomorrow"), f"{CertificatesAction.HEALTH_VISIT}:1"),
        ]
        return turn.reply(
            t._("For which day do you plan the visit? Choose or write a date."), choices
        )
    if step in (Step.VISIT, Step.DONE):  # after a verdict, another day can be checked at once
        day = parse_day(text, turn.today)
        if day is None:
            return turn.reply(
                t._("Sorry, I could not read that date. Please write it like 25.10.2021.")
            )
        return _verdict(turn, day)
    return None


async def choose_visit(turn: Turn, offset: str) -> Reply:
    """The visit day from a button: today or tomorrow."""
    return _verdict(turn, turn.today + timedelta(days=1 if offset == "1" else 0))


def _verdict(turn: Turn, visit: date) -> Reply:
    t = turn.t
    state = turn.state(HealthState)
    kind, issued = state.kind, state.issued
    if kind not in HEALTH_KINDS or not isinstance(issued, str):
        return turn.reply(
            t._("Let us start the check again."),
            [Choice(t._("Check again"), CertificatesAction.HEALTH)],
        )
    health_kind = next(k for k in HEALTH_KINDS if k == kind)
    check = health_check(
        health_kind, datetime.fromisoformat(issued), visit, turn.require_municipality().health_rules
    )
    turn.go(Dialog.HEALTH, Step.DONE, back=CertificatesAction.CERTIFICATES)
    return turn.reply(
        _explain(turn, check, visit), [Choice(t._("Check again"), CertificatesAction.HEALTH)]
    )


def _explain(turn: Turn, check: HealthCheck, visit: date) -> str:
    t = turn.t
    day = t.date(visit)
    if check.reason == "no_rule":
        return t.fill("On %(day)s the notices require no health certificate for a visit.", day=day)
    if check.reason == "kind_not_accepted":
        return t.fill("This kind of certificate is not accepted for visits on %(day)s.", day=day)
    if check.reason == "not_yet":
        return t.fill(
            "The certificate is dated after %(day)s: it cannot be used for that visit.", day=day
        )
    if check.reason == "until_time" and check.valid_until is not None:
        return t.fill(
            "This certificate is valid on %(day)s only until %(time)s: come before then, "
            "or bring a newer one.",
            day=day,
            time=t.time(check.valid_until),
        )
    if check.reason == "expired":
        verdict = t.fill("This certificate is not valid for a visit on %(day)s.", day=day)
    else:
        verdict = t.fill("This certificate is valid for a visit on %(day)s.", day=day)
    if check.valid_until is None:
        return verdict
    until = t.fill("It is valid until %(moment)s.", moment=t.moment(check.valid_until))
    return f"{verdict} {until}"


ACTIONS: dict[str, Handler] = {
    CertificatesAction.HEALTH: ask_kind,
    CertificatesAction.HEALTH_KIND: choose_kind,
    CertificatesAction.HEALTH_VISIT: choose_visit,
}
UNDERSTANDS: dict[str, Understander] = {Dialog.HEALTH: understand}
