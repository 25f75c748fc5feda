"""`rasa test` conversation stories in several languages (fallback, emergency, handoff)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bot.runner.model import ensure_model
from bot.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.engine


def test_conversation_stories_are_predicted_end_to_end(
    running_stack: Settings, tmp_path: Path
) -> None:
    model = ensure_model(running_stack)
    result = subprocess.run(
        [
            running_stack.rasa_executable,
            "test",
            "core",
            "--model",
            str(model),
            "--stories",
            str(PROJECT_ROOT / "tests" / "stories"),
            "--out",
            str(tmp_path),
            "--endpoints",
            str(PROJECT_ROOT / "endpoints.yml"),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "ACTION_SERVER_URL": running_stack.action_server_url,
            "NLG_URL": f"{running_stack.web_url}/nlg",
            "INTERNAL_TOKEN": running_stack.internal_token,
            "TRACKER_DIALECT": "sqlite",
            "TRACKER_DB": str(tmp_path / "tracker.sqlite3"),
        },
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text(encoding="utf-8") if failed.exists() else result.stderr[-3000:]
    assert result.returncode == 0, details
