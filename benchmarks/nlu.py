"""Intent and language models: load time, time per message, memory.

Prints the figures and their ratio to a baseline measured in the same run (folding and
tokenizing the same messages, the cheapest thing every message costs anyway).
Run: .venv/bin/python benchmarks/nlu.py
"""

from __future__ import annotations

import resource
import time
from datetime import date


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Measure and print."""
    from dialogs.text import fold

    before = rss_mb()
    started = time.perf_counter()
    from dialogs.nlu.intents import load_examples
    from dialogs.nlu.models import Reader

    imported = time.perf_counter()
    after_imports = rss_mb()
    reader = Reader()
    loaded = time.perf_counter()
    texts = [example.text for example in load_examples("eval.tsv")] * 20
    today = date(2021, 11, 1)
    reader.read(texts[0], None, today)
    clock = time.perf_counter()
    for text in texts:
        reader.read(text, None, today)
    per_message = (time.perf_counter() - clock) / len(texts) * 1000
    clock = time.perf_counter()
    for text in texts:
        fold(text).split()
    baseline = (time.perf_counter() - clock) / len(texts) * 1000
    print(f"imports: {imported - started:.2f} s; models built: {loaded - imported:.2f} s")
    print(
        f"per message: {per_message:.3f} ms (baseline fold+split {baseline:.4f} ms,"
        f" ratio {per_message / baseline:.0f}x)"
    )
    print(
        f"memory: libraries {after_imports - before:.0f} MB,"
        f" models {rss_mb() - after_imports:.0f} MB"
        f" (peak {rss_mb():.0f} MB)"
    )


if __name__ == "__main__":
    main()
