"""What every desk page and form does first: the signed-in member (else the sign-in page), and
the page's language, or the form's fields once its CSRF token is checked (else a refusal)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from dialogs.core.i18n import Translator
from storage.staff import Member

Page = Callable[[Any, Request, list[Member], Translator], Awaitable[Response]]
Form = Callable[[Any, Request, list[Member], FormData], Awaitable[Response]]
Route = Callable[[Any, Request], Awaitable[Response]]


def page(handler: Page) -> Route:
    """A page of a class with `self.desk`: called with the members and their language."""

    @functools.wraps(handler)
    async def signed(self: Any, request: Request) -> Response:
        found = await self.desk.signed_page(request)
        if isinstance(found, Response):
            return found
        return await handler(self, request, *found)

    return signed


def form(handler: Form) -> Route:
    """A form of a class with `self.desk`: called with the members and the checked fields."""

    @functools.wraps(handler)
    async def signed(self: Any, request: Request) -> Response:
        found = await self.desk.signed_form(request)
        if isinstance(found, Response):
            return found
        return await handler(self, request, *found)

    return signed
