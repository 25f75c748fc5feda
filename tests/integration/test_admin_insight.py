"""Insight from what people asked: unanswered questions by theme across languages, feedback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work
from bot.catalogue.setup import prepare_catalogue
from bot.conversations.records import record_feedback, record_unanswered
from bot.settings import Settings
from tests.admin_support import app_client, create_role_users, login

QUESTIONS = [
    ("en", "where can I charge my phone"),
    ("it", "dove posso ricaricare il telefono"),
    ("fr", "où puis-je recharger mon téléphone"),
    ("en", "can I bring my dog to the office"),
    ("it", "posso portare il cane in ufficio"),
    ("en", "where can I learn italian, write to me at amina.k@example.org"),
    ("fr", "je veux apprendre l'italien"),
    ("es", "quiero aprender italiano, mi número es +39 333 123 4567"),
]


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('admin-insight') / 'catalogue.sqlite3'}"
    prepare_catalogue(url)
    create_role_users(url)
    engine = make_engine(url)
    with unit_of_work(make_session_factory(engine)) as session:
        for number, (language, question) in enumerate(QUESTIONS):
            record_unanswered(
                session,
                sender_id=f"person-{number}",
                language=language,
                question=question,
                reason="no_match",
            )
        for number, helpful in enumerate([True, True, False]):
            record_feedback(
                session,
                sender_id=f"rater-{number}",
                service_id="svc-registry-residence",
                helpful=helpful,
                language="uk",
                question="як зареєструвати місце проживання" if not helpful else None,
            )
        record_unanswered(
            session,
            sender_id="admin-preview-abc",
            language="en",
            question="preview only",
            reason="no_match",
        )
    engine.dispose()
    return url


def _themes(html: str) -> list[str]:
    return [block for block in html.split('<details class="theme"')[1:]]


def test_unanswered_questions_are_grouped_by_theme_across_languages_without_personal_data(
    database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        app_env="test", database_url=database_url, data_dir=tmp_path, search_vectors=True
    )  # type: ignore[arg-type]
    with app_client(settings) as client:
        login(client, "victor")
        page = client.get("/admin/insight?days=30").text
    assert "amina.k@example.org" not in page and "333 123 4567" not in page
    assert "[email]" in page
    assert "preview only" not in page
    themes = _themes(page)
    language_theme = next(t for t in themes if 'data-theme="category-language"' in t)
    assert all(f'lang="{code}">{code} ' in language_theme for code in ("en", "fr", "es"))
    phone = next(t for t in themes if "ricaricare il telefono" in t)
    assert "recharger mon téléphone" in phone and "charge my phone" in phone
    assert "cane in ufficio" not in phone
    dog = next(t for t in themes if "cane in ufficio" in t)
    assert "bring my dog" in dog


def test_feedback_per_service_counts_helpful_and_not_helpful(
    database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        app_env="test", database_url=database_url, data_dir=tmp_path, search_vectors=False
    )  # type: ignore[arg-type]
    with app_client(settings) as client:
        login(client, "victor")
        page = client.get("/admin/insight").text
    feedback = page.split('id="feedback"', 1)[1].split("</section>", 1)[0]
    row = feedback.split("/admin/services/svc-registry-residence", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td>(\d+)</td>", row)
    assert cells[:2] == ["2", "1"]
    assert "uk 3" in row
    # without vectors, questions no category matches are listed as "other"
    assert 'data-theme="other"' in page
