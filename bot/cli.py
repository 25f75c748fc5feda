"""Command-line entry points: prepare the database, train, run the stack, benchmark."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence

from bot.settings import get_settings

logger = logging.getLogger("bot")


def _cmd_prepare(args: argparse.Namespace) -> int:
    from bot.catalogue.setup import prepare_catalogue

    count = prepare_catalogue(get_settings().database_url, load_demo_if_empty=not args.no_demo)
    print(f"catalogue ready: {count} services")
    return 0


def _cmd_train(_: argparse.Namespace) -> int:
    from bot.runner.model import ensure_model

    print(f"model: {ensure_model(get_settings())}")
    return 0


def _cmd_run(_: argparse.Namespace) -> int:
    from bot.catalogue.setup import prepare_catalogue
    from bot.runner.model import ensure_model
    from bot.runner.stack import Stack

    settings = get_settings()
    count = prepare_catalogue(settings.database_url)
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
        f"  telegram  {'enabled' if settings.telegram_bot_token else 'not configured'}\n"
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


def _cmd_bench(args: argparse.Namespace) -> int:
    from bot.bench.conversations import run_benchmark

    return run_benchmark(get_settings(), args.conversations, args.turns)


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
    bench = commands.add_parser("bench", help="concurrent conversations against the running stack")
    bench.add_argument("--conversations", type=int, action="append", default=None)
    bench.add_argument("--turns", type=int, default=6, help="turns per conversation")
    bench.set_defaults(handler=_cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run one command."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=get_settings().log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        result: int = args.handler(args)
    except Exception as error:
        logger.error("%s: %s", type(error).__name__, error)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
