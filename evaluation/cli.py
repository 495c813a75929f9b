"""``dvcbot eval conversations``: the conversation-level measure through the real gateway.

The handler parses nothing itself (argparse did), imports the work module when the command runs,
prints for the operator and returns the exit code.
"""

from __future__ import annotations

import argparse
import sys


def _conversations(args: argparse.Namespace) -> int:
    from evaluation.conversations import SPLITS, evaluate, report_body

    splits = SPLITS if args.split == "all" else (args.split,)
    tags = [t for t in (args.tags or "").split(",") if t] or None
    ids = [i for i in (args.ids or "").split(",") if i] or None
    try:
        sections = evaluate(splits, tags, args.url, progress=lambda m: print(m, flush=True), ids=ids,
                            replies=args.replies)
    except RuntimeError as exc:  # a part of the stack did not start
        print(f"eval conversations: {exc}", file=sys.stderr)
        return 1
    for split, _n, table, missed in sections:
        print(f"\n{split}\n{table}\n" + "\n".join(missed))
    if not args.no_write and not tags and not ids and not args.replies:
        from dvcbot.evaldoc import write_section

        path = write_section("conversations", "Conversation-level evaluation (issue 9)", report_body(sections))
        print(f"\nwritten to {path}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    ev = sub.add_parser("eval", help="whole-stack evaluations")
    evs = ev.add_subparsers(dest="eval_command", metavar="EVAL_COMMAND")
    p = evs.add_parser("conversations", help="run the conversation sets through the gateway; per-tag success")
    p.add_argument("--split", choices=["dev", "heldout", "all"], default="dev")
    p.add_argument("--tags", default="", help="comma-separated tags; only conversations with one of them")
    p.add_argument("--ids", default="", help="comma-separated conversation ids; only these")
    p.add_argument("--replies", action="store_true", help="print the reply under each missed turn (not written)")
    p.add_argument("--url", default="", help="a running gateway (default: start the stack on free ports)")
    p.add_argument("--no-write", action="store_true", help="print only, do not write docs/EVALUATION.md")
    p.set_defaults(func=_conversations)
