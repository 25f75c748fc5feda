"""People chatting through the public widget API while something breaks (light load)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import httpx

from bot.i18n.translator import render

LINES = {
    "en": ("hello", "Where can I learn Italian?", "what are the opening hours?", "thanks"),
    "it": ("ciao", "Dove posso imparare l'italiano?", "che orari ha?", "grazie"),
    "fr": ("bonjour", "Où puis-je apprendre l'italien ?", "quels sont les horaires ?", "merci"),
    "es": ("hola", "¿Dónde puedo aprender italiano?", "¿cuál es el horario?", "gracias"),
}


@dataclass
class Outcome:
    """What one message got: `answered`, `unavailable` (the localised apology) or `bad`."""

    at: float
    kind: str
    detail: str = ""


@dataclass
class WidgetUser:
    """One conversation in one language, through POST /api/chat/start and /api/chat/send."""

    web_url: str
    language: str
    outcomes: list[Outcome] = field(default_factory=list)
    conversation: str = ""

    def start(self, http: httpx.Client) -> None:
        """Open the conversation (a signed id issued by the server)."""
        response = http.post(f"{self.web_url}/api/chat/start", json={"language": self.language})
        response.raise_for_status()
        self.conversation = response.json()["conversation"]

    def say(self, http: httpx.Client, text: str) -> Outcome:
        """Send one message and classify what came back."""
        try:
            response = http.post(
                f"{self.web_url}/api/chat/send",
                json={"conversation": self.conversation, "text": text, "language": self.language},
            )
        except httpx.HTTPError as error:  # the web app itself must always answer
            outcome = Outcome(time.monotonic(), "bad", f"{type(error).__name__}")
        else:
            outcome = self._classify(response)
        self.outcomes.append(outcome)
        return outcome

    def _classify(self, response: httpx.Response) -> Outcome:
        now = time.monotonic()
        body = response.json() if response.content else {}
        if response.status_code == 200 and body.get("messages"):
            return Outcome(now, "answered")
        apology = render("widget_unavailable", self.language, domain="desk")
        if response.status_code == 503 and body.get("message") == apology:
            return Outcome(now, "unavailable")
        return Outcome(now, "bad", f"{response.status_code} {response.text[:200]}")

    def answered_since(self, moment: float) -> bool:
        """Whether a message sent after `moment` was answered."""
        return any(o.kind == "answered" and o.at > moment for o in self.outcomes)


class LightLoad:
    """A few users writing continuously, each in its own thread, until stopped."""

    def __init__(self, web_url: str, pause: float = 0.3, timeout: float = 40.0) -> None:
        self.users = [WidgetUser(web_url, language) for language in LINES]
        self.pause = pause
        self.timeout = timeout
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _run(self, user: WidgetUser) -> None:
        with httpx.Client(timeout=self.timeout) as http:
            user.start(http)
            turn = 0
            while not self._stop.is_set():
                user.say(http, LINES[user.language][turn % len(LINES[user.language])])
                turn += 1
                self._stop.wait(self.pause)

    def __enter__(self) -> LightLoad:
        for user in self.users:
            thread = threading.Thread(target=self._run, args=(user,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.timeout + 5)

    def outcomes(self) -> list[Outcome]:
        """Every outcome of every user."""
        return [o for user in self.users for o in user.outcomes]

    def wait_all_answered_since(self, moment: float, deadline: float) -> bool:
        """Wait until every user got an answer to a message sent after `moment`."""
        while time.monotonic() < deadline:
            if all(user.answered_since(moment) for user in self.users):
                return True
            time.sleep(0.2)
        return False
