"""Requests from residents at home: what is needed, where, how to call back, how urgent."""

from __future__ import annotations

from dataclasses import replace

from dialogs.core.actions import RequestAction
from dialogs.core.state import RequestDraft
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Handler, Turn, Understander
from dialogs.flows.requests.filing import send
from dialogs.flows.requests.mine import enough_open
from dialogs.flows.requests.person import no_requests, talk_to_person
from dialogs.staff.cards import NEED_LABELS, URGENCY_LABELS
from dialogs.types import Choice, Reply
from dialogs.understanding.nlu.entities import needs_named
from dialogs.understanding.request_words import says_done, urgency_in
from dialogs.understanding.yes_no import yes_or_no
from storage import residents
from storage.content import Municipality
from storage.phones import e164


def offers_requests(municipality: Municipality) -> bool:
    """True where the content sends requests to a staff queue."""
    return municipality.requests is not None


async def start(turn: Turn, _: str) -> Reply:
    """Begin a request: which needs (several can be chosen)."""
    municipality = turn.require_municipality()
    if municipality.requests is None:
        return no_requests(turn, municipality)
    if (enough := await enough_open(turn)) is not None:
        return enough
    saved = await residents.home_address(turn.connection, turn.resident_id)
    note = _abandoned(turn)
    _fresh(turn).saved_home = saved
    return _noted(turn, needs_reply(turn), note)


async def call_back(turn: Turn, argument: str) -> Reply:
    """ "Talk to a person": a call-back request to the municipality's queue, anywhere; with
    the voice note just sent when the resident accepted the offer made for it ("voice")."""
    municipality = turn.require_municipality()
    if municipality.requests is None:
        return talk_to_person(turn, municipality)
    if (enough := await enough_open(turn)) is not None:
        return enough
    voice = turn.state(RequestDraft).voice if argument == "voice" else None
    note = _abandoned(turn)
    draft = _fresh(turn)
    draft.needs, draft.voice = ["callback"], voice
    return _noted(turn, ask_phone(turn), note)


def _abandoned(turn: Turn) -> bool:
    """True if a started request is given up for a new one and the resident was not told."""
    draft = turn.state(RequestDraft)
    return bool(draft.needs) and not draft.left


def _fresh(turn: Turn) -> RequestDraft:
    """A new draft: nothing of an abandoned one."""
    turn.drop(RequestDraft)
    return turn.state(RequestDraft)


def _noted(turn: Turn, reply: Reply, abandoned: bool) -> Reply:
    if not abandoned:
        return reply
    note = turn.t._("The request you started before was not sent.")
    return replace(reply, text=f"{note}\n\n{reply.text}")


def at(turn: Turn, step: Step) -> None:
    """Move to a step of the request, remembered so that a resident who leaves can return."""
    turn.go(Dialog.REQUEST, step, back="menu" if step == Step.NEEDS else RequestAction.REQUEST)
    draft = turn.state(RequestDraft)
    draft.at, draft.left = step, False


async def toggle_need(turn: Turn, need: str) -> Reply:
    """Choose or unchoose one need."""
    chosen = turn.state(RequestDraft).needs
    if need in NEED_LABELS and need != "callback":
        if need in chosen:
            chosen.remove(need)
        else:
            chosen.append(need)
    return needs_reply(turn)


async def _needs_in_words(turn: Turn, text: str) -> Reply | None:
    """The needs written out ("maisto ir vaistų", "ne maisto, tik higienos") ticked and
    unticked, or "that's all" to go on."""
    draft = turn.state(RequestDraft)
    wanted, unwanted = needs_named(text)
    if not wanted and not unwanted:
        return await ask_details(turn, "") if draft.needs and says_done(text) else None
    draft.needs = [need for need in draft.needs if need not in unwanted]
    draft.needs += [need for need in wanted if need not in draft.needs]
    return needs_reply(turn)


def needs_reply(turn: Turn) -> Reply:
    """Which needs, the chosen ones ticked."""
    t = turn.t
    at(turn, Step.NEEDS)
    chosen = turn.state(RequestDraft).needs
    choices = [
        Choice(("✓ " if key in chosen else "") + t._(label), f"{RequestAction.NEED}:{key}")
        for key, label in NEED_LABELS.items()
        if key != "callback"
    ]
    if chosen:
        choices.append(Choice(t._("Continue"), RequestAction.NEXT))
    return turn.reply(t._("What do you need? Choose one or more, then Continue."), choices)


async def ask_details(turn: Turn, _: str) -> Reply:
    """In the resident's words."""
    if not turn.state(RequestDraft).needs:
        return needs_reply(turn)
    at(turn, Step.DETAILS)
    return turn.reply(turn.t._('Describe briefly what you need, or write "-".'))


def ask_address(turn: Turn) -> Reply:
    """Where to deliver: the remembered address, another one typed, or a location shared."""
    t = turn.t
    at(turn, Step.ADDRESS)
    saved = turn.state(RequestDraft).saved_home
    if saved:
        choices = [
            Choice(t._("Use this address"), f"{RequestAction.SAVED_ADDRESS}:saved"),
            Choice(t._("Another address"), f"{RequestAction.SAVED_ADDRESS}:new"),
        ]
        return turn.reply(
            t.fill("Deliver to %(address)s? Or write another address.", address=saved), choices
        )
    return turn.reply(t._("Your address (street, house, flat, town)?"))


def ask_flat(turn: Turn) -> Reply:
    """A location shows the house, not the flat: the resident adds it in words."""
    at(turn, Step.FLAT)
    return turn.reply(
        turn.t._(
            "Thank you, staff will see your location on a map. Please add the house and flat "
            'number (for example "5-12"), or write "-" if there is none.'
        )
    )


