"""Twilio in and out: the signed `/sms` webhook answered with TwiML, and REST notifications."""

from __future__ import annotations

import logging
from datetime import timedelta

import phonenumbers
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.dispatch import PermanentDeliveryError
from bot.settings import Settings
from dialogs.pipeline.engine import Engine
from dialogs.render.sms_pages import paginate, sms_text
from dialogs.types import Incoming, Reply
from dialogs.understanding.text import fold as fold_words
from storage import inbox, sms
from storage.db import DatabaseUnavailableError

log = logging.getLogger(__name__)
_WINDOW = timedelta(minutes=10)  # flood control: at most SMS_FLOOD_LIMIT messages in this time,
_MUTE = timedelta(minutes=30)  # then one notice and silence for this long

CHANNEL = "sms"
MAX_BODY = 1600
STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit"}
START_WORDS = {"start", "unstop", "yes"}
MORE_WORDS = {"more", "daugiau", "vairak", "еще", "dalee", "далее"}


class SmsChannel:
    """The assistant over SMS: one instance serves the webhook and sends notifications."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        assert settings.twilio_auth_token, "the runner starts SMS only when Twilio is configured"
        assert settings.public_base_url, "settings require it with the auth token"
        self.engine = engine
        self.settings = settings
        self.validator = RequestValidator(settings.twilio_auth_token)
        self._http = AsyncTwilioHttpClient()
        self.client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token, http_client=self._http
        )
        if settings.twilio_api_base_url:
            self.client.api.base_url = settings.twilio_api_base_url

    def routes(self) -> list[Route]:
        """`POST /sms` and `POST /sms/status`."""
        path = self.settings.sms_path
        return [
            Route(path, self.receive, methods=["POST"]),
            Route(f"{path}/status", self.status, methods=["POST"]),
        ]

    async def close(self) -> None:
        """Close the HTTP session of the Twilio client."""
        await self._http.close()

    async def _signed_form(self, request: Request) -> dict[str, str] | None:
        form = {key: str(value) for key, value in (await request.form()).items()}
        url = f"{self.settings.public_base_url}{request.url.path}"
        signature = request.headers.get("X-Twilio-Signature", "")
        return form if self.validator.validate(url, form, signature) else None

    async def receive(self, request: Request) -> Response:
        """One SMS from a resident: check the signature, answer once, within Twilio's time."""
        form = await self._signed_form(request)
        if form is None:
            log.warning("an SMS webhook call with a bad or missing signature was refused")
            return Response(status_code=403)
        sid, sender = form.get("MessageSid", ""), form.get("From", "")
        address = _e164(sender)
        if not sid or address is None:
            return Response(status_code=400)
        try:
            return await self._converse(form, sid, address)
        except DatabaseUnavailableError as error:
            # Twilio keeps no retry for us: the resident is asked to write again later.
            log.error("an SMS was not handled: %s", error)
            reply = self.engine.unavailable_reply(_country_language(address))
            return _twiml([sms_text(Reply(reply.text), transliterate_cyrillic=True)])

    async def _converse(self, form: dict[str, str], sid: str, address: str) -> Response:
        """Copies, flood control, STOP/START/MORE, then the engine. The MessageSid is marked
        answered with the turn (or after the command): Twilio's retry of a message already
        answered gets nothing, one whose answer a crash swallowed is answered."""
        body = form.get("Body", "")
        now = self.engine.clock.now()
        async with self.engine.database.transaction() as conn:
            if await inbox.handled(conn, CHANNEL, sid):
                return _twiml([])  # Twilio retried: it was answered already
            verdict = await sms.count_message(
                conn, address, now, self.settings.sms_flood_limit, _WINDOW, _MUTE
            )
        command = await self._command(form, body, address, verdict)
        if command is not None:
            await self.engine.mark_handled(CHANNEL, sid)
            return command
        replies = []
        if len(body) > MAX_BODY:
            body = body[:MAX_BODY]
            t = self.engine.catalogs.get((await self.engine.profile(CHANNEL, address))[1])
            replies.append(Reply(t._("Your message was long: I read its beginning.")))
        answers = await self.engine.handle(
            Incoming(CHANNEL, address, text=body, verified_phone=address, receipt=sid)
        )
        if not answers:
            return _twiml([])  # a copy of a message answered meanwhile
        return await self._answer(address, replies + answers)

    async def _command(
        self, form: dict[str, str], body: str, address: str, verdict: str
    ) -> Response | None:
        """The answer to flooding, STOP, START or MORE; None for a message to the engine."""
        if verdict == "muted":
            return _twiml([])
        language = (await self.engine.profile(CHANNEL, address))[1]
        t = self.engine.catalogs.get(language)
        if verdict == "notice":
            return await self._answer(
                address, [Reply(t._("Too many messages. Please wait a while and write again."))]
            )
        word = fold_words(body)
        if word in STOP_WORDS or form.get("OptOutType", "").upper() == "STOP":
            await self._opt(address, out=True)
            return await self._answer(
                address,
                [Reply(t._("You will get no more notifications. Send START to get them again."))],
            )
        if word in START_WORDS or form.get("OptOutType", "").upper() == "START":
            await self._opt(address, out=False)
            return await self._answer(address, [Reply(t._("Notifications are on again."))])
        if word in MORE_WORDS:
            async with self.engine.database.transaction() as conn:
                page = await sms.next_page(conn, address)
            if page is None:
                return await self._answer(address, [Reply(t._("There is nothing more."))])
            return _twiml([page])
        return None

    async def _opt(self, address: str, out: bool) -> None:
        now = self.engine.clock.now()
        async with self.engine.database.transaction() as conn:
            await sms.set_opted_out(conn, address, now if out else None)
        log.info("an SMS number opted %s", "out" if out else "in")

    async def _answer(self, address: str, replies: list[Reply]) -> Response:
        pages = await self._pages(address, replies)
        async with self.engine.database.transaction() as conn:
            await sms.set_pages(conn, address, pages[1:])
        return _twiml(pages[:1])

    async def _pages(self, address: str, replies: list[Reply]) -> list[str]:
        municipality_id, language = await self.engine.profile(CHANNEL, address)
        municipality = self.engine.content.municipality(municipality_id)
        transliterate = municipality is None or municipality.sms_russian == "transliterate"
        t = self.engine.catalogs.get(language)
        text = "\n\n".join(sms_text(reply, transliterate) for reply in replies)
        more = sms_text(Reply(t._("Reply MORE for the rest.")), transliterate)
        return paginate(text, self.settings.sms_max_segments, more)

    async def status(self, request: Request) -> Response:
        """Twilio's delivery report for a notification."""
        form = await self._signed_form(request)
        if form is None:
            return Response(status_code=403)
        async with self.engine.database.transaction() as conn:
            await sms.record_status(
                conn,
                form.get("MessageSid", "?"),
                form.get("MessageStatus", "?"),
                self.engine.clock.now(),
            )
        return Response(status_code=204)

    async def notify(self, address: str, reply: Reply) -> bool:
        """Send an outbox message by SMS (page by page), unless the number opted out."""
        async with self.engine.database.transaction() as conn:
            if await sms.opted_out(conn, address):
                raise PermanentDeliveryError("the number opted out")
        callback = f"{self.settings.public_base_url}{self.settings.sms_path}/status"
        for page in await self._pages(address, [reply]):
            await self.client.messages.create_async(
                to=address,
                from_=self.settings.twilio_from_number,
                body=page,
                status_callback=callback,
            )
        return True


def _twiml(messages: list[str]) -> Response:
    response = MessagingResponse()
    for message in messages:
        response.message(message)
    return Response(str(response), media_type="application/xml")


def _country_language(address: str) -> str | None:
    """The language of the number's country (lt, lv), when the database cannot tell."""
    region = phonenumbers.region_code_for_number(phonenumbers.parse(address, None))
    return {"LT": "lt", "LV": "lv"}.get(region or "")


def _e164(number: str) -> str | None:
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
