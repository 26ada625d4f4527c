"""Finding the department or service a resident's words name, in any offered language."""

from __future__ import annotations

from dialogs.core.actions import ContactsAction
from dialogs.core.turn import Turn
from dialogs.types import Choice, Reply
from dialogs.understanding.matching import Candidate, best_matches
from dialogs.understanding.text import fold
from storage.content import Department, Municipality, Service


def find(turn: Turn, text: str, departments: bool = True, services: bool = True) -> list[Choice]:
    """Choices for the best-matching departments and services (departments first)."""
    municipality = turn.municipality
    if municipality is None:
        return []
    labels: dict[str, str] = {}
    candidates: list[Candidate] = []
    entries: list[Department | Service] = []
    if departments:
        entries += municipality.departments
    if services:
        entries += municipality.services
    for entry in entries:
        action = f"{'dept' if isinstance(entry, Department) else 'svc'}:{entry.id}"
        labels[action] = turn.text(entry.name)
        candidates.append(Candidate(action, _phrases(turn, municipality, entry)))
    found = best_matches(text, candidates)
    # A department's answer lists its services' status too, so one department is enough.
    found_departments = [
        action for action in found if action.startswith(f"{ContactsAction.DEPARTMENT}:")
    ]
    if len(found_departments) == 1:
        found = found_departments
    return [Choice(labels[action], action) for action in found]


def which_one(turn: Turn, choices: list[Choice]) -> Reply:
    """Ask which of several matches the resident meant."""
    return turn.reply(turn.t._("Several answers fit. Which one do you mean?"), choices)


def _phrases(
    turn: Turn, municipality: Municipality, entry: Department | Service
) -> tuple[str, ...]:
    phrases = list(entry.name.values.values())
    if isinstance(entry, Department):
        phrases += [word for words in entry.topics.values() for word in words]
    kind = turn.content.kinds.get(entry.kind) if entry.kind else None
    if kind is not None:
        phrases += [word for lang in municipality.languages for word in kind.words.get(lang, ())]
    return tuple(phrases)


def find_exact(turn: Turn, text: str) -> Choice | None:
    """The department or service whose name the message is, word for word (any language)."""
    municipality = turn.municipality
    if municipality is None:
        return None
    folded = fold(text)
    entries: list[Department | Service] = [*municipality.services, *municipality.departments]
    for entry in entries:
        if any(fold(name) == folded for name in entry.name.values.values()):
            prefix = "dept" if isinstance(entry, Department) else "svc"
            return Choice(turn.text(entry.name), f"{prefix}:{entry.id}")
    return None
