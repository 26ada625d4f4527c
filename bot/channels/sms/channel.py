"""Twilio in and out: the signed `/sms` webhook, answered with TwiML from the turn's committed
answers, and REST sends from the outbox. STOP/START, flood control and MORE are the turn
pipeline's (one transaction with the turn)."""

from __future__ import annotations

import logging
import re

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.port import Assistant
from bot.delivery import PermanentDeliveryError
from bot.settings import Settings
from dialogs.render.sms_encoding import segments
from dialogs.types import Channel, Incoming, Outgoing, Receipt
from dialogs.understanding.phones import e164

log = logging.getLogger(__name__)

CHANNEL = Channel.SMS
MESSAGE_SID = re.compile(r"(SM|MM)[0-9a-f]{32}")
ACCOUNT_SID = re.compile(r"AC[0-9a-f]{32}")
PHONE = re.compile(r"\+[1-9][0-9]{6,14}")
OPT_OUT_WORDS = {"STOP": "stop", "START": "start"}  # Twilio's OptOutType, as the word it means


class SmsChannel:
    """The assistant over SMS: one instance serves the webhook and sends from the outbox."""

    def __init__(self, assistant: Assistant, settings: Settings) -> None:
        assert settings.twilio_auth_token, "the runner starts SMS only when Twilio is configured"
        assert settings.public_base_url, "settings require it with the auth token"
        self.assistant = assistant
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
        """One SMS: check the signature, run the turn (one transaction), answer with TwiML;
        once Twilio has the answer, the outbox marks it sent. A retry of the same MessageSid
        gets the committed answer again; one never retried is sent by REST after a minute."""
        form = await self._signed_form(request)
        if form is None:
            log.warning("an SMS webhook call with a bad or missing signature was refused")
            self.assistant.refused(CHANNEL, "signature")
            return Response(status_code=403)
        sid, address = form.get("MessageSid", ""), e164(form.get("From", ""))
        if address is None or not _well_formed(form):
            # Twilio signs keys and values run together: a captured request whose parameter
            # boundaries were moved still verifies. Its values then lose their shapes.
            log.warning("an SMS webhook call with malformed parameters was refused")
            self.assistant.refused(CHANNEL, "malformed")
            return Response(status_code=400)
        text = OPT_OUT_WORDS.get(form.get("OptOutType", "").upper(), form.get("Body", ""))
        incoming = Incoming(
            CHANNEL,
            address,
            text=text,
            verified_phone=address,
            receipt=Receipt(CHANNEL, sid),
            sms=True,
            inline=True,
        )
        outcome = await self.assistant.turn(incoming)
        pages = [reply.text for reply in outcome.replies]
        self.assistant.sent_sms(sum(segments(page)[1] for page in pages))  # Twilio sends them
        if not outcome.saved:
            return _twiml(pages)  # nothing in the outbox to mark
        # Once Twilio has the answer, the next delivery round marks it sent (not a second
        # transaction per SMS); unmarked within a minute, it goes by REST.
        return _twiml(pages, BackgroundTask(self.assistant.answered, CHANNEL, sid))

    async def status(self, request: Request) -> Response:
        """Twilio's delivery report for a message sent by REST."""
        form = await self._signed_form(request)
        if form is None:
            self.assistant.refused(CHANNEL, "signature")
            return Response(status_code=403)
        await self.assistant.sms_status(form.get("MessageSid", "?"), form.get("MessageStatus", "?"))
        return Response(status_code=204)

    async def send(self, outgoing: Outgoing) -> bool:
        """Send an outbox message by REST, page by page, unless the number opted out."""
        pages = await self.assistant.sms_pages(CHANNEL, outgoing.address, outgoing.reply)
        if pages is None:
            raise PermanentDeliveryError("the number opted out")
        callback = f"{self.settings.public_base_url}{self.settings.sms_path}/status"
        for page in pages:
            await self.client.messages.create_async(
                to=outgoing.address,
                from_=self.settings.twilio_from_number,
                body=page,
                status_callback=callback,
            )
            self.assistant.sent_sms(segments(page)[1])
        return True


def _well_formed(form: dict[str, str]) -> bool:
    """MessageSid (and AccountSid, where sent) with Twilio's documented shapes; From and To
    phone numbers."""
    if not MESSAGE_SID.fullmatch(form.get("MessageSid", "")):
        return False
    if "AccountSid" in form and not ACCOUNT_SID.fullmatch(form["AccountSid"]):
        return False
    return all(PHONE.fullmatch(form.get(key, "")) for key in ("From", "To"))


def _twiml(messages: list[str], background: BackgroundTask | None = None) -> Response:
    response = MessagingResponse()
    for message in messages:
        response.message(message)
    return Response(str(response), media_type="application/xml", background=background)
