"""First contact and settings: choose the municipality and the language."""

from __future__ import annotations

from dialogs.core.actions import SetupAction
from dialogs.core.i18n import LANGUAGES
from dialogs.core.steps import Dialog, Step
from dialogs.core.turn import Handler, Turn, Understander
from dialogs.flows import first_words
from dialogs.flows.menu import menu_reply
from dialogs.types import Choice, Reply
from dialogs.understanding.matching import Candidate, best_matches
from dialogs.understanding.text import fold
from storage.content import Municipality
from storage.phones import country_language

PROMPT_LANGUAGES = ("lt", "lv", "ru")  # before a language is known, ask in all three


def needs_setup(turn: Turn) -> bool:
    """True until the resident has a municipality and one of its languages."""
    municipality = turn.municipality
    return municipality is None or turn.language not in municipality.languages


async def start(turn: Turn, payload: str) -> Reply:
    """Begin (or resume) a chat; a payload like "koknese_ru" presets municipality and language."""
    preset(turn, payload)
    if needs_setup(turn):
        return prompt(turn)
    return menu_reply(turn, turn.t._("Hello! I am the social services assistant."))


def preset(turn: Turn, payload: str) -> bool:
    """Apply a start payload ("koknese_ru"); True if it changed the municipality or language."""
    before = (turn.municipality_id, turn.language)
    for part in payload.lower().split("_"):
        if part in turn.content.municipalities:
            turn.municipality_id = part
        elif part in LANGUAGES:
            turn.language = part
    return (turn.municipality_id, turn.language) != before


def prompt(turn: Turn) -> Reply:
    """Ask for whatever setup still lacks: the municipality, then the language."""
    if turn.municipality is None:
        return ask_municipality(turn, narrow=turn.language is not None)
    return ask_language(turn, turn.municipality)


def ask_municipality(turn: Turn, narrow: bool = False) -> Reply:
    """Ask where the resident lives; `narrow`: offer only the municipalities whose own
    language is the resident's (a Latvian greeting: the Latvian ones), if there are any."""
    turn.go(Dialog.ONBOARDING, Step.MUNICIPALITY)
    languages = (turn.language,) if turn.language else PROMPT_LANGUAGES
    text = "\n".join(
        turn.catalogs.get(lang)._(
            "Hello! I am the social services assistant. Which municipality do you live in?"
        )
        for lang in languages
    )
    offered = _municipalities(turn)
    if narrow:  # by the language a greeting gave, else (Russian) by the phone's country
        home = turn.language if turn.language in ("lt", "lv") else None
        if home is None and turn.phone:
            home = country_language(turn.phone)
        offered = [m for m in offered if m.default_language == home] or offered
    return Reply(text, tuple(_municipality_choice(turn, m) for m in offered))


def ask_language(turn: Turn, municipality: Municipality) -> Reply:
    """Ask for one of the languages the municipality offers."""
    turn.go(Dialog.ONBOARDING, Step.LANGUAGE)
    text = "\n".join(
        turn.catalogs.get(lang)._("Choose your language.") for lang in municipality.languages
    )
    choices = tuple(
        Choice(turn.catalogs.get(lang).language_name(), f"{SetupAction.LANGUAGE}:{lang}")
        for lang in municipality.languages
    )
    return Reply(text, choices)


async def choose_municipality(turn: Turn, municipality_id: str) -> Reply:
    """Set the municipality; ask for a language if the current one is not offered there."""
    municipality = turn.content.municipality(municipality_id)
    if municipality is None:
        return ask_municipality(turn)
    turn.municipality_id = municipality.id
    if turn.language not in municipality.languages:
        return ask_language(turn, municipality)
    lead = turn.t.fill("Municipality: %(place)s.", place=turn.text(municipality.place))
    return menu_reply(turn, lead)


async def choose_language(turn: Turn, lang: str) -> Reply:
    """Set the language, if the municipality offers it."""
    municipality = turn.municipality
    if municipality is None:
        return ask_municipality(turn)
    if lang not in municipality.languages:
        return ask_language(turn, municipality)
    turn.language = lang
    return menu_reply(
        turn, turn.t.fill("Language: %(name)s.", name=turn.t.language_name(capitalised=False))
    )


async def change_municipality(turn: Turn, _: str) -> Reply:
    """Offer the municipalities again."""
    return ask_municipality(turn)


async def change_language(turn: Turn, _: str) -> Reply:
    """Offer the municipality's languages again."""
    if turn.municipality is None:
        return ask_municipality(turn, narrow=turn.language is not None)
    return ask_language(turn, turn.municipality)


async def understand(turn: Turn, text: str) -> Reply | None:
    """Read a typed municipality or language name, or a greeting (which tells the language)."""
    country = country_language(turn.phone) if turn.phone else None
    named = first_words.language_of(text, country)
    if turn.conversation.step == Step.LANGUAGE and turn.municipality is not None:
        folded = fold(text)
        for lang in turn.municipality.languages:
            if named == lang or folded in (lang, fold(turn.catalogs.get(lang).language_name())):
                return await choose_language(turn, lang)
        if "ru" in turn.municipality.languages and first_words.written_in_cyrillic(text):
            return await choose_language(turn, "ru")  # whatever it says, it is Russian
        return None
    if named is not None and turn.municipality is None:  # "Labdien": asked in Latvian only
        turn.language = named
        return ask_municipality(turn, narrow=True)
    candidates = [
        Candidate(m.id, tuple(m.place.values.values()) + tuple(m.name.values.values()))
        for m in _municipalities(turn)
    ]
    found = best_matches(text, candidates)
    return await choose_municipality(turn, found[0]) if len(found) == 1 else None


def _municipalities(turn: Turn) -> list[Municipality]:
    return sorted(
        turn.content.municipalities.values(), key=lambda m: m.place.get(m.default_language)
    )


def _municipality_choice(turn: Turn, municipality: Municipality) -> Choice:
    lang = turn.language if turn.language in municipality.languages else None
    return Choice(
        municipality.place.get(lang or municipality.default_language),
        f"{SetupAction.MUNICIPALITY}:{municipality.id}",
    )


ACTIONS: dict[str, Handler] = {
    SetupAction.START: start,
    SetupAction.MUNICIPALITY: choose_municipality,
    SetupAction.LANGUAGE: choose_language,
    SetupAction.CHANGE_MUNICIPALITY: change_municipality,
    SetupAction.CHANGE_LANGUAGE: change_language,
}
UNDERSTANDS: dict[str, Understander] = {Dialog.ONBOARDING: understand}
