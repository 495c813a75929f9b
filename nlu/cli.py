"""``dvcbot nlu ...``: train, parse (stdin → JSON lines), eval (held-out split, DIET baseline), serve."""

from __future__ import annotations

import argparse

from dvcbot.cli import lazy


def _serve(args: argparse.Namespace) -> int:
    from nlu.__main__ import main

    return main()


def register(sub: argparse._SubParsersAction) -> None:
    nlu = sub.add_parser("nlu", help="NLU: train the intent classifier, parse texts, evaluate")
    ns = nlu.add_subparsers(dest="nlu_command", metavar="NLU_COMMAND")

    p = ns.add_parser(
        "train", help="train from bot/data/nlu.yml (skipped when data, code and encoder are unchanged)"
    )
    p.add_argument("--force", action="store_true", help="train even if the model is up to date")
    p.set_defaults(func=lazy("nlu.model:train_command"))

    p = ns.add_parser("parse", help="read one text per line on stdin, write one parse JSON per line")
    p.add_argument("text", nargs="?", help="parse this text instead of reading stdin")
    p.set_defaults(func=lazy("nlu.parse_cli:parse_command"))

    p = ns.add_parser(
        "eval", help="per-intent P/R/F1 on data/eval/nlu_heldout.yml, ours vs the Rasa DIET baseline"
    )
    p.add_argument("--no-baseline", action="store_true", help="skip the Rasa DIET baseline")
    p.add_argument("--file", default=None,
                   help="score another set instead, e.g. data/eval/nlu_independent.yml (its own EVALUATION section)")
    p.add_argument("--no-write", action="store_true", help="print only, do not write docs/EVALUATION.md")
    p.set_defaults(func=lazy("nlu.evaluate:eval_command"))

    p = ns.add_parser("serve", help="run the NLU HTTP service (same as python -m nlu)")
    p.set_defaults(func=_serve)
