"""Child processes with readiness checks (HTTP, not sleeps) and a clean shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

STOP_GRACE_SECONDS = 15.0


class StartupError(RuntimeError):
    """A process exited or did not become ready in time."""


@dataclass
class ProcessSpec:
    """How to start one process and how to know it is ready."""

    name: str
    command: Sequence[str]
    ready_url: str
    env: dict[str, str] = field(default_factory=dict)
    ready_timeout: float = 180.0
    is_ready: Callable[[httpx.Response], bool] = lambda response: response.status_code == 200


class ManagedProcess:
    """A started child process with its log file."""

    def __init__(self, spec: ProcessSpec, cwd: Path, log_dir: Path) -> None:
        self.spec = spec
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = log_dir / f"{spec.name}.log"
        self._log = self.log_path.open("ab")
        self.popen = subprocess.Popen(
            list(spec.command),
            cwd=cwd,
            env={**os.environ, **spec.env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.popen.pid

    def running(self) -> bool:
        """Whether the child is still alive."""
        return self.popen.poll() is None

    def log_tail(self, characters: int = 3000) -> str:
        """The end of the child's log, for error messages."""
        self._log.flush()
        return self.log_path.read_bytes()[-characters:].decode("utf-8", "replace")

    def wait_ready(self) -> None:
        """Poll the readiness URL until it answers as expected; fail fast if the child exits."""
        deadline = time.monotonic() + self.spec.ready_timeout
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if not self.running():
                    raise StartupError(
                        f"{self.spec.name} exited with code {self.popen.returncode}:\n"
                        f"{self.log_tail()}"
                    )
                try:
                    if self.spec.is_ready(client.get(self.spec.ready_url)):
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.25)
        raise StartupError(
            f"{self.spec.name} not ready after {self.spec.ready_timeout:.0f}s:\n{self.log_tail()}"
        )

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """SIGTERM the child's process group, then SIGKILL after the grace period."""
        if self.running():
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=5)
            except ProcessLookupError:
                pass
        self._log.close()
