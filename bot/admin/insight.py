"""Insight: unanswered questions by theme, feedback per service, questions per language."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.admin.context import sessions, settings
from bot.admin.pages import interface_locale, render
from bot.admin.permissions import READ_ROLES
from bot.admin.preview import SENDER_PREFIX
from bot.admin.question_log import questions_per_week, week_start
from bot.admin.question_themes import Question, Theme, Vectorize, group_by_theme
from bot.catalogue.categories import detect_categories
from bot.catalogue.embeddings import E5Embedder, Vector
from bot.catalogue.models import Service
from bot.catalogue.repository import CatalogueRepository
from bot.conversations.models import Feedback, UnansweredQuestion
from bot.settings import Settings
from bot.web.auth import requires_roles

PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90
MAX_QUESTIONS = 500  # newest unanswered questions grouped (the page stays fast)
EXAMPLES_PER_THEME = 8
VECTOR_CACHE_SIZE = 5000


class QueryVectors:
    """e5 query vectors of question texts, computed once per text (bounded, thread-safe)."""

    def __init__(self, capacity: int = VECTOR_CACHE_SIZE) -> None:
        self._embedder = E5Embedder()
        self._cache: OrderedDict[str, Vector] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def __call__(self, text: str) -> Vector:
        """The vector of one question."""
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        vector = self._embedder.query(text)
        with self._lock:
            self._cache[text] = vector
            while len(self._cache) > self._capacity:
                self._cache.popitem(last=False)
        return vector


@dataclass(frozen=True)
class ServiceFeedback:
    """Helpful / not helpful answers about one service."""

    service_id: str
    name: str
    helpful: int
    not_helpful: int
    languages: Counter[str]

    @property
    def total(self) -> int:
        """All answers."""
        return self.helpful + self.not_helpful


def _vectorizer(request: Request, app_settings: Settings) -> Vectorize | None:
    if not app_settings.search_vectors:
        return None
    vectors: QueryVectors | None = getattr(request.app.state, "question_vectors", None)
    if vectors is None:
        vectors = QueryVectors()
        request.app.state.question_vectors = vectors
    return vectors


def unanswered_questions(session: Session, since: dt.datetime) -> list[Question]:
    """The newest scrubbed unanswered questions since `since` (preview conversations excluded)."""
    rows = session.scalars(
        select(UnansweredQuestion)
        .where(UnansweredQuestion.created_at >= since)
        .where(UnansweredQuestion.sender_id.not_like(SENDER_PREFIX + "%"))
        .order_by(UnansweredQuestion.created_at.desc())
        .limit(MAX_QUESTIONS)
    )
    return [Question(r.question, r.language, r.created_at, r.reason) for r in rows]


def feedback_per_service(session: Session, since: dt.datetime) -> list[ServiceFeedback]:
    """Services with feedback since `since`, the most "not helpful" first."""
    rows = session.execute(
        select(Feedback.service_id, Feedback.helpful, Feedback.language, func.count())
        .where(Feedback.created_at >= since)
        .where(Feedback.service_id.is_not(None))
        .where(Feedback.sender_id.not_like(SENDER_PREFIX + "%"))
        .group_by(Feedback.service_id, Feedback.helpful, Feedback.language)
    ).all()
    helpful: Counter[str] = Counter()
    not_helpful: Counter[str] = Counter()
    languages: dict[str, Counter[str]] = {}
    for service_id, was_helpful, language, count in rows:
        if service_id is None:
            continue
        (helpful if was_helpful else not_helpful)[service_id] += int(count)
        languages.setdefault(service_id, Counter())[language] += int(count)
    names: dict[str, str] = {
        service_id: name
        for service_id, name in session.execute(
            select(Service.id, Service.name).where(Service.id.in_(list(languages)))
        )
    }
    result = [
        ServiceFeedback(sid, names.get(sid, sid), helpful[sid], not_helpful[sid], languages[sid])
        for sid in languages
    ]
    return sorted(result, key=lambda f: (-f.not_helpful, -f.total, f.name))


def _category_labels(session: Session, locale: str) -> dict[str, str]:
    repository = CatalogueRepository(session)
    translations = repository.taxonomy_translations()
    return {
        term.code: translations.localize(("taxonomy_term", term.id, "name"), term.name, locale).text
        for term in repository.taxonomy()
    }


def _weeks(since: dt.datetime, until: dt.date) -> list[dt.date]:
    weeks = []
    current = week_start(since.date())
    while current <= until:
        weeks.append(current)
        current += dt.timedelta(days=7)
    return weeks


def gather(request: Request, days: int, locale: str) -> dict[str, Any]:
    """Everything the insight page shows for the last `days` days (runs in a worker thread)."""
    app_settings = settings(request)
    now = dt.datetime.now(dt.UTC)
    since = now - dt.timedelta(days=days)
    with sessions(request)() as session:
        questions = unanswered_questions(session, since)
        feedback = feedback_per_service(session, since)
        labels = _category_labels(session, locale)
    themes: list[Theme] = group_by_theme(
        questions, detect_categories, _vectorizer(request, app_settings)
    )
    weekly = questions_per_week(
        app_settings.tracker_store_url, since, app_settings.timezone, SENDER_PREFIX
    )
    languages: Counter[str] = Counter()
    for counts in weekly.values():
        languages.update(counts)
    return {
        "themes": themes,
        "question_count": len(questions),
        "max_questions": MAX_QUESTIONS,
        "examples": EXAMPLES_PER_THEME,
        "labels": labels,
        "feedback": feedback,
        "weeks": _weeks(since, now.date()) if weekly else [],
        "weekly": weekly,
        "language_totals": languages.most_common(),
        "busiest_language": max(languages.values(), default=0),
    }


@requires_roles(*READ_ROLES)
async def insight_page(request: Request) -> Response:
    """GET /admin/insight?days=: the three views for the chosen period."""
    raw = request.query_params.get("days", "")
    days = int(raw) if raw.isdigit() and int(raw) in PERIODS else DEFAULT_PERIOD
    data = await run_in_threadpool(gather, request, days, interface_locale(request))
    return render(request, "admin/insight.html", {"days": days, "periods": PERIODS, **data})


def routes() -> list[Route]:
    """Routes of the insight page."""
    return [Route("/admin/insight", insight_page, methods=["GET"])]
