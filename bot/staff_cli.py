"""`python -m bot staff invite|add|list|remove|desk-link`: who may take residents' requests."""

from __future__ import annotations

import argparse
import sys

from telegram import Bot
from telegram.error import TelegramError

from bot.settings import Settings, SettingsError
from dialogs.core.clock import SystemClock
from dialogs.core.i18n import Catalogs
from dialogs.staff.desk import StaffDesk
from dialogs.staff.web_desk import WebDesk
from storage import desk, staff
from storage.content import load_content
from storage.db import Database


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `staff` command and its actions."""
    parser = commands.add_parser("staff", help="staff members and invites")
    actions = parser.add_subparsers(dest="action", required=True)
    invite = actions.add_parser("invite", help="print a one-time /start code")
    invite.add_argument("--municipality", required=True)
    invite.add_argument("--role", choices=staff.ROLES, default="staff")
    invite.add_argument("--queue", help="limit to one queue (default: all)")
    listing = actions.add_parser("list", help="list staff members")
    listing.add_argument("--municipality")
    remove = actions.add_parser("remove", help="remove a staff member")
    remove.add_argument("user_id")
    remove.add_argument("--municipality", required=True)
    add = actions.add_parser("add", help="make a Telegram user staff (no invite needed)")
    add.add_argument("user_id", help="their Telegram user id")
    add.add_argument("--municipality", required=True)
    add.add_argument("--role", choices=staff.ROLES, default="staff")
    add.add_argument("--queue", help="limit to one queue (default: all)")
    add.add_argument("--name", help="how colleagues see them")
    link = actions.add_parser("desk-link", help="print a one-time sign-in link to the web desk")
    link.add_argument("user_id")


async def run(settings: Settings, args: argparse.Namespace) -> int:
    """Carry out one staff action."""
    content = load_content(settings.content_dir)
    municipality_id = getattr(args, "municipality", None)
    if municipality_id and content.municipality(municipality_id) is None:
        known = ", ".join(sorted(content.municipalities))
        raise SettingsError(f"unknown municipality {args.municipality!r}; choose one of: {known}")
    if args.action in ("invite", "add") and args.queue is not None:
        municipality = content.municipality(args.municipality)
        queue = municipality.requests.queue if municipality and municipality.requests else None
        if args.queue != queue:
            offered = f"its queue is {queue!r}" if queue else "it takes no requests"
            raise SettingsError(f"{args.municipality} has no queue {args.queue!r}; {offered}")
    database = await Database.open(settings.database_path)
    try:
        async with database.transaction() as conn:
            if args.action == "invite":
                code = await staff.create_invite(
                    conn, args.municipality, args.role, args.queue, SystemClock().now()
                )
                username = await _bot_username(settings)
                if username:
                    print(
                        f"Send this link to the new staff member: https://t.me/{username}?start={code}"
                    )
                print(f"Or they send this to the bot in a private chat: /start {code}")
                return 0
            if args.action == "add":
                member = staff.Member(
                    args.user_id, args.municipality, args.role, args.queue, args.name
                )
                await staff.add(conn, member, SystemClock().now())
                print(f"{args.user_id} is {args.role} of {args.municipality}")
                return 0
            if args.action == "desk-link":
                if not await staff.memberships(conn, args.user_id):
                    print(f"{args.user_id} is no staff member", file=sys.stderr)
                    return 1
                token = await desk.create_link(conn, args.user_id, SystemClock().now())
                print(f"{settings.desk_base_url}/desk/login/{token}")
                print("valid for 10 minutes, once", file=sys.stderr)
                return 0
            if args.action == "remove":
                if not await staff.remove(conn, args.user_id, args.municipality):
                    print(f"{args.user_id} is not staff of {args.municipality}")
                    return 1
                released = await _desk(settings).release(
                    conn, "operator", args.user_id, args.municipality, SystemClock().now()
                )
                print(f"removed {args.user_id} from {args.municipality}")
                if released:
                    print(f"{released} request(s) they held are back in the queue")
                return 0
            for member in await staff.members(conn, args.municipality):
                fields = (member.municipality_id, member.user_id, member.name or "-", member.role)
                print("\t".join((*fields, member.queue or "all queues")))
            return 0
    finally:
        await database.close()


def _desk(settings: Settings) -> WebDesk:
    """The staff actions, to hand a removed member's requests back (the resident told)."""
    content = load_content(settings.content_dir)
    catalogs = Catalogs(settings.locales_dir)
    return WebDesk(content, catalogs, StaffDesk(content, catalogs))


async def _bot_username(settings: Settings) -> str | None:
    """The bot's username (Telegram's getMe) for an invite link; None without a token or an
    answer (the code alone still works)."""
    if not settings.telegram_token:
        return None
    try:
        async with Bot(settings.telegram_token, f"{settings.telegram_base_url}/bot") as bot:
            return str(bot.username)
    except TelegramError as error:
        print(f"no invite link: Telegram did not answer ({error})", file=sys.stderr)
        return None
