"""The desk's register page (`/desk/register`): a supervisor checks a CSV file of the
certificate register (what it would change, line errors), then applies it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.desk import session
from dialogs.core.i18n import Translator
from dialogs.staff.web_desk import Result
from dialogs.staff.web_register import MAX_FILE, Check, WebRegister
from storage.staff import Member

if TYPE_CHECKING:
    from bot.desk.app import Desk

SHOWN_FIELDS = ("kind", "holder_phone", "issued_on", "expires_on", "extension_months")


class RegisterPages:
    """The routes, over the desk's session, language and page frame."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.register = WebRegister(desk.engine.content)

    def routes(self) -> list[Route]:
        """The page's routes, inside /desk."""
        return [
            Route("/register", self.page, methods=["GET"]),
            Route("/register/{what}", self.post, methods=["POST"]),
        ]

    async def page(self, request: Request) -> Response:
        """The upload form."""
        members = await self.desk.members_of(request)
        if not members:
            return self.desk.signed_out(request)
        return self._show(request, members, None, "", None)

    def _show(
        self,
        request: Request,
        members: list[Member],
        check: Check | None,
        text: str,
        refusal: Result | None,
    ) -> Response:
        t = self.desk.translator(request, members)
        done = f"register-{refusal.value}" if refusal else None
        values = _check_values(t, check) if check else None
        return self.desk.render(
            request,
            "register.html",
            t,
            200 if refusal is None and not (check and check.errors) else 400,
            done=done,
            municipalities=self.register.municipalities(members),
            check=values,
            text=text if check and not check.errors else "",
        )

    async def post(self, request: Request) -> Response:
        """Check a file, or apply the file checked: CSRF checked, one unit."""
        desk = self.desk
        members = await desk.members_of(request)
        if not members:
            return desk.signed_out(request)
        async with request.form(max_part_size=MAX_FILE) as form:
            if not session.csrf_ok(request, form.get("csrf")):
                return desk.expired(request, members)
            upload = form.get("file")
            if isinstance(upload, UploadFile) and upload.filename:
                raw = await upload.read(MAX_FILE + 1)
                text = raw.decode("utf-8", errors="replace")
            else:
                text = str(form.get("text") or "")
            municipality = str(form.get("municipality") or "")
            digest = str(form.get("digest") or "")
        now = desk.engine.clock.now()
        what = request.path_params["what"]
        if what == "check":
            found = await desk.engine.database.unit(
                lambda conn: self.register.check(conn, members, municipality, text, now)
            )
        elif what == "apply":
            found = await desk.engine.database.unit(
                lambda conn: self.register.apply(conn, members, municipality, text, digest, now)
            )
        else:
            return Response(status_code=404)
        if isinstance(found, Result):
            return self._show(request, members, None, "", found)
        if found.applied:  # a reload does not post the file again
            return RedirectResponse("/desk/register?done=register-applied", status_code=303)
        return self._show(request, members, found, text, None)


def _check_values(t: Translator, check: Check) -> dict[str, Any]:
    """The difference as the page lists it: the errors, or each new and updated number."""
    rows = []
    for change in check.changes:
        if change.action == "unchanged":
            continue
        new, old = check.after[change.number], check.before.get(change.number)
        fields = change.changed if old else SHOWN_FIELDS
        rows.append(
            {
                "number": change.number,
                "new": change.action == "new",
                "fields": [
                    (name, str(getattr(old, name)) if old else "", str(getattr(new, name) or ""))
                    for name in fields
                    if name in SHOWN_FIELDS
                ],
            }
        )
    counts = {a: sum(c.action == a for c in check.changes) for a in ("new", "updated", "unchanged")}
    return {
        "municipality": check.municipality,
        "errors": [(e.line, t._(e.template) % e.values) for e in check.errors],
        "rows": rows,
        "counts": counts,
        "digest": check.digest,
    }
