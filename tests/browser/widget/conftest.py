"""Widget browser tests: a municipal web page on another site embedding the chat snippet."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.settings import Settings

HOST_PAGE = """<!doctype html>
<html lang="it"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Comune di Cremona - {title}</title></head>
<body><h1>{title}</h1><p><a href="/{other}">{other}</a></p>
<script src="{assistant}/widget/embed.js" data-language="{language}" defer></script>
</body></html>
"""


@dataclass(frozen=True)
class HostSite:
    """The municipal site: its base URL (another site than the assistant's)."""

    url: str
    assistant: str


def _handler(assistant: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page, _, query = self.path.lstrip("/").partition("?")
            language = query.removeprefix("lang=") if query.startswith("lang=") else "ar"
            if page not in ("", "news", "services"):
                self.send_error(404)
                return
            title = page or "home"
            other = "news" if title != "news" else "services"
            body = HOST_PAGE.format(
                title=title, other=other, assistant=assistant, language=language
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    return Handler


@pytest.fixture(scope="session")
def host_site(running_stack: Settings) -> Iterator[HostSite]:
    """A page on http://localhost:<port> (the assistant is on 127.0.0.1: another site)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(running_stack.web_url))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HostSite(f"http://localhost:{server.server_address[1]}", running_stack.web_url)
    finally:
        server.shutdown()
        server.server_close()
