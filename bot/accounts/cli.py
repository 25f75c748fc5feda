"""`python -m bot create-user`: create or update a staff user from the command line."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.orm import Session, sessionmaker

from bot.accounts.models import ROLES
from bot.accounts.service import AccountError, save_user
from bot.catalogue.db import unit_of_work


def add_create_user_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `create-user`."""
    parser.add_argument("--username", required=True)
    parser.add_argument("--role", required=True, choices=ROLES)
    parser.add_argument(
        "--organization",
        action="append",
        default=[],
        metavar="ID",
        help="an organisation an editor may edit (repeat for several)",
    )
    parser.add_argument("--display-name", default=None)
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    parser.add_argument(
        "--keep-password",
        action="store_true",
        help="update an existing user without changing the password",
    )
    parser.add_argument("--inactive", action="store_true", help="disable the account")


def _read_password(args: argparse.Namespace) -> str | None:
    if args.keep_password:
        return None
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("repeat password: ") != first:
        raise AccountError("password", "the two passwords differ")
    return first


def create_user(sessions: sessionmaker[Session], args: argparse.Namespace) -> int:
    """Create or update the user; print what happened, or the invalid field and why."""
    try:
        password = _read_password(args)
        with unit_of_work(sessions) as session:
            user = save_user(
                session,
                args.username,
                args.role,
                password,
                args.organization,
                display_name=args.display_name,
                active=not args.inactive,
            )
            organizations = ", ".join(sorted(user.organization_ids)) or "-"
            print(f"saved user {user.username} (role {user.role}, organisations {organizations})")
    except AccountError as error:
        print(f"invalid {error}", file=sys.stderr)
        return 2
    return 0
