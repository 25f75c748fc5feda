"""Drive N concurrent simulated conversations through the REST channel and print figures."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from bot.bench.measures import percentile, resident_memory
from bot.channels.engine_client import EngineClient, EngineUnavailableError
from bot.settings import Settings

SCRIPTS: dict[str, Sequence[str]] = {
    "it": (
        "ciao",
        "Dove posso imparare l'italiano?",
        "che orari ha?",
        "dove si trova?",
        "che documenti servono?",
        "ho bisogno di un medico di famiglia",
        "arrivederci",
    ),
    "en": (
        "hello",
        "Where can I learn Italian?",
        "what are the opening hours?",
        "where is it?",
        "what documents do I need?",
        "I need a family doctor",
        "bye",
    ),
}


@dataclass
class Figures:
    """Latencies and errors of one benchmark round."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0


async def _conversation(client: EngineClient, language: str, turns: int, figures: Figures) -> None:
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    script = SCRIPTS[language]
    for turn in range(turns):
        started = time.perf_counter()
        try:
            reply = await client.send(sender, script[turn % len(script)], {"language": language})
            if not reply:
                figures.errors += 1
        except EngineUnavailableError:
            figures.errors += 1
        figures.latencies.append(time.perf_counter() - started)


def memory_report(settings: Settings) -> str:
    """Resident memory of each process (with its children), found by listening port."""
    ports = {
        "rasa": urlsplit(settings.rasa_url).port or 0,
        "actions": urlsplit(settings.action_server_url).port or 0,
        "web": settings.web_port,
    }
    memory = resident_memory(ports)
    parts = [f"{name} {memory[name]:.0f} MB" if name in memory else f"{name} n/a" for name in ports]
    return ", ".join(parts)


async def _round(settings: Settings, conversations: int, turns: int) -> Figures:
    figures = Figures()
    client = EngineClient(settings.rasa_url, settings.rasa_token, timeout=60)
    try:
        languages = list(SCRIPTS)
        await _conversation(client, "en", 2, Figures())  # warm-up, not counted
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _conversation(client, languages[i % len(languages)], turns, figures)
                for i in range(conversations)
            )
        )
        figures.elapsed = time.perf_counter() - started
    finally:
        await client.aclose()
    return figures


def _stack_running(settings: Settings) -> bool:
    try:
        response = httpx.get(f"{settings.rasa_url}/status", params={"token": settings.rasa_token})
        return response.status_code == 200
    except httpx.HTTPError:
        return False


def run_benchmark(settings: Settings, rounds: Sequence[int] | None, turns: int) -> int:
    """Print throughput, latency percentiles and memory for each concurrency level."""
    from bot.catalogue.setup import prepare_for_serving
    from bot.runner.model import ensure_model
    from bot.runner.stack import Stack

    stack: Stack | None = None
    if not _stack_running(settings):
        prepare_for_serving(settings)
        stack = Stack(settings, ensure_model(settings))
        print("starting the stack for the benchmark ...")
        stack.start()
    try:
        print(f"memory before: {memory_report(settings)}")
        print(
            f"{'conversations':>13} {'turns':>6} {'turns/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'errors':>6}"
        )
        for conversations in rounds or [1, 20]:
            figures = asyncio.run(_round(settings, conversations, turns))
            ms = [latency * 1000 for latency in figures.latencies]
            print(
                f"{conversations:>13} {len(ms):>6} {len(ms) / figures.elapsed:>8.1f} "
                f"{statistics.median(ms):>7.0f} {percentile(ms, 0.95):>7.0f} "
                f"{percentile(ms, 0.99):>7.0f} {figures.errors:>6}"
            )
        print(f"memory after:  {memory_report(settings)}")
    finally:
        if stack is not None:
            stack.stop()
    return 0
