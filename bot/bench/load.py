"""`python -m bot bench-load`: many concurrent conversations in several languages against the
production profile (through the engine pool, as the channels talk to it), for some minutes.

Prints throughput, p50/p95/p99 latency, the error count and the resident memory of every
process of the stack before and after. Starts the production profile when none is running.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Iterable, Sequence
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
        "ho bisogno di un medico di famiglia",
        "grazie",
    ),
    "en": (
        "hello",
        "Where can I learn Italian?",
        "what are the opening hours?",
        "where is it?",
        "I need a family doctor",
        "thanks",
    ),
    "fr": (
        "bonjour",
        "Où puis-je apprendre l'italien ?",
        "quels sont les horaires ?",
        "où se trouve-t-il ?",
        "j'ai besoin d'un médecin de famille",
        "merci",
    ),
    "es": (
        "hola",
        "¿Dónde puedo aprender italiano?",
        "¿cuál es el horario?",
        "¿dónde está?",
        "necesito un médico de cabecera",
        "gracias",
    ),
    "ar": (
        "مرحبا",
        "أين يمكنني تعلم اللغة الإيطالية؟",
        "ما هي ساعات العمل؟",
        "أين يقع؟",
        "أحتاج إلى طبيب أسرة",
        "شكرا",
    ),
}
PROGRESS_SECONDS = 60.0


@dataclass(frozen=True)
class LoadPlan:
    """How much load: concurrent conversations, languages, duration, pause between turns."""

    conversations: int
    languages: int
    minutes: float
    think_seconds: float = 1.0


@dataclass
class LoadFigures:
    """What the run measured."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    conversations_done: int = 0
    elapsed: float = 0.0


def stack_ports(settings: Settings) -> dict[str, int]:
    """Every listening port of the production profile, by process name."""
    ports = {f"rasa-{n}": urlsplit(u).port or 0 for n, u in enumerate(settings.rasa_urls, 1)}
    for n, url in enumerate(settings.action_backends, start=1):
        ports[f"actions-{n}"] = urlsplit(url).port or 0
    ports["balancer"] = urlsplit(settings.action_server_url).port or 0
    ports["web"] = settings.web_port
    return ports


def memory_line(memory: dict[str, float]) -> str:
    """`total N MB (name N, ...)`."""
    parts = ", ".join(f"{name} {mb:.0f}" for name, mb in memory.items())
    return f"total {sum(memory.values()):.0f} MB ({parts})"


async def _person(
    client: EngineClient, language: str, plan: LoadPlan, deadline: float, figures: LoadFigures
) -> None:
    """One person after another in this slot: each runs the script once, until the deadline."""
    while time.monotonic() < deadline:
        sender = f"load-{language}-{uuid.uuid4().hex[:12]}"
        for line in SCRIPTS[language]:
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            try:
                await client.send(sender, line, {"language": language, "channel": "web"})
            except EngineUnavailableError:
                figures.errors += 1
            figures.latencies.append(time.perf_counter() - started)
            await asyncio.sleep(plan.think_seconds)
        figures.conversations_done += 1


async def _progress(figures: LoadFigures, started: float, deadline: float) -> None:
    while time.monotonic() < deadline:
        await asyncio.sleep(min(PROGRESS_SECONDS, max(0.0, deadline - time.monotonic())))
        print(
            f"  {time.monotonic() - started:5.0f}s  turns {len(figures.latencies)}  "
            f"errors {figures.errors}",
            flush=True,
        )


async def drive(settings: Settings, plan: LoadPlan) -> LoadFigures:
    """Warm up, print the memory before, run the load and collect the figures."""
    languages = list(SCRIPTS)[: plan.languages]
    figures = LoadFigures()
    client = EngineClient(settings.rasa_url, settings.rasa_token, settings.engine_timeout_seconds)
    try:
        for language in list(SCRIPTS)[: plan.languages]:  # every server loads what a turn needs
            for _ in settings.rasa_urls:
                await client.send(
                    f"load-warmup-{uuid.uuid4().hex[:8]}", "hello", {"language": language}
                )
        memory = await asyncio.to_thread(resident_memory, stack_ports(settings))
        print(f"memory before (warmed up): {memory_line(memory)}", flush=True)
        started = time.monotonic()
        deadline = started + plan.minutes * 60
        people = (
            _person(client, languages[i % len(languages)], plan, deadline, figures)
            for i in range(plan.conversations)
        )
        await asyncio.gather(_progress(figures, started, deadline), *people)
        figures.elapsed = time.monotonic() - started
    finally:
        await client.aclose()
    return figures


def report(plan: LoadPlan, figures: LoadFigures, languages: Iterable[str]) -> str:
    """The figures as printed lines."""
    ms = [latency * 1000 for latency in figures.latencies] or [0.0]
    return "\n".join(
        [
            f"conversations {plan.conversations} concurrent, languages {', '.join(languages)}, "
            f"{figures.elapsed / 60:.1f} min, think {plan.think_seconds:g}s",
            f"turns {len(figures.latencies)}  scripts completed {figures.conversations_done}  "
            f"throughput {len(figures.latencies) / max(figures.elapsed, 1e-9):.1f} turns/s",
            f"latency ms  p50 {percentile(ms, 0.5):.0f}  p95 {percentile(ms, 0.95):.0f}  "
            f"p99 {percentile(ms, 0.99):.0f}  max {max(ms):.0f}",
            f"errors {figures.errors}",
        ]
    )


def _running(settings: Settings) -> bool:
    try:
        return all(
            httpx.get(f"{url}/status", params={"token": settings.rasa_token}).status_code == 200
            for url in settings.rasa_urls
        )
    except httpx.HTTPError:
        return False


def run_load_benchmark(plan: LoadPlan) -> int:
    """Start the production profile if needed, run the load, print the figures."""
    from bot.runner.run_production import prepared_stack, production_settings

    if not 1 <= plan.languages <= len(SCRIPTS):
        print(f"--languages must be between 1 and {len(SCRIPTS)}")
        return 2
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    settings = production_settings()
    stack = None
    if not _running(settings):
        stack = prepared_stack(settings)
        print("starting the production profile for the benchmark ...")
        stack.start()
    try:
        figures = asyncio.run(drive(settings, plan))
        print(report(plan, figures, list(SCRIPTS)[: plan.languages]))
        print(f"memory after:  {memory_line(resident_memory(stack_ports(settings)))}")
    finally:
        if stack is not None:
            stack.stop()
    return 0 if figures.errors == 0 else 1
