"""``dvcbot eval conversations``: the conversation-level measure through the real gateway."""

from __future__ import annotations

import argparse

from dvcbot.cli import lazy


def register(sub: argparse._SubParsersAction) -> None:
    ev = sub.add_parser("eval", help="whole-stack evaluations")
    evs = ev.add_subparsers(dest="eval_command", metavar="EVAL_COMMAND")
    p = evs.add_parser("conversations", help="run the conversation sets through the gateway; per-tag success")
    p.add_argument("--split", choices=["dev", "heldout", "all"], default="dev")
    p.add_argument("--tags", default="", help="comma-separated tags; only conversations with one of them")
    p.add_argument("--url", default="", help="a running gateway (default: start the stack on free ports)")
    p.add_argument("--no-write", action="store_true", help="print only, do not write docs/EVALUATION.md")
    p.set_defaults(func=lazy("evaluation.conversations:eval_command"))
