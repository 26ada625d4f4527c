"""Intent and language models: load time, time per message, memory.

Prints the figures and their ratio to a baseline measured in the same run (folding and
tokenizing the same messages, the cheapest thing every message costs anyway).
Run: .venv/bin/python -m benchmarks.nlu
"""

from __future__ import annotations

import resource
import time
from datetime import date


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run() -> dict[str, float]:
    """Load the models, read the held-out messages 20 times; the figures."""
    from dialogs.understanding.text import fold

    before = rss_mb()
    started = time.perf_counter()
    from dialogs.understanding.nlu.intents import load_examples
    from dialogs.understanding.nlu.models import Reader

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
    return {
        "imports_s": round(imported - started, 2),
        "models_built_s": round(loaded - imported, 2),
        "per_message_ms": round(per_message, 3),
        "baseline_fold_split_ms": round(baseline, 4),
        "ratio": round(per_message / baseline),
        "libraries_mb": round(after_imports - before),
        "models_mb": round(rss_mb() - after_imports),
    }


def main() -> None:
    """Measure and print."""
    f = run()
    print(f"imports: {f['imports_s']} s; models built: {f['models_built_s']} s")
    print(
        f"per message: {f['per_message_ms']} ms (baseline fold+split"
        f" {f['baseline_fold_split_ms']} ms, ratio {f['ratio']}x)"
    )
    print(f"memory: libraries {f['libraries_mb']} MB, models {f['models_mb']} MB")


if __name__ == "__main__":
    main()
