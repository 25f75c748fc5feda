"""HSDS import/export round trips, and bad files rejected whole with their errors."""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.catalogue.db import make_engine, make_session_factory, unit_of_work, upgrade
from bot.catalogue.hsds.export import catalogue_rows
from bot.catalogue.hsds.importer import ImportRejectedError, import_package
from bot.catalogue.hsds.package import write_package


@pytest.fixture
def demo_database(fresh_demo_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(fresh_demo_url)
    yield make_session_factory(engine)
    engine.dispose()


def _rows(factory: sessionmaker[Session]) -> dict[str, list[dict[str, Any]]]:
    with factory() as session:
        return catalogue_rows(session)


@pytest.mark.parametrize("suffix", [".json", ".zip", ""])
def test_export_then_import_into_an_empty_database_round_trips(
    demo_database: sessionmaker[Session], tmp_path: Path, suffix: str
) -> None:
    original = _rows(demo_database)
    package = tmp_path / f"package{suffix or '_dir'}"
    write_package(original, package)
    target_url = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    upgrade(target_url)
    engine = make_engine(target_url)
    try:
        factory = make_session_factory(engine)
        with unit_of_work(factory) as session:
            report = import_package(package, session)
        assert report.written and report.counts["service"] == len(original["service"])
        assert _rows(factory) == original
        with unit_of_work(factory) as session:  # importing again changes nothing
            import_package(package, session)
        assert _rows(factory) == original
    finally:
        engine.dispose()


def _csv_package(rows: dict[str, list[dict[str, Any]]], tmp_path: Path) -> Path:
    folder = tmp_path / "pkg"
    write_package(rows, folder)
    return folder


def _edit_csv(folder: Path, table: str, edit: Callable[[list[dict[str, str]]], None]) -> None:
    path = folder / f"{table}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


BAD_CSV_CASES: list[tuple[str, str, Callable[[list[dict[str, str]]], None], str]] = [
    (
        "service",
        "service.csv row 3, field 'organization_id'",
        lambda rows: rows[1].update(organization_id="org-does-not-exist"),
        "no organization",
    ),
    (
        "schedule",
        "schedule.csv row 2, field 'opens_at'",
        lambda rows: rows[0].update(opens_at="9 in the morning"),
        "not a time",
    ),
    (
        "schedule",
        "schedule.csv row 2, field 'closes_at'",
        lambda rows: rows[0].update(opens_at="18:00", closes_at="09:00"),
        "after opens_at",
    ),
    (
        "service",
        "service.csv row 2, field 'name'",
        lambda rows: rows[0].update(name=""),
        "is required",
    ),
    (
        "service",
        "service.csv row 2, field 'assured_date'",
        lambda rows: rows[0].update(assured_date="31/12/2026"),
        "not a date",
    ),
    (
        "location",
        "location.csv row 3, field 'id'",
        lambda rows: rows[1].update(id=rows[0]["id"]),
        "duplicate id",
    ),
    (
        "location",
        "location.csv row 2, field 'latitude'",
        lambda rows: rows[0].update(latitude="451.3"),
        "out of range",
    ),
    (
        "attribute",
        "attribute.csv row 2, field 'taxonomy_term_id'",
        lambda rows: rows[0].update(taxonomy_term_id="cat-weather"),
        "no taxonomy_term",
    ),
]


@pytest.mark.parametrize(("table", "where", "edit", "message"), BAD_CSV_CASES)
def test_a_bad_csv_is_rejected_whole_naming_file_row_and_field(
    demo_database: sessionmaker[Session],
    tmp_path: Path,
    table: str,
    where: str,
    edit: Callable[[list[dict[str, str]]], None],
    message: str,
) -> None:
    before = _rows(demo_database)
    changed = {k: [dict(r) for r in v] for k, v in before.items()}
    changed["service"][0]["name"] = "A name that must not be written"
    folder = _csv_package(changed, tmp_path)
    _edit_csv(folder, table, edit)
    with pytest.raises(ImportRejectedError) as rejected, unit_of_work(demo_database) as session:
        import_package(folder, session)
    reported = [str(problem) for problem in rejected.value.problems]
    assert any(where in line and message in line for line in reported), reported
    assert _rows(demo_database) == before  # nothing half-written


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "invalid JSON"),
        (json.dumps({"resources": [{"name": "spaceship", "data": []}]}), "unknown HSDS resource"),
        (
            json.dumps(
                {"resources": [{"name": "service", "data": [{"id": "x", "colour": "red"}]}]}
            ),
            "unknown fields",
        ),
    ],
)
def test_broken_json_packages_are_rejected(
    demo_database: sessionmaker[Session], tmp_path: Path, content: str, message: str
) -> None:
    before = _rows(demo_database)
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with (
        pytest.raises(ImportRejectedError, match="nothing was imported") as rejected,
        unit_of_work(demo_database) as session,
    ):
        import_package(path, session)
    assert message in str(rejected.value.problems[0])
    assert _rows(demo_database) == before


def test_a_zip_that_is_not_a_zip_and_non_utf8_csv_are_rejected(
    demo_database: sessionmaker[Session], tmp_path: Path
) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"PK not really")
    with pytest.raises(ImportRejectedError) as rejected, unit_of_work(demo_database) as session:
        import_package(fake, session)
    assert "not a valid zip" in str(rejected.value.problems[0])
    latin = tmp_path / "latin.zip"
    with zipfile.ZipFile(latin, "w") as archive:
        archive.writestr("organization.csv", "id,name\norg-x,Citt\xe0".encode("latin-1"))
    with pytest.raises(ImportRejectedError) as rejected, unit_of_work(demo_database) as session:
        import_package(latin, session)
    assert "organization.csv: not UTF-8" in str(rejected.value.problems[0])
