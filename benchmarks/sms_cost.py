"""SMS segments per reply over every demo flow: as sent (GSM-7, pages) against as written (UCS-2).

Every reply reachable from each municipality's menu, as `tests/bot/test_sms_segments.py` crawls
them; the baseline is the same text sent as written, with its Baltic letters or Cyrillic.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot.app import open_engine
from bot.settings import Settings
from dialogs.render.sms_encoding import segments
from tests.flows import all_replies, sent_pages, written_segments

PAYLOADS = ("elektrenai_lt", "koknese_lv", "daugavpils_ru", "visaginas_ru")


async def run() -> dict[str, Any]:
    """Segments per municipality and overall."""
    settings = Settings.from_env({"BOT_DATABASE": ":memory:", "BOT_TODAY": "2021-11-01"})
    figures: dict[str, Any] = {}
    async with open_engine(settings) as engine:
        for payload in PAYLOADS:
            municipality = engine.content.municipalities[payload.split("_")[0]]
            transliterate = municipality.sms_russian != "ucs2"
            replies = await all_replies(engine, payload)
            written = sum(written_segments(reply) for reply in replies)
            pages = [page for reply in replies for page in sent_pages(reply, transliterate)]
            sent = sum(segments(page)[1] for page in pages)
            figures[payload] = {
                "replies": len(replies),
                "written_segments": written,
                "sent_segments": sent,
                "sent_per_reply": round(sent / len(replies), 2),
                "written_per_reply": round(written / len(replies), 2),
                "ratio": round(sent / written, 3),
            }
    written = sum(f["written_segments"] for f in figures.values())
    sent = sum(f["sent_segments"] for f in figures.values())
    figures["all"] = {
        "written_segments": written,
        "sent_segments": sent,
        "ratio": round(sent / written, 3),
    }
    return figures


def main() -> None:
    """Measure and print."""
    for name, f in asyncio.run(run()).items():
        per_reply = (
            f" ({f['sent_per_reply']} vs {f['written_per_reply']} a reply)"
            if "replies" in f
            else ""
        )
        sent, written = f["sent_segments"], f["written_segments"]
        print(
            f"{name}: {sent} segments sent vs {written} as written{per_reply}, ratio {f['ratio']}"
        )


if __name__ == "__main__":
    main()
