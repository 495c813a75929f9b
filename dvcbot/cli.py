"""The ``dvcbot`` console command.

Each area registers its own sub-commands (``kb``, ``nlu``, ``agents``, ``wards``, ``run`` ...)
through a ``register(subparsers)`` function in its ``cli`` module, imported lazily so that
``dvcbot --help`` stays fast and one broken area does not take the others down.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: module exposing ``register(subparsers)``; each adds one or more top-level commands
AREAS = [
    "knowledge_base.cli",
    "nlu.cli",
    "routing.cli",
    "dvcbot.cli",
]


def lazy(target: str):
    """A command handler that imports ``"module:function"`` only when the command runs."""

    def handler(args: argparse.Namespace) -> int:
        module_name, func_name = target.split(":")
        return getattr(importlib.import_module(module_name), func_name)(args)

    return handler


def register(sub: argparse._SubParsersAction) -> None:
    """The commands of the whole stack (``dvcbot.stack``)."""
    p = sub.add_parser("run", help="start NLU, actions, Rasa and the gateway, restart any that stops; "
                                   "Ctrl-C stops them")
    p.set_defaults(func=lazy("dvcbot.stack:run_command"))
    p = sub.add_parser("serve", help="serve the gateway alone")
    p.set_defaults(func=lazy("dvcbot.stack:serve_command"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dvcbot", description="dvcbot command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in AREAS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # an area that is not there yet
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.register(sub)
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
