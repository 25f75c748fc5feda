"""Intent accuracy and macro-F1 per language on held-out files (run in the engine environment).

Usage: python -m bot.evaluation.intent_eval MODEL.tar.gz tests/nlu [--misses]
"""

from __future__ import annotations

import asyncio
import sys
from collections import defaultdict
from pathlib import Path

import yaml


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


async def _evaluate(model: Path, folder: Path, show_misses: bool = False) -> int:
    from rasa.core.agent import Agent

    _quiet_logs()

    agent = Agent.load(str(model))
    print(f"{'lang':<5} {'n':>4} {'accuracy':>9} {'macro-F1':>9}")
    totals: dict[str, list[tuple[str, str]]] = defaultdict(list)
    misses: list[str] = []
    for language, rows in held_out(folder).items():
        pairs = []
        for text, intent in rows:
            parsed = await agent.parse_message(text)
            pairs.append((intent, str(parsed["intent"]["name"])))
            if pairs[-1][1] != intent:
                misses.append(f"  miss {language}: {text} -> {intent}, got {pairs[-1][1]}")
        totals["all"].extend(pairs)
        accuracy = sum(1 for e, p in pairs if e == p) / len(pairs)
        print(f"{language:<5} {len(pairs):>4} {accuracy:>9.3f} {macro_f1(pairs):>9.3f}")
    pairs = totals["all"]
    accuracy = sum(1 for e, p in pairs if e == p) / max(len(pairs), 1)
    print(f"{'all':<5} {len(pairs):>4} {accuracy:>9.3f} {macro_f1(pairs):>9.3f}")
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
