"""The command line: `python -m bot run | chat | content check`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import stat
import sys
from importlib import metadata
from pathlib import Path

from bot import backup_cli, certificates_cli, log_context, nlu_cli, roster_cli, staff_cli
from bot.app import open_engine, wire
from bot.channels import console
from bot.delivery import Delivery
from bot.runner import desk_route
from bot.settings import Settings, SettingsError
from bot.web import Server, create_web_app, make_server
from dialogs.pipeline.engine import Engine
from storage.content import Content, ContentError, load_content
from storage.db import StorageError
from storage.phones import e164

log = logging.getLogger(__name__)
START_ERRORS = (ContentError, SettingsError, StorageError, FileNotFoundError)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    prog = "socassist" if Path(sys.argv[0]).name == "socassist" else "python -m bot"
    parser = argparse.ArgumentParser(prog=prog, description="Residents' assistant")
    parser.add_argument("--version", action="version", version=f"socassist {version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the assistant (terminal chat when no Telegram token)")
    chat = commands.add_parser("chat", help="talk to the assistant in the terminal")
    chat.add_argument("--municipality", help="municipality id, e.g. elektrenai")
    chat.add_argument("--lang", choices=("lt", "lv", "ru", "en"), help="language")
    chat.add_argument("--sms", action="store_true", help="show replies as an SMS client sees them")
    chat.add_argument(
        "--user", help="who is talking (keeps separate histories; default: the phone, or local)"
    )
    chat.add_argument(
        "--phone", help="talk as the SMS client with this number (it counts as verified)"
    )
    backup_cli.add_parsers(commands)
    certificates_cli.add_parser(commands)
    roster_cli.add_parser(commands)
    staff_cli.add_parser(commands)
    nlu_cli.add_parser(commands)
    content = commands.add_parser("content", help="content files")
    content.add_argument("action", choices=("check",))
    content.add_argument("directory", nargs="?", type=Path, help="default: BOT_CONTENT_DIR")
    return parser


def _no_input() -> bool:
    """Standard input is /dev/null (a service), not a terminal, a pipe or a file."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (OSError, ValueError):
        return True
    return stat.S_ISCHR(mode) and not sys.stdin.isatty()


def version() -> str:
    """The installed version (pyproject.toml's, in a checkout installed for development)."""
    try:
        return metadata.version("socassist")
    except metadata.PackageNotFoundError:
        return "unknown"


def entry() -> None:
    """The `socassist` console script."""
    sys.exit(main())


def main(argv: list[str] | None = None) -> int:
    """Run a command; start-up problems print one clear line and exit with status 2."""
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        log_context.configure(settings.log_level, settings.log_format == "json", QUIETER)
        if args.command == "content":
            return _check_content(args.directory or settings.content_dir)
        if args.command in ("backup", "restore"):
            return backup_cli.run(settings, args)
        if args.command == "certificates":
            return asyncio.run(certificates_cli.run(settings, args))
        if args.command == "roster":
            return asyncio.run(roster_cli.run(settings, args))
        if args.command == "nlu":
            return nlu_cli.run(settings, args)
        if args.command == "staff":
            return asyncio.run(staff_cli.run(settings, args))
        if args.command == "run" and (settings.telegram_token or settings.sms_enabled):
            return asyncio.run(_serve(settings))
        if args.command == "run" and _no_input():
            raise SettingsError(
                "neither TELEGRAM_BOT_TOKEN nor Twilio is set, and there is no terminal for the"
                " chat: set them (README, Configuration)"
            )
        if args.command == "run":
            print(
                "Neither TELEGRAM_BOT_TOKEN nor Twilio is set: opening the terminal chat.",
                file=sys.stderr,
            )
            return asyncio.run(
                _chat(
                    settings,
                    argparse.Namespace(
                        municipality=None, lang=None, sms=False, user="local", phone=None
                    ),
                )
            )
        return asyncio.run(_chat(settings, args))
    except START_ERRORS as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


async def _serve(settings: Settings) -> int:
    from bot.runner import run_channels, stop_event

    async with open_engine(settings) as engine:
        await run_channels(settings, engine, stop_event())
    return 0


# Libraries that log secrets or personal data below these levels: httpx and PTB the bot token
# (in every Bot API URL) and the webhook secret (setWebhook's parameters), aiosqlite every SQL
# parameter (phones, addresses, requests), twilio the account SID and message bodies.
QUIETER = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "aiosqlite": logging.WARNING,
    "twilio": logging.WARNING,
}


def _check_content(directory: Path) -> int:
    content = load_content(directory)
    for municipality in content.municipalities.values():
        print(
            f"{municipality.id}: {len(municipality.departments)} contacts,"
            f" {len(municipality.services)} services, {len(municipality.facilities)} facilities"
        )
    return 0


async def _chat(settings: Settings, args: argparse.Namespace) -> int:
    content = load_content(settings.content_dir)
    _check_flags(content, args.municipality, args.lang)
    phone = _verified_phone(content, args.municipality, args.phone)
    payload = "_".join(part for part in (args.municipality, args.lang) if part)
    async with open_engine(settings, content) as engine:
        assistant, delivery = wire(engine, settings)
        desk = _serve_desk(engine, delivery, settings) if sys.stdin.isatty() else None
        await console.chat(
            assistant,
            delivery,
            sys.stdin,
            sys.stdout,
            user=args.user or phone or "local",  # each phone is its own resident
            payload=payload,
            sms=args.sms,
            phone=phone,
        )
        if desk is not None:
            await desk.stop()
    return 0


class _DeskServer:
    """The staff desk beside an interactive terminal chat, so a municipality can try both on
    one machine; a taken port is said and the chat goes on without it."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.serving = asyncio.create_task(self._serve())

    async def _serve(self) -> None:
        try:
            await self.server.serve()
        except (OSError, SystemExit):  # uvicorn exits when the port is taken
            config = self.server.config
            print(
                f"The staff desk is not served by this chat: port {config.port} is in use"
                " (another chat or the bot serves it there; HTTP_PORT chooses another).",
                file=sys.stderr,
            )

    async def stop(self) -> None:
        """Stop serving."""
        self.server.should_exit = True
        await self.serving


def _serve_desk(engine: Engine, delivery: Delivery, settings: Settings) -> _DeskServer:
    app = create_web_app([desk_route(engine, delivery, settings)])
    server = make_server(app, settings.http_host, settings.http_port)
    print(
        f"Staff desk: {settings.desk_base_url}/desk/ (sign in with the link of"
        " `python -m bot staff desk-link USER_ID`)",
        file=sys.stderr,
    )
    return _DeskServer(server)


def _verified_phone(content: Content, municipality_id: str | None, text: str | None) -> str | None:
    if text is None:
        return None
    municipality = content.municipality(municipality_id)
    region = municipality.country if municipality else None
    number = e164(text, region)
    if number is None:
        raise SettingsError(
            f"--phone {text!r} is not a valid phone number (write it with +370 / +371)"
        )
    return number


def _check_flags(content: Content, municipality_id: str | None, lang: str | None) -> None:
    if municipality_id is None:
        return
    municipality = content.municipality(municipality_id)
    if municipality is None:
        known = ", ".join(sorted(content.municipalities))
        raise SettingsError(f"unknown municipality {municipality_id!r}; choose one of: {known}")
    if lang is not None and lang not in municipality.languages:
        offered = ", ".join(municipality.languages)
        raise SettingsError(f"{municipality_id} offers the languages {offered}, not {lang!r}")
