"""Train the Rasa model only when its inputs changed, keyed by a hash of those inputs."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings

logger = logging.getLogger(__name__)
MODEL_INPUTS = ("config.yml", "domain", "nlu_data", "bot/nlu")


class TrainingError(RuntimeError):
    """`rasa train` failed; the message carries the tail of its output."""


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A hash of every file the model is trained from (paths and contents)."""
    digest = hashlib.sha256()
    for name in MODEL_INPUTS:
        path = root / name
        files = (
            sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            if path.is_dir()
            else [path]
        )
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:20]


def model_path(settings: Settings, root: Path = PROJECT_ROOT) -> Path:
    """Where the model for the current inputs lives (it may not exist yet)."""
    return settings.model_cache_dir / f"{fingerprint(root)}.tar.gz"


def ensure_model(settings: Settings, root: Path = PROJECT_ROOT) -> Path:
    """The trained model for the current inputs, training it first when it is missing."""
    target = model_path(settings, root)
    if target.exists():
        logger.info("model up to date: %s", target.name)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as out:
        command = [
            settings.rasa_executable,
            "train",
            "--config",
            str(root / "config.yml"),
            "--domain",
            str(root / "domain"),
            "--data",
            str(root / "nlu_data"),
            "--out",
            out,
            "--fixed-model-name",
            target.stem.removesuffix(".tar"),
        ]
        logger.info("training the Rasa model (inputs changed): %s", target.name)
        env = {
            **os.environ,
            "RASA_CACHE_DIRECTORY": str(settings.model_cache_dir.parent / "rasa-training-cache"),
            "RASA_TELEMETRY_ENABLED": "false",
            "E5_VECTOR_CACHE": str(settings.model_cache_dir.parent / "e5-training-vectors.sqlite3"),
            "PYTHONPATH": str(root),
        }
        result = subprocess.run(
            command, cwd=root, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise TrainingError((result.stdout + result.stderr)[-4000:])
        produced = next(Path(out).glob("*.tar.gz"))
        shutil.move(produced, target)
    return target
