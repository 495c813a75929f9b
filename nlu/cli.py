"""``dvcbot nlu ...``: train, parse (stdin → JSON lines), eval (held-out split, DIET baseline), serve.

The handlers of the NLU's commands: each imports the module that does the work when the command
runs (so ``dvcbot --help`` stays fast), prints for the operator and returns the exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _train(args: argparse.Namespace) -> int:
    from nlu.model import train

    train(force=args.force)
    return 0


def _parse(args: argparse.Namespace) -> int:
    """One text per line on stdin → one parse JSON per line, exactly what ``POST /model/parse``
    answers. A line that cannot be parsed (empty, too long) gives ``{"text": ..., "error": ...}``
    on its line so that outputs stay aligned with inputs."""
    from nlu.model import ModelMissingError
    from nlu.parser import NluParser, TextError

    try:
        parser = NluParser()
    except (ModelMissingError, RuntimeError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    lines = [args.text] if args.text is not None else (line.rstrip("\r\n") for line in sys.stdin)
    for line in lines:
        try:
            out = parser.parse(line)
        except TextError as exc:
            out = {"text": line, "error": str(exc)}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def _eval(args: argparse.Namespace) -> int:
    from nlu.evaluate import report
    from nlu.model import ModelMissingError

    try:
        body = report(baseline=not args.no_baseline, file=args.file)
    except (ModelMissingError, RuntimeError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(body)
    if not args.no_write:
        from dvcbot.evaldoc import write_section

        if args.file:  # each scored set has its own section, named after its file
            stem = Path(args.file).stem
            name = stem if stem.startswith("nlu_") else f"nlu_{stem}"
            path = write_section(name, f"NLU: intent accuracy on {Path(args.file).name} (issue 9)", body)
        else:
            path = write_section("nlu", "NLU: intent classification on the held-out split", body)
        print(f"\nwritten to {path}", file=sys.stderr)
    return 0


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
    p.set_defaults(func=_train)

    p = ns.add_parser("parse", help="read one text per line on stdin, write one parse JSON per line")
    p.add_argument("text", nargs="?", help="parse this text instead of reading stdin")
    p.set_defaults(func=_parse)

    p = ns.add_parser(
        "eval", help="per-intent P/R/F1 on data/eval/nlu_heldout.yml, ours vs the Rasa DIET baseline"
    )
    p.add_argument("--no-baseline", action="store_true", help="skip the Rasa DIET baseline")
    p.add_argument("--file", default=None,
                   help="score another set instead, e.g. data/eval/nlu_independent.yml (its own EVALUATION section)")
    p.add_argument("--no-write", action="store_true", help="print only, do not write docs/EVALUATION.md")
    p.set_defaults(func=_eval)

    p = ns.add_parser("serve", help="run the NLU HTTP service (same as python -m nlu)")
    p.set_defaults(func=_serve)
