"""A real headless browser for the desk's tests: Playwright from PyPI driving Debian's
chromium (FIELD-NOTES: its own browser download does not work here)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "desk"


def shot(tmp: Path, name: str) -> Path:
    """Where a screenshot goes: the test's folder, or docs/desk with UPDATE_SCREENSHOTS=1."""
    return (SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp) / f"{name}.png"


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def browser() -> AsyncIterator[Browser]:
    """Headless chromium; the test is skipped with a reason where it is not installed."""
    if shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is not installed (make test installs it)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield launched
        finally:
            await launched.close()


async def until(condition: Callable[[], bool]) -> None:
    """Wait for the outbox's delivery to make `condition` true (at most 10 s)."""
    for _ in range(200):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not delivered")


def csrf_of(page: str) -> str:
    """The CSRF token of a page's forms."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None, page
    return found.group(1)
