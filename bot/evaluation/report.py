"""`make eval`: intent scores (engine environment) and service-search scores, per language."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.search import default_search
from bot.catalogue.setup import prepare_for_serving
from bot.evaluation.search_eval import (
    DEV_DIR,
    HELD_OUT_DIR,
    SearchScore,
    available_languages,
    evaluate_search,
)
from bot.runner.model import ensure_model
from bot.settings import PROJECT_ROOT, Settings


def run_evaluation(
    settings: Settings, *, search_only: bool = False, dev: bool = False, misses: bool = False
) -> int:
    """Print both tables; the intent table comes from the trained model in the engine env.

    `dev` scores the tuning questions (tests/dev) instead of the held-out ones (tests/nlu);
    `misses` lists the questions the model or the search got wrong.
    """
    folder = DEV_DIR if dev else HELD_OUT_DIR
    shown = folder.relative_to(PROJECT_ROOT)
    returncode = 0
    if not search_only:
        model = ensure_model(settings)
        print(f"Intents ({shown}/<lang>.yml, never trained on)")
        engine_python = str(PROJECT_ROOT / ".venv-engine" / "bin" / "python")
        result = subprocess.run(
            [
                engine_python,
                "-m",
                "bot.evaluation.intent_eval",
                str(model),
                str(folder),
                *(["--misses"] if misses else []),
            ],
            cwd=PROJECT_ROOT,
            check=False,
            capture_output=True,
            text=True,
            env={**os.environ, "LOG_LEVEL": "ERROR", "LOG_LEVEL_LIBRARIES": "ERROR"},
        )
        print(result.stdout.strip() or result.stderr[-2000:])
        returncode = result.returncode
    print_search_scores(settings, folder, misses)
    return returncode


def search_scores(settings: Settings, folder: Path) -> list[SearchScore]:
    """Search scores of every language with a question file in `folder`, on the demo."""
    with tempfile.TemporaryDirectory() as data:
        url = f"sqlite:///{data}/catalogue.sqlite3"
        prepare_for_serving(settings.model_copy(update={"database_url": url}))
        engine = make_engine(url)
        try:
            with make_session_factory(engine)() as session:
                search = default_search(settings.embedding_cache)
                return evaluate_search(session, search, available_languages(folder), folder)
        finally:
            engine.dispose()


def print_search_scores(settings: Settings, folder: Path, misses: bool) -> None:
    """The search table of `folder` (and its misses when asked)."""
    shown = folder.relative_to(PROJECT_ROOT)
    print(f"\nService search ({shown}/services_<lang>.yml): right category first / in top 3")
    scores = search_scores(settings, folder)
    print(f"{'lang':<5} {'n':>4} {'top-1':>6} {'top-3':>6}")
    for score in scores:
        print(f"{score.language:<5} {score.questions:>4} {score.top1:>6.2f} {score.top3:>6.2f}")
    total = sum(score.questions for score in scores) or 1
    top1 = sum(score.top1 * score.questions for score in scores) / total
    top3 = sum(score.top3 * score.questions for score in scores) / total
    print(f"{'all':<5} {total:>4} {top1:>6.2f} {top3:>6.2f}")
    if misses:
        for score in scores:
            for miss in score.misses:
                print(f"  miss {score.language}: {miss}")
