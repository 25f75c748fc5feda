"""The Bot API emulator (telegram-test-api + tests/e2e/telegram/emulator/server.js).

Its npm packages are installed with `npm ci` from the committed lock file into a cache
folder named by the hash of that file, so a fresh clone installs them once and a changed
lock file gets a fresh install; nothing depends on an earlier run's leftovers.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bot.runner.processes import ManagedProcess, ProcessSpec
from tests.helpers import free_port

EMULATOR_DIR = Path(__file__).resolve().parent / "emulator"
LOCK_FILES = ("package.json", "package-lock.json")
NPM_TIMEOUT_SECONDS = 600


def cache_root() -> Path:
    """The project's cache folder (the same one scripts/setup-env.sh uses)."""
    if os.environ.get("CREMONA_CACHE"):
        return Path(os.environ["CREMONA_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "cremona-assistant"


def node_modules() -> Path:
    """node_modules for the lock file's exact versions, installed on first use."""
    digest = hashlib.sha256()
    for name in LOCK_FILES:
        digest.update((EMULATOR_DIR / name).read_bytes())
    target = cache_root() / "npm" / f"telegram-emulator-{digest.hexdigest()[:16]}"
    if (target / ".complete").exists():
        return target / "node_modules"
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise RuntimeError("the Telegram tests need Node.js and npm (apt-get install nodejs npm)")
    staging = target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    staging.mkdir(parents=True)
    try:
        for name in LOCK_FILES:
            shutil.copy2(EMULATOR_DIR / name, staging / name)
        result = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=staging,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT_SECONDS,
        )
        if result.returncode != 0:
            raise RuntimeError(f"npm ci failed for the Telegram emulator:\n{result.stderr[-3000:]}")
        (staging / ".complete").touch()
        with contextlib.suppress(OSError):  # another test run finished the same install first
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / "node_modules"


class Emulator:
    """A running emulator: its base URL (for TELEGRAM_BASE_URL) and its test controls."""

    def __init__(self, url: str, process: ManagedProcess) -> None:
        self.url = url
        self.process = process
        self.http = httpx.Client(base_url=url, timeout=10)

    def control(self, path: str, **body: Any) -> Any:
        """POST a test control (/_test/...) and return its result."""
        response = self.http.post(path, json=body)
        response.raise_for_status()
        return response.json().get("result")

    def query(self, path: str, **params: Any) -> Any:
        """GET a test control and return its result."""
        response = self.http.get(path, params=params)
        response.raise_for_status()
        return response.json()["result"]

    def bot_api(self, token: str, method: str, **params: Any) -> Any:
        """Call the Bot API as a bot would (e.g. getMyCommands)."""
        response = self.http.post(f"/bot{token}/{method}", json=params)
        response.raise_for_status()
        return response.json()["result"]

    def fail_next(self, method: str, count: int, status: int, retry_after: int = 0) -> None:
        """Make the next `count` calls of a Bot API method fail like Telegram does."""
        self.control(
            "/_test/fail", method=method, count=count, status=status, retry_after=retry_after
        )

    def calls(self, token: str, method: str) -> list[dict[str, Any]]:
        """Each call of `method` by the bot with `token`: its time (`at`) and `params`."""
        return [c for c in self.query("/_test/calls", token=token) if c["method"] == method]


@contextmanager
def running_emulator(log_dir: Path) -> Iterator[Emulator]:
    """Install (if needed) and start the emulator on a free loopback port; stop it after."""
    modules = node_modules()
    port = free_port()
    spec = ProcessSpec(
        name="telegram-emulator",
        command=["node", str(EMULATOR_DIR / "server.js"), str(port)],
        ready_url=f"http://127.0.0.1:{port}/bot1:probe/getMe",
        env={"NODE_PATH": str(modules)},
        ready_timeout=60,
    )
    process = ManagedProcess(spec, EMULATOR_DIR, log_dir)
    emulator = Emulator(f"http://127.0.0.1:{port}", process)
    try:
        process.wait_ready()
        yield emulator
    finally:
        emulator.http.close()
        process.stop()
