"""The ``dvcbot`` console command.

Each area registers its own sub-commands (``kb``, ``nlu``, ``agents``, ``wards``, ``run`` ...)
through a ``register(subparsers)`` function in its ``cli`` module, which also holds the handlers;
a handler imports the module that does the work only when its command runs, so ``dvcbot --help``
stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: module exposing ``register(subparsers)``; each adds one or more top-level commands
AREAS = [
    "dvcbot.db_cli",
    "knowledge_base.cli",
    "nlu.cli",
    "routing.cli",
    "care.cli",
    "evaluation.cli",
    "dvcbot.cli",
]


def register(sub: argparse._SubParsersAction) -> None:
    """The commands of the whole stack (``dvcbot.stack``)."""
    p = sub.add_parser("run", help="start NLU, actions, Rasa and the gateway, restart any that stops; "
                                   "Ctrl-C stops them")
    p.set_defaults(func=_run)
    p = sub.add_parser("serve", help="serve the gateway alone")
    p.set_defaults(func=_serve)


def _run(args: argparse.Namespace) -> int:
    from dvcbot.stack import run_command

    return run_command(args)


def _serve(args: argparse.Namespace) -> int:
    from dvcbot.stack import serve_command

    return serve_command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dvcbot", description="dvcbot command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in AREAS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from dvcbot.logs import setup_logging

    setup_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        result = args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
