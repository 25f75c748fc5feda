"""The whole assistant as a set of processes: Rasa, the action server, the web app, Telegram."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy.engine import make_url

from bot.runner.native_threads import native_thread_env
from bot.runner.processes import ManagedProcess, ProcessSpec
from bot.settings import PROJECT_ROOT, Settings

logger = logging.getLogger(__name__)


def settings_env(settings: Settings) -> dict[str, str]:
    """The resolved settings as environment variables, so every child reads the same values."""
    env: dict[str, str] = {}
    for name, value in settings.model_dump().items():
        env[name.upper()] = str(value)
    return env


def _port(url: str) -> int:
    port = urlsplit(url).port
    if port is None:
        raise ValueError(f"URL {url!r} must name a port")
    return port


def tracker_env(settings: Settings) -> dict[str, str]:
    """Variables that endpoints.yml reads for the SQL tracker store."""
    url = make_url(settings.tracker_store_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise ValueError(
            "TRACKER_STORE_URL: the embedded profile supports sqlite:///<path> only "
            f"(got {url.get_backend_name()})"
        )
    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return {"TRACKER_DIALECT": "sqlite", "TRACKER_DB": url.database}


def _rasa_ready(response: httpx.Response) -> bool:
    return response.status_code == 200 and bool(response.json().get("model_file"))


def common_env(settings: Settings) -> dict[str, str]:
    """The environment every child process starts with."""
    return {
        **settings_env(settings),
        "PYTHONPATH": str(PROJECT_ROOT),
        "PYTHONUNBUFFERED": "1",
        # e5 (search, Rasa featurizer) and numpy threads: see EMBEDDING_THREADS
        **native_thread_env(settings.embedding_threads),
    }


def actions_spec(settings: Settings, name: str, url: str, env: dict[str, str]) -> ProcessSpec:
    """One rasa-sdk action server on the port of `url`."""
    port = _port(url)
    return ProcessSpec(
        name=name,
        command=[sys.executable, "-m", "bot.runner.action_server", "--port", str(port)],
        ready_url=f"http://127.0.0.1:{port}/health",
        env={
            **env,
            "SANIC_HOST": "127.0.0.1",
            "ACTION_SERVER_SANIC_WORKERS": str(settings.action_workers),
        },
    )


def web_spec(settings: Settings, env: dict[str, str]) -> ProcessSpec:
    """The web app (NLG endpoint, widgets, desk, admin)."""
    return ProcessSpec(
        name="web",
        command=[
            sys.executable,
            "-m",
            "uvicorn",
            "bot.web.app:create_app",
            "--factory",
            "--host",
            settings.web_host,
            "--port",
            str(settings.web_port),
            "--log-level",
            "warning",
        ],
        ready_url=f"{settings.web_url}/health",
        is_ready=lambda response: response.status_code in (200, 503),
        env=env,
    )


def rasa_spec(
    settings: Settings,
    model: Path,
    *,
    name: str,
    url: str,
    endpoints: Path,
    env: dict[str, str],
    extra_args: Sequence[str] = (),
) -> ProcessSpec:
    """One Rasa server on the port of `url`; `env` fills the placeholders of `endpoints`."""
    return ProcessSpec(
        name=name,
        command=[
            settings.rasa_executable,
            "run",
            "--model",
            str(model),
            "--enable-api",
            "--auth-token",
            settings.rasa_token,
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(PROJECT_ROOT / "credentials.yml"),
            "--interface",
            "127.0.0.1",
            "--port",
            str(_port(url)),
            *extra_args,
        ],
        ready_url=f"{url}/status?token={settings.rasa_token}",
        is_ready=_rasa_ready,
        env={
            **env,
            "NLG_URL": f"{settings.web_url}/nlg",
            "RASA_CHANNEL_TOKEN": settings.rasa_token,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "LOG_LEVEL_LIBRARIES": "ERROR",
        },
    )


def process_specs(settings: Settings, model: Path) -> list[ProcessSpec]:
    """Specs for the action server, the web app, the Rasa server and the Telegram bot."""
    if settings.deployment_profile == "production":
        from bot.runner.production import production_specs

        return production_specs(settings, model)
    common = common_env(settings)
    specs = [
        actions_spec(settings, "actions", settings.action_server_url, common),
        web_spec(settings, common),
        rasa_spec(
            settings,
            model,
            name="rasa",
            url=settings.rasa_url,
            endpoints=PROJECT_ROOT / "endpoints.yml",
            env={**common, **tracker_env(settings)},
        ),
    ]
    if settings.telegram_bot_token and settings.telegram_mode == "polling":
        specs.append(telegram_spec(settings, common))  # webhook mode: the web app runs the bot
    return specs


def telegram_spec(settings: Settings, env: dict[str, str]) -> ProcessSpec:
    """The Telegram bot (long polling) as its own process, ready once it polls."""
    return ProcessSpec(
        name="telegram",
        command=[sys.executable, "-m", "bot", "telegram"],
        ready_url=f"http://127.0.0.1:{settings.telegram_health_port}/health",
        env=env,
    )


@dataclass
class Stack:
    """The running processes of one assistant instance."""

    settings: Settings
    model: Path
    processes: list[ManagedProcess] = field(default_factory=list)

    @property
    def log_dir(self) -> Path:
        """Where each process writes its log."""
        return self.settings.data_dir / "logs"

    def start(self) -> None:
        """Start every process and wait until each one reports ready."""
        try:
            for spec in process_specs(self.settings, self.model):
                self.processes.append(ManagedProcess(spec, PROJECT_ROOT, self.log_dir))
            for process in self.processes:
                process.wait_ready()
                logger.info("%s ready (pid %s)", process.spec.name, process.pid)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop every process, the Rasa server first."""
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()

    def by_name(self, name: str) -> ManagedProcess:
        """One running process."""
        return next(p for p in self.processes if p.spec.name == name)

    def respawn(self, name: str) -> ManagedProcess:
        """Stop one process (if it still runs) and start it again, without waiting."""
        old = self.by_name(name)
        old.stop()
        new = ManagedProcess(old.spec, PROJECT_ROOT, self.log_dir)
        self.processes[self.processes.index(old)] = new
        return new

    def restart(self, name: str) -> ManagedProcess:
        """Stop one process (if it still runs), start it again and wait until it is ready."""
        new = self.respawn(name)
        new.wait_ready()
        return new
