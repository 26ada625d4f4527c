"""One registry of the dialogs' actions: it refuses a name twice and knows which actions are
valid at any time, whatever was offered last."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import TypeVar

from dialogs.core.actions import (
    FLOW_ACTIONS,
    BookingAction,
    CertificatesAction,
    ContactsAction,
    MenuAction,
    PhoneAction,
    PrivacyAction,
    RequestAction,
    ServicesAction,
    SetupAction,
)
from dialogs.core.turn import Handler, Understander

T = TypeVar("T")

# Actions valid at any time, whatever choices were offered last.
ALWAYS_VALID: frozenset[str] = frozenset(
    {
        SetupAction.START,
        MenuAction.MENU,
        MenuAction.HELP,
        MenuAction.THANKS,
        ContactsAction.CONTACTS,
        ServicesAction.SERVICES,
        SetupAction.CHANGE_LANGUAGE,
        SetupAction.CHANGE_MUNICIPALITY,
        PhoneAction.PHONE,
        CertificatesAction.CERTIFICATES,
        BookingAction.BOOK,
        BookingAction.MINE,
        # Offers arrive by notification, possibly before their choices are recorded; the
        # handlers check that the offer is the resident's own and still open.
        BookingAction.OFFER_YES,
        BookingAction.OFFER_NO,
        RequestAction.REQUEST,
        RequestAction.CALL_BACK,
        RequestAction.MINE,
        RequestAction.RESUME,  # from an older message too: it checks the draft is still there
        PrivacyAction.FORGET,
    }
)
# Actions that setup (municipality and language) allows before it is complete.
SETUP_ACTIONS: frozenset[str] = frozenset({*SetupAction, MenuAction.HELP})
DECLARED = frozenset(action.value for flow in FLOW_ACTIONS for action in flow)


class DuplicateActionError(ValueError):
    """Two dialogs named an action (or a step reader) the same, or an action is undeclared."""


class Registry:
    """Handlers by action name, step readers by dialog name."""

    def __init__(self, dialogs: Iterable[ModuleType]) -> None:
        self._handlers: dict[str, Handler] = {}
        self._understanders: dict[str, Understander] = {}
        for dialog in dialogs:
            _merge(self._handlers, dialog.ACTIONS, dialog.__name__)
            _merge(self._understanders, getattr(dialog, "UNDERSTANDS", {}), dialog.__name__)
        undeclared = set(self._handlers) - DECLARED
        if undeclared:
            raise DuplicateActionError(
                f"actions not declared in dialogs.core.actions: {undeclared}"
            )
        unknown = (ALWAYS_VALID | SETUP_ACTIONS) - set(self._handlers)
        if unknown:
            raise DuplicateActionError(f"always-valid actions without a handler: {unknown}")

    def handler(self, name: str) -> Handler | None:
        """The handler of an action name ("book"), if any."""
        return self._handlers.get(name)

    def understander(self, dialog: str) -> Understander | None:
        """The reader of typed text in a dialog's own steps, if it has one."""
        return self._understanders.get(dialog)

    @staticmethod
    def valid(action: str, offered: set[str]) -> bool:
        """True if a pressed action may run: it was offered, or it is valid at any time."""
        return action in offered or action.partition(":")[0] in ALWAYS_VALID


def _merge(into: dict[str, T], items: Mapping[str, T], owner: str) -> None:
    for name, item in items.items():
        if name in into:
            raise DuplicateActionError(f"{owner} names {name!r}, which another dialog has")
        into[name] = item
