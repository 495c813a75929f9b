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
    "gateway.cli",
    "care.cli",
    "evaluation.cli",
]


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
