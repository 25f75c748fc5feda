"""The rasa-sdk action server, answering action calls only when they carry the token.

rasa-sdk's own `python -m rasa_sdk` accepts calls from anyone who can reach its port and
allows every CORS origin. This entry point runs the same app with CORS off and a check in
front of `/webhook` and `/actions`: Rasa sends INTERNAL_TOKEN as the `token` query parameter
(`action_endpoint.token` in endpoints.yml). `/health` stays open for readiness checks.
Run it with `python -m bot.runner.action_server --port 5055`.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Sequence
from functools import partial

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app_for_serve
from rasa_sdk.executor import ActionExecutor
from sanic import HTTPResponse, Request, Sanic, response
from sanic.worker.loader import AppLoader

from bot.runner.internal_token import tokens_match
from bot.settings import get_settings

OPEN_PATHS = frozenset({"/health"})
ACTIONS_PACKAGE = "actions"


def guarded_app(action_executor: ActionExecutor, token: str) -> Sanic:
    """rasa-sdk's app with CORS off and the token check (built in every worker)."""
    app = create_app_for_serve(action_executor, cors_origins=None)

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or tokens_match(token, request.args.get("token", "")):
            return None
        return response.json({"error": "missing or wrong token"}, status=401)

    return app


def serve(port: int, token: str, workers: int) -> None:
    """Serve the actions package on 127.0.0.1 (SANIC_HOST) until stopped."""
    executor = ActionExecutor()
    executor.register_package(ACTIONS_PACKAGE)
    loader = AppLoader(factory=partial(guarded_app, executor, token))
    app = loader.load()
    app.prepare(host=os.environ.get("SANIC_HOST", "127.0.0.1"), port=port, workers=workers)
    Sanic.serve(primary=app, app_loader=loader)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse `--port` and serve with the settings' token and worker count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    arguments = parser.parse_args(argv)
    utils.configure_colored_logging(logging.INFO)  # as `python -m rasa_sdk` without -v/-vv
    utils.update_sanic_log_level()
    settings = get_settings()
    serve(arguments.port, settings.internal_token, settings.action_workers)


if __name__ == "__main__":
    main()
