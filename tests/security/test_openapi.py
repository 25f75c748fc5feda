"""The app's HTTP JSON API described in /openapi.json, and fuzzed from that description
(schemathesis, bounded examples) against the running stack: zero server errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from starlette.routing import Route

from bot.settings import Settings
from bot.web.app import create_app

pytestmark = pytest.mark.engine
MAX_EXAMPLES = 25
JSON_PREFIXES = ("/api/", "/desk/api/", "/nlg", "/health", "/telegram/")


def test_every_json_route_of_the_app_is_described(running_stack: Settings) -> None:
    described = httpx.get(f"{running_stack.web_url}/openapi.json").json()["paths"]
    app = create_app(running_stack)
    routes = {
        route.path
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith(JSON_PREFIXES)
    }
    assert routes == set(described), routes ^ set(described)
    for path, operations in described.items():
        route = next(r for r in app.routes if isinstance(r, Route) and r.path == path)
        assert {m.lower() for m in route.methods or ()} - {"head"} == set(operations), path


def _config(tmp_path: Path, settings: Settings, desk_client: httpx.Client) -> Path:
    """Credentials for the fuzzer: Rasa's NLG token and a desk user's session and CSRF."""
    cookie = desk_client.cookies.get("cremona_staff") or ""
    csrf = desk_client.headers["X-CSRF-Token"]
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "[auth.openapi.internalToken]\n"
        f'api_key = "{settings.internal_token}"\n'
        "[auth.openapi.staffSession]\n"
        f'api_key = "{cookie}"\n'
        "[auth.openapi.csrfHeader]\n"
        f'api_key = "{csrf}"\n',
        encoding="utf-8",
    )
    return config


def test_fuzzing_the_api_finds_no_server_error(
    running_stack: Settings, desk_client: httpx.Client, tmp_path: Path
) -> None:
    config = _config(tmp_path, running_stack, desk_client)
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(config),
            "--no-color",
            "run",
            f"{running_stack.web_url}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--workers",
            "2",
            "--phases",
            "examples,coverage,fuzzing",
            "--seed",
            "8",
            "--report-dir",
            str(tmp_path / "report"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
