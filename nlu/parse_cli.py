"""``dvcbot nlu parse``: one text per line on stdin → one parse JSON per line on stdout.

The JSON is exactly what ``POST /model/parse`` answers. A line that cannot be parsed (empty,
too long) gives ``{"text": ..., "error": ...}`` on its line so that outputs stay aligned with inputs.
"""

from __future__ import annotations

import argparse
import json
import sys

from nlu.model import ModelMissingError


def parse_command(args: argparse.Namespace) -> int:
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
