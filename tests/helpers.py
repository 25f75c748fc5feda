"""Shared test helpers: free ports, settings for a private stack, PostgreSQL databases."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import uuid
from pathlib import Path
from typing import Any

import psycopg

from bot.channels.engine_client import EngineClient
from bot.settings import Settings

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stack_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for a private stack on free ports with its own SQLite files."""
    web_port = free_port()
    values: dict[str, Any] = {
        "app_env": "test",
        "data_dir": data_dir,
        "rasa_url": f"http://127.0.0.1:{free_port()}",
        "action_server_url": f"http://127.0.0.1:{free_port()}/webhook",
        "web_port": web_port,
        "rasa_token": "test-rasa-token-" + uuid.uuid4().hex,
        "internal_token": "test-internal-token-" + uuid.uuid4().hex,
        "telegram_bot_username": "CremonaTestBot",  # desk QR codes: the deep link needs it
    }
    values.update(overrides)
    return Settings(**values)


def ensure_postgres() -> None:
    """Start the local PostgreSQL server when it is not accepting connections."""
    try:
        psycopg.connect(POSTGRES_ADMIN, connect_timeout=3).close()
    except psycopg.OperationalError:
        subprocess.run(POSTGRES_START, shell=True, check=True)


def create_postgres_database(template: str | None = None) -> tuple[str, str]:
    """A new database, empty or a copy of `template`; returns (SQLAlchemy URL, name)."""
    ensure_postgres()
    name = f"cremona_test_{uuid.uuid4().hex[:10]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy}')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", name


def drop_postgres_database(name: str) -> None:
    """Drop a database made by `create_postgres_database`."""
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def say(settings: Settings, sender: str, text: str, **metadata: Any) -> list[dict[str, Any]]:
    """Send one message through the Rasa REST channel and return the bot's messages."""

    async def _send() -> list[dict[str, Any]]:
        client = EngineClient(settings.rasa_url, settings.rasa_token)
        try:
            return await client.send(sender, text, metadata)
        finally:
            await client.aclose()

    return asyncio.run(_send())


def texts(messages: list[dict[str, Any]]) -> str:
    """All bot texts of a reply, joined."""
    return "\n".join(m["text"] for m in messages if m.get("text"))


def customs(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The custom payloads of a reply."""
    return [m["custom"] for m in messages if m.get("custom")]


def card_text(messages: list[dict[str, Any]]) -> str:
    """The text of the service card in a reply (the message offering the follow-up buttons)."""
    for message in messages:
        payloads = {button["payload"] for button in message.get("buttons", [])}
        if "/ask_hours" in payloads:
            return str(message["text"])
    raise AssertionError(f"no service card in {messages}")
