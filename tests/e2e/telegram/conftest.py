"""Fixtures: the Bot API emulator, a front of the real Rasa server, and the bot as a process.

The bot runs exactly as `make run` starts it (`python -m bot telegram`, the same process
spec), pointed at the session's real stack (Rasa, action server, web app), at the
emulator instead of api.telegram.org, and at the local Redis with a key prefix of its own.
"""

from __future__ import annotations

import secrets
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from bot.catalogue.db import make_engine, make_session_factory
from bot.privacy.pseudonyms import pseudonym
from bot.runner.processes import ManagedProcess
from bot.runner.stack import settings_env, telegram_spec
from bot.settings import PROJECT_ROOT, Settings
from tests.e2e.telegram.emulator import Emulator, running_emulator
from tests.e2e.telegram.engine_front import EngineFront
from tests.e2e.telegram.telegram_user import TelegramUser
from tests.helpers import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"
ENGINE_PATIENCE_SECONDS = 8.0


def bot_token() -> str:
    """A token shaped like BotFather's (the emulator keeps each token's chats apart)."""
    return f"{secrets.randbelow(10**9) + 10**9}:{secrets.token_urlsafe(26)}"


class BotProcess:
    """The Telegram bot process under test; can be stopped and started again."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.process: ManagedProcess | None = None

    @property
    def log_path(self) -> Path:
        """The bot's log file."""
        return self.settings.data_dir / "logs" / "telegram.log"

    def start(self) -> None:
        """Start `python -m bot telegram` and wait for its health endpoint."""
        env = {
            **settings_env(self.settings),
            "PYTHONPATH": str(PROJECT_ROOT),
            "PYTHONUNBUFFERED": "1",
        }
        spec = telegram_spec(self.settings, env)
        assert spec.command[:1] == [sys.executable]
        self.process = ManagedProcess(spec, PROJECT_ROOT, self.settings.data_dir / "logs")
        try:
            self.process.wait_ready()
        except BaseException:
            self.process.stop()
            raise

    def stop(self) -> None:
        """SIGTERM, as Ctrl-C in `make run` does."""
        if self.process is not None:
            self.process.stop()
            self.process = None

    def pseudonym(self, user: TelegramUser) -> str:
        """The sender id the engine knows this user by."""
        return pseudonym(self.settings.pseudonym_key, "telegram", user.user_id)


@pytest.fixture(scope="session")
def redis_prefix() -> Iterator[str]:
    """A Redis key prefix for this test session; its keys are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"the Telegram tests need Redis at {REDIS_URL}: {error}")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield prefix
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(scope="session")
def emulator(running_stack: Settings) -> Iterator[Emulator]:
    """The Bot API emulator on a free loopback port."""
    with running_emulator(running_stack.data_dir / "logs") as running:
        yield running


@pytest.fixture(scope="session")
def engine_front(running_stack: Settings) -> Iterator[EngineFront]:
    """The bot's way to Rasa, which tests can interrupt."""
    front = EngineFront(running_stack.rasa_url)
    front.start()
    yield front
    front.stop()


@pytest.fixture(scope="session")
def bot_settings(
    running_stack: Settings, emulator: Emulator, engine_front: EngineFront, redis_prefix: str
) -> Settings:
    """The stack's settings with the Telegram bot turned on (polling mode)."""
    return running_stack.model_copy(
        update={
            "telegram_bot_token": bot_token(),
            "telegram_bot_username": "TestNameBot",
            "telegram_base_url": emulator.url,
            "telegram_mode": "polling",
            "telegram_health_port": free_port(),
            "telegram_engine_patience_seconds": ENGINE_PATIENCE_SECONDS,
            "telegram_outbox_interval_seconds": 1.0,
            "rasa_url": engine_front.url,
            "redis_url": REDIS_URL,
            "redis_key_prefix": redis_prefix,
            "log_level": "INFO",
        }
    )


@pytest.fixture(scope="session")
def telegram_bot(bot_settings: Settings) -> Iterator[BotProcess]:
    """The running bot process (stopped at the end of the session)."""
    bot = BotProcess(bot_settings)
    bot.start()
    yield bot
    bot.stop()


@pytest.fixture
def new_user(telegram_bot: BotProcess, emulator: Emulator) -> Iterator[Callable[..., TelegramUser]]:
    """Make simulated users of the bot (each with a chat of their own)."""
    made: list[TelegramUser] = []

    def make(language_code: str = "it", first_name: str = "Amina") -> TelegramUser:
        user = TelegramUser(
            emulator.url,
            telegram_bot.settings.telegram_bot_token,
            language_code=language_code,
            first_name=first_name,
        )
        made.append(user)
        return user

    yield make
    for user in made:
        user.close()


@pytest.fixture(scope="session")
def catalogue_sessions(running_stack: Settings) -> Iterator[object]:
    """Sessions on the stack's database (to play the desk writing a reply)."""
    engine = make_engine(running_stack.database_url)
    yield make_session_factory(engine)
    engine.dispose()
