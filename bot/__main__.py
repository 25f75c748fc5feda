"""`python -m bot ...`: the command-line interface."""

from bot.runner.native_threads import apply_native_thread_env

if __name__ == "__main__":
    apply_native_thread_env()  # before anything loads numpy (benchmarks, evaluation)
    from bot.cli import main

    raise SystemExit(main())
