"""``dvcbot staff create``: staff accounts from the command line (the first admin is made this way)."""

from __future__ import annotations

import argparse
import getpass
import sys


def register(sub) -> None:
    staff = sub.add_parser("staff", help="care-console staff accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", metavar="ACTION")
    create = staff_sub.add_parser("create", help="create a staff account (asks for the password)")
    create.add_argument("username")
    create.add_argument("--name", default="", help="display name (Vietnamese, e.g. 'Nguyễn Văn A')")
    create.add_argument("--role", choices=["agent", "supervisor", "admin"], default="agent")
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input (for scripts)")
    create.set_defaults(func=create_cmd)
    listing = staff_sub.add_parser("list", help="list staff accounts")
    listing.set_defaults(func=list_cmd)
    care = sub.add_parser("care", help="care centre maintenance")
    care_sub = care.add_subparsers(dest="care_command", metavar="ACTION")
    flush = care_sub.add_parser("outbox-flush", help="write complaints kept while the database was down")
    flush.set_defaults(func=flush_cmd)
    seed = care_sub.add_parser("seed", help="insert synthetic tickets and ratings (benchmarks, demos)")
    seed.add_argument("--tickets", type=int, default=100_000)
    seed.add_argument("--ratings", type=int, default=500_000)
    seed.add_argument("--days", type=int, default=90)
    seed.set_defaults(func=seed_cmd)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu (ít nhất 12 ký tự): ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise ValueError("hai lần nhập mật khẩu không khớp")
    return first


def create_cmd(args: argparse.Namespace) -> int:
    from care.auth import create_staff
    from care.db import current_url, ensure_tables
    from dvcbot.db import session_scope

    url = current_url()
    ensure_tables(url)
    try:
        password = _password(args)
        with session_scope(url) as session:
            user = create_staff(session, args.username, args.name or args.username, password, args.role)
            print(f"created {user.role} {user.username} (id {user.id})")
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def list_cmd(_args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from care.db import current_url, ensure_tables
    from care.models import StaffUser
    from dvcbot.db import session_scope

    url = current_url()
    ensure_tables(url)
    with session_scope(url) as session:
        for u in session.scalars(select(StaffUser).order_by(StaffUser.username)):
            print(f"{u.id}\t{u.username}\t{u.role}\t{'active' if u.active else 'disabled'}\t{u.display_name}")
    return 0


def flush_cmd(_args: argparse.Namespace) -> int:
    from care.db import ensure_tables
    from care.outbox import Outbox

    ensure_tables()
    box = Outbox.default()
    waiting = len(box.pending())
    written = box.flush()
    print(f"{waiting} waiting complaint(s): {written} written, {waiting - written} already in the database")
    return 0


def seed_cmd(args: argparse.Namespace) -> int:
    from care.seed import seed

    seed(tickets=args.tickets, ratings=args.ratings, days=args.days)
    print(f"inserted {args.tickets} tickets and {args.ratings} ratings")
    return 0
