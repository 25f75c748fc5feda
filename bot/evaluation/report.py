"""`make eval`: intent scores (engine environment) and service-search scores, per language."""

from __future__ import annotations

import os
import subprocess
import tempfile

from bot.catalogue.db import make_engine, make_session_factory
from bot.catalogue.search import default_search
from bot.catalogue.setup import prepare_for_serving
from bot.evaluation.search_eval import HELD_OUT_DIR, available_languages, evaluate_search
from bot.runner.model import ensure_model
from bot.settings import PROJECT_ROOT, Settings


def run_evaluation(settings: Settings) -> int:
    """Print both tables; the intent table comes from the trained model in the engine env."""
    model = ensure_model(settings)
    print("Intents (held-out tests/nlu/<lang>.yml, never trained on)")
    engine_python = str(PROJECT_ROOT / ".venv-engine" / "bin" / "python")
    result = subprocess.run(
        [engine_python, "-m", "bot.nlu.evaluation", str(model), str(HELD_OUT_DIR)],
        cwd=PROJECT_ROOT,
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "LOG_LEVEL": "ERROR", "LOG_LEVEL_LIBRARIES": "ERROR"},
    )
    print(result.stdout.strip() or result.stderr[-2000:])
    print("\nService search (tests/nlu/services_<lang>.yml): right category first / in top 3")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/catalogue.sqlite3"
        prepare_for_serving(settings.model_copy(update={"database_url": url}))
        engine = make_engine(url)
        try:
            with make_session_factory(engine)() as session:
                scores = evaluate_search(
                    session, default_search(settings.embedding_cache), available_languages()
                )
        finally:
            engine.dispose()
    print(f"{'lang':<5} {'n':>4} {'top-1':>6} {'top-3':>6}")
    for score in scores:
        print(f"{score.language:<5} {score.questions:>4} {score.top1:>6.2f} {score.top3:>6.2f}")
    return result.returncode
