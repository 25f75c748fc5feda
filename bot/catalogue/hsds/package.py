"""HSDS data packages on disk: JSON (inline data) or CSV (a folder or a .zip)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.catalogue.hsds.tables import BY_NAME, TABLES, Table

PROFILE = "https://openreferral.org/hsds/3.0"
_JSON_TYPES = {"enum": "string"}


@dataclass(frozen=True)
class RawRow:
    """One row as read from a file, with where it came from (for error messages)."""

    table: str
    source: str  # file name
    line: int  # 1-based row number in the file (CSV: header is line 1)
    values: dict[str, Any]


def descriptor(inline: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """A Frictionless data package descriptor for the HSDS tables."""
    resources = []
    for table in TABLES:
        resource: dict[str, Any] = {
            "name": table.name,
            "profile": "tabular-data-resource",
            "schema": {
                "fields": [
                    {
                        "name": f.name,
                        "type": _JSON_TYPES.get(f.type, f.type),
                        "constraints": {"required": f.required}
                        | ({"enum": list(f.choices)} if f.choices else {}),
                    }
                    for f in table.fields
                ],
                **({"primaryKey": "id"} if "id" in table.field_names else {}),
            },
        }
        if table.description:
            resource["description"] = table.description
        if inline is None:
            resource["path"] = f"{table.name}.csv"
        else:
            resource["data"] = inline.get(table.name, [])
        resources.append(resource)
    return {
        "name": "cremona-services",
        "profile": "tabular-data-package",
        "hsds_profile": PROFILE,
        "resources": resources,
    }


def _csv_text(table: Table, rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.field_names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else _csv_value(v)) for k, v in row.items()})
    return buffer.getvalue()


def _csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_package(rows: dict[str, list[dict[str, Any]]], path: Path) -> None:
    """Write `.json` (inline data), `.zip` (CSV files) or a folder of CSV files."""
    if path.suffix == ".json":
        path.write_text(json.dumps(descriptor(rows), ensure_ascii=False, indent=1), "utf-8")
        return
    files = {"datapackage.json": json.dumps(descriptor(), ensure_ascii=False, indent=1)}
    files |= {f"{t.name}.csv": _csv_text(t, rows.get(t.name, [])) for t in TABLES}
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
        return
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text, "utf-8")


class PackageFormatError(ValueError):
    """The file is not a readable data package (named file and reason)."""


def _read_files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in path.iterdir() if p.is_file()}
    if path.suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                return {
                    Path(n).name: archive.read(n) for n in archive.namelist() if not n.endswith("/")
                }
        except zipfile.BadZipFile as error:
            raise PackageFormatError(f"{path.name}: not a valid zip file") from error
    return {path.name: path.read_bytes()}


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PackageFormatError(f"{name}: not UTF-8 text (byte {error.start})") from error


def read_rows(path: Path) -> Iterator[RawRow]:
    """Rows of every known table in a package (JSON with inline data, CSV folder or zip)."""
    if not path.exists():
        raise PackageFormatError(f"{path}: no such file or folder")
    files = _read_files(path)
    if path.suffix == ".json":
        yield from _json_rows(path.name, _decode(path.name, files[path.name]))
        return
    csv_files = {n: d for n, d in files.items() if n.endswith(".csv")}
    if not csv_files:
        raise PackageFormatError(f"{path.name}: no CSV files found")
    for name, data in sorted(csv_files.items()):
        table = name.removesuffix(".csv")
        if table not in BY_NAME:
            raise PackageFormatError(f"{name}: unknown HSDS table '{table}'")
        reader = csv.DictReader(io.StringIO(_decode(name, data)))
        unknown = set(reader.fieldnames or []) - set(BY_NAME[table].field_names)
        if unknown:
            raise PackageFormatError(f"{name}: unknown columns {sorted(unknown)}")
        for number, values in enumerate(reader, start=2):
            if None in values:
                raise PackageFormatError(f"{name} row {number}: more values than columns")
            yield RawRow(
                table, name, number, {k: (v if v != "" else None) for k, v in values.items()}
            )


def _json_rows(name: str, text: str) -> Iterator[RawRow]:
    try:
        package = json.loads(text)
    except json.JSONDecodeError as error:
        raise PackageFormatError(
            f"{name} line {error.lineno}: invalid JSON ({error.msg})"
        ) from error
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise PackageFormatError(f"{name}: no 'resources' list (expected an HSDS data package)")
    for resource in resources:
        table = resource.get("name")
        if table not in BY_NAME:
            raise PackageFormatError(f"{name}: unknown HSDS resource '{table}'")
        data = resource.get("data")
        if not isinstance(data, list):
            raise PackageFormatError(f"{name}: resource '{table}' has no inline 'data' list")
        for number, values in enumerate(data, start=1):
            if not isinstance(values, dict):
                raise PackageFormatError(f"{name}: {table} row {number} is not an object")
            unknown = set(values) - set(BY_NAME[table].field_names)
            if unknown:
                raise PackageFormatError(
                    f"{name}: {table} row {number}: unknown fields {sorted(unknown)}"
                )
            yield RawRow(table, f"{name}#{table}", number, dict(values))
