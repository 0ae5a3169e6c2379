"""The service's commands: ``aidroute admin`` (groups, passwords, tokens), ``aidroute db
upgrade``, ``aidroute purge`` and ``aidroute worker``.

``admin token EMAIL`` prints the token as the last word of its last line, for scripts:
``TOKEN=$(aidroute admin token ana@example.org | tail -1 | awk '{print $NF}')``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from rich.markup import escape

from api.console import console, err_console


def _db() -> Any:
    from api.settings import get_settings
    from api.storage.engine import open_database
    from api.storage.migrate import upgrade

    settings = get_settings()
    db = open_database(settings.db_url())
    upgrade(db.engine)
    return settings, db


def _link(settings: Any, path: str) -> str:
    base = settings.public_url or "http://127.0.0.1:8000"
    return f"{base}{path}"


def cmd_create_group(args: argparse.Namespace) -> int:
    from api.storage import accounts

    settings, db = _db()
    with db.session() as s:
        group, token = accounts.create_group(
            s, args.name, args.dispatcher, args.timezone or settings.timezone
        )
    console.print(
        f"Group [bold]{escape(group.name)}[/] (id {group.id}) with dispatcher "
        f"{escape(args.dispatcher)}."
    )
    console.print("Send them this one-time link to choose a password (valid 7 days):")
    print(_link(settings, f"/invite/{token}"))
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    from api.storage import accounts

    settings, db = _db()
    with db.session() as s:
        inviter = accounts.dispatcher_by_email(s, args.by)
        d = accounts.add_dispatcher(s, inviter.group_id, args.email, inviter.id)
        token = accounts.new_invite(s, d.id)
    console.print(
        f"{escape(args.email)} joins the group of {escape(args.by)}. Their one-time link:"
    )
    print(_link(settings, f"/invite/{token}"))
    return 0


def cmd_set_password(args: argparse.Namespace) -> int:
    from api.storage import accounts

    _settings, db = _db()
    password = sys.stdin.readline().rstrip("\r\n")
    with db.session() as s:
        accounts.set_password(s, args.email, password)
    console.print(f"Password set for {escape(args.email)}.")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    from api.storage import accounts

    _settings, db = _db()
    with db.session() as s:
        record, token = accounts.new_api_token(s, args.email, args.name)
    console.print(f"API token {record.id} ({record.prefix}…) for {escape(args.email)}; shown once:")
    print(f"Authorization: Bearer {token}")
    return 0


def cmd_tokens(args: argparse.Namespace) -> int:
    from api.storage import accounts
    from api.storage.models import Dispatcher

    _settings, db = _db()
    with db.session() as s:
        if args.email is not None:
            accounts.dispatcher_by_email(s, args.email)  # an unknown email is said
        rows = accounts.tokens_of(s, email=args.email)
        if not rows:
            err_console.print(
                f"no API token{' of ' + escape(args.email) if args.email else ''} yet"
            )
        for t in rows:
            # Whose token, in which group: an organiser revokes by it.
            owner = s.get(Dispatcher, t.dispatcher_id)
            group = accounts.group_of(s, owner.group_id) if owner else None
            whose = f"{owner.email if owner else '?'}\t{group.name if group else '?'}"
            state = "revoked" if t.revoked_at else "live"
            used = t.last_used_at.isoformat(timespec="minutes") if t.last_used_at else "never"
            print(
                f"{t.id}\t{whose}\t{t.prefix}…\t{state}\t{t.name}\t"
                f"created {t.created_at:%Y-%m-%d}\tlast used {used}"
            )
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from api.storage import accounts

    _settings, db = _db()
    with db.session() as s:
        if not accounts.revoke_token(s, args.token_id):
            console.print(f"[red]no token {escape(args.token_id)}[/]")
            return 1
    console.print(f"Token {escape(args.token_id)} revoked.")
    return 0


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    from api.settings import get_settings
    from api.storage.engine import open_database
    from api.storage.migrate import upgrade

    db = open_database(get_settings().db_url())
    before, after = upgrade(db.engine)
    url = db.engine.url.render_as_string(hide_password=True)
    if before == after:
        console.print(f"{escape(url)}: already at revision {after}", soft_wrap=True)
    else:
        console.print(
            f"{escape(url)}: upgraded from {before or 'empty'} to {after}", soft_wrap=True
        )
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime, time

    from api.storage.retention import purge

    settings, db = _db()
    now = None
    if args.as_of:
        try:
            day = datetime.strptime(args.as_of, "%Y-%m-%d").date()
        except ValueError:
            console.print(f"[red]--as-of {escape(repr(args.as_of))}: expected YYYY-MM-DD[/]")
            return 2
        now = datetime.combine(day, time(), UTC)
    done = purge(db, settings.retention_days, now=now)
    console.print(
        f"Purged personal data past {settings.retention_days} days: {done.plans} plans, "
        f"{done.imports} imports, {done.households} households, {done.jobs} jobs."
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import logging

    from api.settings import get_settings
    from api.worker import run_embedded, run_rq

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    os.umask(0o077)  # what a worker writes (caches, areas) holds recipients' data
    settings, _ = _db()
    if args.embedded or not settings.queue_url:
        if not args.embedded:
            console.print("no AIDROUTE_QUEUE_URL: taking jobs from the database directly")
        run_embedded(get_settings(), parent_pid=args.parent_pid, once=args.burst)
    else:
        run_rq(settings, burst=args.burst)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``admin``, ``db``, ``purge`` and ``worker`` to the ``aidroute`` command line."""
    admin = subparsers.add_parser("admin", help="groups, dispatchers, passwords and API tokens")
    sub = admin.add_subparsers(dest="admin_command", required=True)
    p = sub.add_parser("create-group", help="a new group and its first dispatcher")
    p.add_argument("name")
    p.add_argument("--dispatcher", required=True, metavar="EMAIL")
    p.add_argument("--timezone", default=None, help="of the delivery days, e.g. America/New_York")
    p.set_defaults(func=cmd_create_group)
    p = sub.add_parser("invite", help="invite another dispatcher to a dispatcher's group")
    p.add_argument("email")
    p.add_argument("--by", required=True, metavar="EMAIL", help="a dispatcher of the group")
    p.set_defaults(func=cmd_invite)
    p = sub.add_parser("set-password", help="set a dispatcher's password (read from stdin)")
    p.add_argument("email")
    p.set_defaults(func=cmd_set_password)
    p = sub.add_parser("token", help="a new API token for scripts (last word of the output)")
    p.add_argument("email")
    p.add_argument("--name", default="", help="what it is for")
    p.set_defaults(func=cmd_token)
    p = sub.add_parser("tokens", help="list API tokens")
    p.add_argument("email", nargs="?", default=None)
    p.set_defaults(func=cmd_tokens)
    p = sub.add_parser("revoke-token", help="revoke an API token by its id")
    p.add_argument("token_id")
    p.set_defaults(func=cmd_revoke)

    db = subparsers.add_parser("db", help="the service's database")
    dbsub = db.add_subparsers(dest="db_command", required=True)
    p = dbsub.add_parser("upgrade", help="apply pending migrations")
    p.set_defaults(func=cmd_db_upgrade)

    p = subparsers.add_parser("purge", help="purge personal data past the retention period")
    p.add_argument(
        "--as-of",
        default=None,
        metavar="YYYY-MM-DD",
        help="purge as on that day (a later day purges sooner than retention asks)",
    )
    p.set_defaults(func=cmd_purge)

    p = subparsers.add_parser(
        "worker", help="solve queued plans (AIDROUTE_QUEUE_URL, or the database directly)"
    )
    p.add_argument("--embedded", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--parent-pid", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--burst", action="store_true", help="stop when no job is waiting")
    p.set_defaults(func=cmd_worker)
