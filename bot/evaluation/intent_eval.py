"""Intent accuracy and macro-F1 per language on held-out files, accuracy by script (native
or Latin letters), how often each question's language is detected, then accuracy on the same
questions typed another common way (run in the engine environment).

Usage: python -m bot.evaluation.intent_eval MODEL.tar.gz tests/nlu [--misses]
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import yaml

from bot.evaluation.language_identification import HEADER, Identification, identify
from bot.evaluation.spelling_variants import variant_rows
from bot.evaluation.writing_system import split_by_script


def held_out(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """language -> [(text, intent)] from `<lang>.yml` files in Rasa NLU format."""
    data: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(folder.glob("*.yml")):
        if path.stem.startswith("services_"):
            continue
        rows = []
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    rows.append((text, str(block["intent"])))
        data[path.stem] = rows
    return data


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Macro-averaged F1 over the true intents of (expected, predicted) pairs."""
    intents = {expected for expected, _ in pairs}
    scores = []
    for intent in intents:
        tp = sum(1 for e, p in pairs if e == intent and p == intent)
        fp = sum(1 for e, p in pairs if e != intent and p == intent)
        fn = sum(1 for e, p in pairs if e == intent and p != intent)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def _quiet_logs() -> None:
    """Rasa logs every parse at debug level through structlog: keep warnings only."""
    import logging

    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    logging.getLogger().setLevel(logging.WARNING)


async def _score(
    agent: Any, rows: list[tuple[str, str]], detected: list[str | None] | None = None
) -> list[tuple[str, str, str]]:
    """(text, expected, predicted) for each question; `detected` collects the language the
    pipeline detected for each (None when it stayed undecided)."""
    scored = []
    for text, intent in rows:
        parsed = await agent.parse_message(text)
        scored.append((text, intent, str(parsed["intent"]["name"])))
        if detected is not None:
            languages = [
                str(e["value"])
                for e in parsed.get("entities", [])
                if e.get("entity") == "detected_language"
            ]
            detected.append(languages[0] if languages else None)
    return scored


def _accuracy(pairs: list[tuple[str, str]]) -> float:
    return sum(1 for e, p in pairs if e == p) / max(len(pairs), 1)


async def _evaluate(model: Path, folder: Path, show_misses: bool = False) -> int:
    from rasa.core.agent import Agent

    _quiet_logs()

    agent = Agent.load(str(model))
    print(f"{'lang':<5} {'n':>4} {'accuracy':>9} {'macro-F1':>9}")
    everything: list[tuple[str, str]] = []
    misses: list[str] = []
    by_script: list[str] = []
    identified: list[Identification] = []
    rows = held_out(folder)
    for language, questions in rows.items():
        detected: list[str | None] = []
        scored = await _score(agent, questions, detected)
        identified.append(identify(language, detected))
        pairs = [(expected, predicted) for _, expected, predicted in scored]
        misses += [f"  miss {language}: {t} -> {e}, got {p}" for t, e, p in scored if e != p]
        everything.extend(pairs)
        print(f"{language:<5} {len(pairs):>4} {_accuracy(pairs):>9.3f} {macro_f1(pairs):>9.3f}")
        native, romanised = split_by_script(language, scored)
        if romanised:
            by_script.append(
                f"{language} {_accuracy(native):.2f} ({len(native)}) / "
                f"{_accuracy(romanised):.2f} ({len(romanised)})"
            )
    overall = f"{_accuracy(everything):>9.3f} {macro_f1(everything):>9.3f}"
    print(f"{'all':<5} {len(everything):>4} {overall}")

    if by_script:
        print("\nAccuracy in the language's own script / in Latin letters (questions)")
        print("  ".join(by_script))

    print("\nLanguage detected from the question (shares; undecided keeps the conversation's)")
    print(HEADER)
    print("\n".join(entry.row() for entry in identified))

    print("\nThe same questions typed another way (no accents; Arabic keyboard for ur/fa/ps;")
    print("Arabic without hamza): accuracy where the spelling changed")
    variants: list[tuple[str, str]] = []
    cells = []
    for language, questions in variant_rows(rows).items():
        pairs = [(e, p) for _, e, p in await _score(agent, questions)]
        variants.extend(pairs)
        cells.append(f"{language} {_accuracy(pairs):.2f} ({len(pairs)})")
    print("  ".join(cells))
    print(f"all {_accuracy(variants):.3f} ({len(variants)})")
    if show_misses:
        print("\n".join(misses))
    return 0


def main(argv: list[str]) -> int:
    """Entry point."""
    show_misses = "--misses" in argv
    paths = [arg for arg in argv if arg != "--misses"]
    if len(paths) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    return asyncio.run(_evaluate(Path(paths[0]), Path(paths[1]), show_misses))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
