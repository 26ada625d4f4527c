"""`make bench`: every benchmark in one run; prints the figures and writes them as JSON.

Each figure is measured against a baseline in the same run (an echo bot, the text as written,
folding the text), so a slower or busier machine changes the ratios less than the figures.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import footprint, nlu, sms_cost, throughput

RESULTS = Path(__file__).parent / "results" / "latest.json"


def table(figures: dict[str, Any]) -> str:
    """The README's table of the figures."""
    speed = figures["throughput"]
    lone = speed["alone"]
    size, bare = figures["footprint"]["assistant"], figures["footprint"]["echo_bot"]
    sms, words = figures["sms_cost"]["all"], figures["nlu"]
    a, e, k = speed["assistant"], speed["echo_bot"], speed["storing_echo_bot"]
    floor = speed["framework_floor"]
    rows = [
        (
            f"Updates per second, {speed['residents']} residents at once",
            f"{a['updates_per_second']}",
            f"{e['updates_per_second']} (echo), {k['updates_per_second']} (storing echo)",
            f"{speed['ratio']}, {speed['ratio_to_storing_echo']}",
        ),
        (
            "The framework's floor: PTB with canned answers, no engine or database (updates/s)",
            "",
            f"{floor['updates_per_second']}",
            f"{speed['floor_ratio']} of echo",
        ),
        (
            "Latency under that load, p50 / p99 (ms)",
            f"{a['p50_ms']} / {a['p99_ms']}",
            f"{e['p50_ms']} / {e['p99_ms']}",
            "",
        ),
        (
            "Latency of one update on an idle bot, p50 / p99 (ms)",
            f"{lone['assistant']['p50_ms']} / {lone['assistant']['p99_ms']}",
            f"{lone['echo_bot']['p50_ms']} / {lone['echo_bot']['p99_ms']}",
            "",
        ),
        (
            "First reply after the process starts / to typed text (s)",
            f"{size['first_reply_s']} / {size['first_typed_answer_s']}",
            f"{bare['first_reply_s']} / {bare['first_typed_answer_s']}",
            "",
        ),
        (
            "Memory after start (MB)",
            f"{size['rss_after_start_mb']}",
            f"{bare['rss_after_start_mb']}",
            "",
        ),
        (
            f"Peak memory after {size['conversations']:,} conversations (MB)",
            f"{size['peak_rss_mb']}",
            f"{bare['peak_rss_mb']}",
            "",
        ),
        (
            "Conversations per second over HTTP long polling",
            f"{size['conversations_per_second']}",
            f"{bare['conversations_per_second']}",
            "",
        ),
        (
            "SMS segments over every demo reply: sent / as written",
            f"{sms['sent_segments']}",
            f"{sms['written_segments']}",
            f"{sms['ratio']}",
        ),
        (
            "Understanding one typed message (ms) / folding it",
            f"{words['per_message_ms']}",
            f"{words['baseline_fold_split_ms']}",
            f"{words['ratio']}",
        ),
    ]
    for row in speed["open_loop"]["rates"]:
        rows.append(
            (
                f"Open loop at {row['rate']} updates/s: p50 / p99 / p99.9 (ms)",
                f"{row['p50_ms']} / {row['p99_ms']} / {row['p999_ms']}",
                "",
                "",
            )
        )
    highest = speed["open_loop"]["highest_rate_p99_under_50ms"]
    rows.append(("Highest open-loop rate with p99 under 50 ms (updates/s)", f"{highest}", "", ""))
    lines = ["| Measure | Assistant | Baseline | Ratio |", "|---|---:|---:|---:|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def main() -> None:
    """Run everything (a few minutes on two cores), print, and save."""
    conversations = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    figures: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    print("understanding typed text...", flush=True)
    figures["nlu"] = nlu.run()  # first: it times the imports
    print("throughput through python-telegram-bot...", flush=True)
    figures["throughput"] = asyncio.run(throughput.run())
    print("SMS cost...", flush=True)
    figures["sms_cost"] = asyncio.run(sms_cost.run())
    print(f"footprint over {conversations:,} conversations...", flush=True)
    figures["footprint"] = asyncio.run(footprint.run(conversations))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(table(figures))
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