def ask_keep(turn: Turn) -> Reply:
    """Whether to remember the typed address."""
    t = turn.t
    at(turn, Step.KEEP)
    choices = [
        Choice(t._("Remember it"), f"{RequestAction.KEEP_ADDRESS}:1"),
        Choice(t._("No"), f"{RequestAction.KEEP_ADDRESS}:0"),
    ]
    return turn.reply(t._("Shall I remember this address for your next request?"), choices)


def ask_phone(turn: Turn) -> Reply:
    """The number for the call-back: the verified one goes on at once (also when it was just
    shared from this question); otherwise typed, or shared with the channel's button."""
    t = turn.t
    if turn.phone:
        draft = turn.state(RequestDraft)
        draft.phone = turn.phone
        return ask_urgency(turn) if draft.urgency is None else summary(turn)
    at(turn, Step.PHONE)
    question = t._("Which phone number should staff call?")
    if turn.can_share_phone:
        hint = t._("Write it, or share your own with the button below.")
        return Reply(f"{question} {hint}", ask_phone=t._("Share my phone number"))
    return turn.reply(question)


def ask_urgency(turn: Turn) -> Reply:
    """Today or in the next days: asked of every request, a call-back too."""
    t = turn.t
    at(turn, Step.URGENCY)
    choices = [
        Choice(t._(label), f"{RequestAction.URGENCY}:{key}")
        for key, label in URGENCY_LABELS.items()
    ]
    return turn.reply(t._("How urgent is it?"), choices)


async def use_saved_address(turn: Turn, which: str) -> Reply:
    """The remembered address, or ("new") the question for another one."""
    draft = turn.state(RequestDraft)
    if which == "new":
        at(turn, Step.ADDRESS)
        return turn.reply(turn.t._("Your address (street, house, flat, town)?"))
    draft.home = draft.saved_home
    return ask_phone(turn)


async def keep_address(turn: Turn, answer: str) -> Reply:
    """Remember the address for next time only if the resident says so."""
    if answer == "1":
        home = turn.state(RequestDraft).home
        await residents.set_home_address(turn.connection, turn.resident_id, home)
    return ask_phone(turn)


async def set_urgency(turn: Turn, key: str) -> Reply:
    """Today or in the next days."""
    turn.state(RequestDraft).urgency = key if key in URGENCY_LABELS else "soon"
    return summary(turn)


def summary(turn: Turn) -> Reply:
    """The request in labelled lines, to check before it is sent."""
    t = turn.t
    draft = turn.state(RequestDraft)
    at(turn, Step.CONFIRM)
    needs = [t._(NEED_LABELS[n]) for n in draft.needs if n in NEED_LABELS]
    lines = [
        t._("Please check your request:"),
        t.n_("Need: %(text)s", "Needs: %(text)s", len(needs))
        % {"text": ", ".join(need[:1].lower() + need[1:] for need in needs)},
    ]
    if draft.details:
        lines.append(t.fill("Details: %(text)s", text=draft.details))
    if draft.home:
        lines.append(t.fill("Address: %(text)s", text=draft.home))
    if draft.location:
        latitude, longitude = draft.location
        lines.append(t.fill("Location: %(place)s", place=f"{latitude:.5f}, {longitude:.5f}"))
    if draft.voice:
        lines.append(t._("Voice message: staff will get it with the request."))
    if draft.phone:
        lines.append(
            t.n_("Phone: %(numbers)s", "Phones: %(numbers)s", 1) % {"numbers": draft.phone}
        )
    urgency = URGENCY_LABELS.get(draft.urgency or "soon", URGENCY_LABELS["soon"])
    lines.append(t.fill("Urgency: %(text)s", text=t._(urgency)))
    return turn.reply("\n".join(lines), [Choice(t._("Send"), RequestAction.SEND)])


async def understand(turn: Turn, text: str) -> Reply | None:
    """Details, an address, the flat of a shared location, or a phone number, as asked."""
    step, draft = turn.conversation.step, turn.state(RequestDraft)
    words = None if text.strip() in ("-", "—") else text.strip()
    if step == Step.DETAILS:
        draft.details = words[:500] if words else None
        return ask_phone(turn) if "callback" in draft.needs else ask_address(turn)
    if step == Step.ADDRESS:
        if yes_or_no(text) is not None:  # "ne", "taip": an answer, not an address
            return turn.reply(turn.t._("Your address (street, house, flat, town)?"))
        draft.home = text.strip()[:200]
        return ask_keep(turn)
    if step == Step.FLAT:
        draft.home = words[:200] if words else None
        return ask_phone(turn)
    if step == Step.URGENCY:
        urgency = urgency_in(text)
        return await set_urgency(turn, urgency) if urgency else None
    if step == Step.NEEDS:
        return await _needs_in_words(turn, text)
    if step == Step.PHONE:
        number = e164(text, turn.require_municipality().country)
        if number is None:
            return turn.reply(
                turn.t._("That does not look like a phone number. Please write it again.")
            )
        draft.phone = number
        return ask_urgency(turn) if draft.urgency is None else summary(turn)
    return None


ACTIONS: dict[str, Handler] = {
    RequestAction.REQUEST: start,
    RequestAction.CALL_BACK: call_back,
    RequestAction.NEED: toggle_need,
    RequestAction.NEXT: ask_details,
    RequestAction.SAVED_ADDRESS: use_saved_address,
    RequestAction.KEEP_ADDRESS: keep_address,
    RequestAction.URGENCY: set_urgency,
    RequestAction.SEND: send,
}
UNDERSTANDS: dict[str, Understander] = {Dialog.REQUEST: understand}
