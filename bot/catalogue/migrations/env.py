"""Alembic environment: the URL comes from the caller or from the app settings."""

from __future__ import annotations

from alembic import context

from bot.accounts import models as _account_models  # noqa: F401  (registers tables)
from bot.admin import audit as _audit_models  # noqa: F401  (registers tables)
from bot.catalogue.db import make_engine
from bot.catalogue.models import Base
from bot.conversations import models as _conversation_models  # noqa: F401  (registers tables)
from bot.conversations import outbox as _outbox_models  # noqa: F401  (registers tables)
from bot.settings import get_settings

config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().database_url


def run_migrations() -> None:
    """Run migrations online (offline SQL generation uses the same path with a URL)."""
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
