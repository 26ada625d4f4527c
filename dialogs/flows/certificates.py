"""Status certificates: found by the resident's verified phone, never by a typed number."""

from __future__ import annotations

from dialogs.core.actions import CertificatesAction, ContactsAction
from dialogs.core.i18n import N_
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Handler, Turn, Understander
from dialogs.flows.contact_lines import department_lines
from dialogs.flows.menu import menu_reply
from dialogs.rules.validity import Validity, validity
from dialogs.types import Choice, Reply
from storage import certificates
from storage.certificates import StatusCertificate
from storage.content import Certificates, Municipality

BASE_KIND_NAMES = {
    "needy": N_("needy person certificate"),
    "low-income": N_("low-income person certificate"),
}
EXPIRY_WARNING_DAYS = 31


async def show_menu(turn: Turn, _: str) -> Reply:
    """What can be checked here."""
    municipality = turn.require_municipality()
    t = turn.t
    if not municipality.checks_certificates:
        lead = t._(
            "I cannot check certificates for your municipality: its notices say nothing "
            "about them. The social service can tell you more (see Contacts)."
        )
        return menu_reply(turn, lead)
    turn.go(Dialog.CERTIFICATES)
    choices = []
    if municipality.certificates is not None:
        choices.append(
            Choice(t._("Is my certificate valid?"), f"{CertificatesAction.STATUS}:status")
        )
    if municipality.health_rules:
        choices.append(
            Choice(t._("Can I come in person? (health certificate)"), CertificatesAction.HEALTH)
        )
    return turn.reply(t._("Certificates. What would you like to check?"), choices)


async def show_status(turn: Turn, _: str) -> Reply:
    """The resident's certificates, by the verified phone; or how to get one verified."""
    municipality = turn.require_municipality()
    register = municipality.certificates
    if register is None:
        return await show_menu(turn, "")
    t = turn.t
    turn.go(Dialog.CERTIFICATES, Step.STATUS, back=CertificatesAction.CERTIFICATES)
    if turn.phone is None:
        return _need_phone(turn, municipality, register)
    found = await certificates.for_holder(turn.connection, municipality.id, turn.phone)
    contact = department_lines(turn, municipality, register.department)
    if not found:
        lines = [t._("No certificate is registered for your phone number."), *contact]
        return turn.reply("\n".join(lines), _contact_choice(turn, register))
    blocks = [_describe(turn, municipality, c) for c in found]
    expired = any(_expired(turn, municipality, c) for c in found)
    ask = t._("To renew it, apply again to:") if expired else t._("Before it expires, contact:")
    tail = [ask, *contact]
    if register.note:
        tail.append(turn.text(register.note))
    return turn.reply("\n\n".join([*blocks, "\n".join(tail)]), _contact_choice(turn, register))


def _need_phone(turn: Turn, municipality: Municipality, register: Certificates) -> Reply:
    t = turn.t
    lead = t._(
        "To protect your data, I look up certificates only by your own verified phone number."
    )
    if turn.can_share_phone:
        turn.go(Dialog.CERTIFICATES, Step.NEED_PHONE, back=CertificatesAction.CERTIFICATES)
        text = lead + " " + t._('Share it with the button below, or write "menu".')
        return Reply(text, ask_phone=t._("Share my phone number"))
    lines = [
        lead,
        t._("On Telegram share your contact; by SMS your number is known. Or ask:"),
        *department_lines(turn, municipality, register.department),
    ]
    return turn.reply("\n".join(lines), _contact_choice(turn, register))


def _describe(turn: Turn, municipality: Municipality, certificate: StatusCertificate) -> str:
    t = turn.t
    register = municipality.certificates
    assert register is not None
    state = validity(certificate, municipality.emergencies, register.rules)
    lines = [
        t._("No. %(number)s: %(kind)s")
        % {"number": certificate.number, "kind": _kind_name(turn, register, certificate.kind)},
        _until_line(turn, state),
    ]
    if state.extended:
        lines.append(
            t.fill("Originally valid until %(date)s.", date=t.date(certificate.expires_on))
        )
        if state.rule is not None and state.rule.note is not None:
            lines.append(turn.text(state.rule.note))
    else:
        lines += [
            turn.text(rule.note)
            for rule in register.rules
            if rule.mode == "staff_months" and certificate.kind in rule.kinds and rule.note
        ]
    return "\n".join(lines)


def _expired(turn: Turn, municipality: Municipality, certificate: StatusCertificate) -> bool:
    register = municipality.certificates
    assert register is not None
    until = validity(certificate, municipality.emergencies, register.rules).valid_until
    return until is not None and until < turn.today


def _until_line(turn: Turn, state: Validity) -> str:
    t = turn.t
    if state.valid_until is None:
        return t._("Valid until one calendar month after the emergency situation ends.")
    line = t.fill("Valid until: %(date)s", date=t.long_date(state.valid_until))
    days = (state.valid_until - turn.today).days
    if days < 0:
        return line + "\n" + t._("It has expired.")
    if days == 0:
        return line + "\n" + t._("It expires today.")
    if days <= EXPIRY_WARNING_DAYS:
        return (
            line
            + "\n"
            + t.n_("It expires in %(num)d day.", "It expires in %(num)d days.", days)
            % {"num": days}
        )
    return line


def _kind_name(turn: Turn, register: Certificates, kind: str) -> str:
    declared = next((k for k in register.kinds if k.id == kind), None)
    if declared is not None:
        return turn.text(declared.name)
    return turn.t._(BASE_KIND_NAMES.get(kind, kind))


def _contact_choice(turn: Turn, register: Certificates) -> list[Choice]:
    return [Choice(turn.t._("Contacts"), f"{ContactsAction.DEPARTMENT}:{register.department}")]


async def understand(turn: Turn, text: str) -> Reply | None:
    """A typed certificate number is never looked up: that would reveal others' data."""
    if any(ch.isdigit() for ch in text) and turn.conversation.step in (
        Step.STATUS,
        Step.NEED_PHONE,
        Step.NONE,
    ):
        t = turn.t
        choices = [Choice(t._("Is my certificate valid?"), f"{CertificatesAction.STATUS}:status")]
        return turn.reply(
            t._(
                "For your safety I never look up a certificate by a number typed in the chat, "
                "only by your verified phone."
            ),
            choices,
        )
    return None


ACTIONS: dict[str, Handler] = {
    CertificatesAction.CERTIFICATES: show_menu,
    CertificatesAction.STATUS: show_status,
}
UNDERSTANDS: dict[str, Understander] = {Dialog.CERTIFICATES: understand}
