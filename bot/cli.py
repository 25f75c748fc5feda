"""Command-line entry points: prepare the database, train, run the stack, benchmark."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, get_settings

logger = logging.getLogger("bot")


def _cmd_prepare(args: argparse.Namespace) -> int:
    from bot.catalogue.setup import prepare_for_serving

    count = prepare_for_serving(get_settings(), load_demo_if_empty=not args.no_demo)
    print(f"catalogue ready: {count} services")
    return 0


def _catalogue_sessions() -> sessionmaker[Session]:
    from bot.catalogue.db import make_engine, make_session_factory, upgrade

    url = get_settings().database_url
    upgrade(url)
    return make_session_factory(make_engine(url))


def _cmd_export(args: argparse.Namespace) -> int:
    from bot.catalogue.hsds.export import catalogue_rows
    from bot.catalogue.hsds.package import write_package

    with _catalogue_sessions()() as session:
        rows = catalogue_rows(session)
    write_package(rows, args.path)
    print(f"exported {len(rows['service'])} services to {args.path}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from bot.catalogue.db import unit_of_work
    from bot.catalogue.hsds.importer import ImportRejectedError, import_package

    try:
        with unit_of_work(_catalogue_sessions()) as session:
            report = import_package(args.path, session, dry_run=args.dry_run)
    except ImportRejectedError as rejected:
        print(f"rejected {args.path}: {rejected}", file=sys.stderr)
        for problem in rejected.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{table} {n}" for table, n in sorted(report.counts.items()))
    verb = "imported" if report.written else "valid (dry run, nothing written)"
    print(f"{verb}: {counts}")
    return 0


def _cmd_overdue(_: argparse.Namespace) -> int:
    import datetime as dt

    from bot.catalogue.repository import CatalogueRepository

    today = dt.date.today()
    with _catalogue_sessions()() as session:
        overdue = CatalogueRepository(session).overdue(today)
    for service in overdue:
        verified = service.verified_on or "never"
        print(f"{verified}\t{service.owner or '-'}\t{service.id}\t{service.name}")
    print(f"{len(overdue)} service(s) past their review date")
    return 0


def _cmd_create_user(args: argparse.Namespace) -> int:
    from bot.accounts.cli import create_user

    return create_user(_catalogue_sessions(), args)


def _cmd_train(_: argparse.Namespace) -> int:
    from bot.runner.model import ensure_model

    print(f"model: {ensure_model(get_settings())}")
    return 0


def _telegram_status(settings: Settings) -> str:
    if not settings.telegram_bot_token:
        return "not configured (set TELEGRAM_BOT_TOKEN)"
    if settings.telegram_mode == "webhook":
        return f"webhook {settings.telegram_webhook_url}"
    return f"long polling (health: http://127.0.0.1:{settings.telegram_health_port}/health)"


def _cmd_run(_: argparse.Namespace) -> int:
    from bot.catalogue.setup import prepare_for_serving
    from bot.runner.model import ensure_model
    from bot.runner.stack import Stack

    settings = get_settings()
    count = prepare_for_serving(settings)
    print(f"catalogue: {count} services ({settings.database_url.split('://')[0]})")
    model = ensure_model(settings)
    print(f"model: {model.name}")
    stack = Stack(settings, model)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    print("starting Rasa, the action server and the web app ...")
    stack.start()
    print(
        "ready:\n"
        f"  web app   {settings.web_url}  (health: {settings.web_url}/health)\n"
        f"  rasa      {settings.rasa_url}  (REST channel, token-protected API)\n"
        f"  actions   {settings.action_server_url}\n"
        f"  telegram  {_telegram_status(settings)}\n"
        f"  logs      {stack.log_dir}\n"
        "press Ctrl-C to stop"
    )
    try:
        while not stopping.wait(1.0):
            dead = [p.spec.name for p in stack.processes if not p.running()]
            if dead:
                print(f"stopped unexpectedly: {', '.join(dead)} (see {stack.log_dir})")
                return 1
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping ...")
        stack.stop()
        print("stopped")
    return 0


def _cmd_run_production(_: argparse.Namespace) -> int:
    from bot.runner.run_production import run_production

    return run_production()


def _cmd_bench_load(args: argparse.Namespace) -> int:
    from bot.bench.load import LoadPlan, run_load_benchmark

    plan = LoadPlan(args.conversations, args.languages, args.minutes, args.think_seconds)
    return run_load_benchmark(plan)


def _cmd_telegram(_: argparse.Namespace) -> int:
    import asyncio

    from bot.channels.telegram.log_privacy import protect_logs
    from bot.channels.telegram.polling import run_polling

    settings = get_settings()
    if settings.telegram_mode != "polling":
        print(
            "TELEGRAM_MODE=webhook: the web app receives the updates (python -m bot run)",
            file=sys.stderr,
        )
        return 2
    protect_logs(settings)
    asyncio.run(run_polling(settings))
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from bot.bench.conversations import run_benchmark

    return run_benchmark(get_settings(), args.conversations, args.turns)


def _cmd_bench_search(args: argparse.Namespace) -> int:
    from bot.bench.search import run_search_benchmark

    return run_search_benchmark(get_settings(), args.services, args.rounds)


def _cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation.report import run_evaluation

    return run_evaluation(
        get_settings(), search_only=args.search_only, dev=args.dev, misses=args.misses
    )


def _cmd_retention(args: argparse.Namespace) -> int:
    from bot.privacy.retention import run_retention

    report = run_retention(get_settings(), days=args.days, dry_run=args.dry_run)
    verb = "would erase" if args.dry_run else "erased"
    print(
        f"{verb} {report.conversations} conversation(s) inactive since before "
        f"{report.cutoff:%Y-%m-%d %H:%M} UTC ({report.tracker_rows} tracker events, "
        f"{report.record_rows} records)"
    )
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from bot.privacy.backup import BackupError, backup

    try:
        manifest = backup(get_settings(), args.folder)
    except BackupError as error:
        print(f"backup failed: {error}", file=sys.stderr)
        return 1
    print(f"backup written: {manifest.parent}")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from bot.privacy.backup import BackupError, restore

    try:
        report = restore(get_settings(), args.folder)
    except BackupError as error:
        print(f"restore failed: {error}", file=sys.stderr)
        return 1
    print(
        f"restored the backup of {report.backup_taken_at:%Y-%m-%d %H:%M} UTC; erased again "
        f"{report.erasures_reapplied} conversation(s) from the erasure ledger and "
        f"{report.expired_conversations} expired one(s)"
    )
    return 0


def _add_privacy_commands(commands: argparse._SubParsersAction) -> None:
    retention = commands.add_parser(
        "retention", help="erase conversations inactive longer than RETENTION_DAYS (run daily)"
    )
    retention.add_argument("--days", type=int, default=None, help="override RETENTION_DAYS")
    retention.add_argument("--dry-run", action="store_true", help="count only, erase nothing")
    retention.set_defaults(handler=_cmd_retention)
    backup = commands.add_parser("backup", help="copy the catalogue and the tracker store")
    backup.add_argument("folder", type=Path)
    backup.set_defaults(handler=_cmd_backup)
    restore = commands.add_parser(
        "restore", help="restore a backup (app stopped), then re-apply erasures and retention"
    )
    restore.add_argument("folder", type=Path)
    restore.set_defaults(handler=_cmd_restore)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m bot`."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    prepare = commands.add_parser("prepare", help="migrate the catalogue; load the demo if empty")
    prepare.add_argument("--no-demo", action="store_true", help="do not load the demo catalogue")
    prepare.set_defaults(handler=_cmd_prepare)
    commands.add_parser("train", help="train the Rasa model if its inputs changed").set_defaults(
        handler=_cmd_train
    )
    commands.add_parser("run", help="run the whole assistant until Ctrl-C").set_defaults(
        handler=_cmd_run
    )
    commands.add_parser(
        "run-production",
        help="run the production profile (2 Rasa, 2 action servers, PostgreSQL, Redis)",
    ).set_defaults(handler=_cmd_run_production)
    bench_load = commands.add_parser(
        "bench-load", help="concurrent conversations against the production profile"
    )
    bench_load.add_argument("--conversations", type=int, default=200)
    bench_load.add_argument("--languages", type=int, default=5)
    bench_load.add_argument("--minutes", type=float, default=10.0)
    bench_load.add_argument(
        "--think-seconds", type=float, default=1.0, help="pause between a reply and the next"
    )
    bench_load.set_defaults(handler=_cmd_bench_load)
    commands.add_parser(
        "telegram", help="run the Telegram bot (long polling) until Ctrl-C"
    ).set_defaults(handler=_cmd_telegram)
    export = commands.add_parser(
        "export", help="export the catalogue as HSDS (.json inline, .zip or folder of CSV)"
    )
    export.add_argument("path", type=Path)
    export.set_defaults(handler=_cmd_export)
    importer = commands.add_parser(
        "import", help="validate an HSDS package and import it atomically"
    )
    importer.add_argument("path", type=Path)
    importer.add_argument("--dry-run", action="store_true", help="validate only")
    importer.set_defaults(handler=_cmd_import)
    commands.add_parser("overdue", help="services past their review date").set_defaults(
        handler=_cmd_overdue
    )
    from bot.accounts.cli import add_create_user_arguments

    create_user = commands.add_parser(
        "create-user", help="create or update a staff user (admin, editor, translator, ...)"
    )
    add_create_user_arguments(create_user)
    create_user.set_defaults(handler=_cmd_create_user)
    bench = commands.add_parser("bench", help="concurrent conversations against the running stack")
    bench.add_argument("--conversations", type=int, action="append", default=None)
    bench.add_argument("--turns", type=int, default=6, help="turns per conversation")
    bench.set_defaults(handler=_cmd_bench)
    evaluation = commands.add_parser("eval", help="intent and search scores per language")
    evaluation.add_argument("--search-only", action="store_true", help="skip the intent table")
    evaluation.add_argument(
        "--dev", action="store_true", help="score the tuning set tests/dev instead of tests/nlu"
    )
    evaluation.add_argument(
        "--misses", action="store_true", help="list what the model and the search got wrong"
    )
    evaluation.set_defaults(handler=_cmd_eval)
    bench_search = commands.add_parser("bench-search", help="search latency on N services")
    bench_search.add_argument("--services", type=int, default=10_000)
    bench_search.add_argument("--rounds", type=int, default=5)
    bench_search.set_defaults(handler=_cmd_bench_search)
    _add_privacy_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run one command; a bad setting is reported by name."""
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as error:
        print(f"invalid configuration:\n{error}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("alembic", "httpx", "httpcore"):  # httpx logs every request URL at info
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        result: int = args.handler(args)
    except Exception as error:
        logger.error("%s: %s", type(error).__name__, error)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
