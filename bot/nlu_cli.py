"""`python -m bot nlu [--eval]`: read lines as the assistant does, or grade the intent model."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import date

from bot.app import make_clock
from bot.settings import Settings
from dialogs.core.clock import local_today


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `nlu` command."""
    parser = commands.add_parser(
        "nlu", help="one JSON line per input line; --eval grades the model"
    )
    parser.add_argument("--eval", action="store_true", help="accuracy on the held-out examples")
    parser.add_argument("--lang", help="the conversation's language, for short lines")


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Read stdin line by line, or print the evaluation report."""
    today = local_today(make_clock(settings))
    if args.eval:
        return _evaluate(settings, today)
    from dialogs.understanding.nlu.reader import reader

    model_reader = reader()
    for line in sys.stdin:
        text = line.rstrip("\n")
        if not text.strip():
            continue
        understood = model_reader.read(text, args.lang, today)
        record = {
            "text": text,
            "lang": understood.lang,
            "intent": understood.intent,
            "confidence": round(understood.confidence, 3),
            "entities": understood.entities,
        }
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return 0


# The held-out lines written with the training data, and two independent sets (each written
# apart, by an author who saw only the intents and the kinds of residents; the second after the
# first had been used for tuning).
EVALUATION_SETS = (
    ("eval_independent.tsv", "independent evaluation set"),
    ("eval_second.tsv", "second independent evaluation set"),
    ("eval.tsv", "held-out lines of the training author"),
)


JOURNEY_SETS = ("eval_independent.tsv", "eval_second.tsv")  # also typed through the pipeline


def _evaluate(settings: Settings, today: date) -> int:
    started = time.perf_counter()
    from bot.nlu_journeys import journeys
    from dialogs.understanding.nlu.evaluation import evaluate
    from dialogs.understanding.nlu.intents import IntentModel, load_examples, with_latin_russian
    from dialogs.understanding.nlu.reader import reader

    imported = time.perf_counter()
    model = IntentModel(with_latin_russian(load_examples("train.tsv")))
    trained = time.perf_counter()
    examples = load_examples("eval.tsv")
    for name, title in EVALUATION_SETS:
        print(f"== {title} ({name})")
        print("\n".join(evaluate(model, load_examples(name)).lines()))
        if name in JOURNEY_SETS:
            answered = asyncio.run(journeys(settings, load_examples(name)))
            print("as the assistant answers (each line at the menu, the whole pipeline):")
            print("\n".join(answered.lines()))
        print()
    model_reader = reader()
    model_reader.read("labas", None, today)  # warm up
    clock = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for example in examples:
            model_reader.read(example.text, None, today)
    per_message = (time.perf_counter() - clock) / (rounds * len(examples)) * 1000
    print(
        f"imports {imported - started:.2f} s, training {trained - imported:.2f} s,"
        f" {per_message:.2f} ms per message (language, intent, details)"
    )
    return 0
