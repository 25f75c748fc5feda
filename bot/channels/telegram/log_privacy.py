"""Keep the bot token and the webhook secret out of every log line.

httpx logs each request URL at INFO, and a Bot API URL contains the token; PTB's
errors can quote URLs too. The filter rewrites any record (and its traceback) that
contains a secret, on every handler of the root logger.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.settings import Settings

REDACTED = "<redacted>"


class RedactSecrets(logging.Filter):
    """Replace secrets in a record's message and traceback."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if len(secret) >= 8]

    def _redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; rewrite it when it holds a secret."""
        message = record.getMessage()
        cleaned = self._redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        return True


def protect_logs(settings: Settings) -> None:
    """Quiet the HTTP client's request lines and redact secrets on every root handler."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    redact = RedactSecrets([settings.telegram_bot_token, settings.telegram_webhook_secret])
    handlers = list(logging.getLogger().handlers)
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    for handler in handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(redact)
