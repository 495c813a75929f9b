"""Where the time of one knowledge-base search goes: lexical part, query embedding, whole search.

Run: ``.venv/bin/python benchmarks/kb_latency.py [--write]``. Each dev query is new to the
encoder's query cache when timed (the cache is bypassed by embedding through the model directly
for the encoder timing, and the whole-search timing runs on a fresh knowledge base), so the
numbers include the embedding. With ``--write`` the result goes into the ``kb_latency`` section
of docs/EVALUATION.md.
"""

from __future__ import annotations

import argparse
import statistics
import time

from dvcbot.evaldoc import write_section
from knowledge_base.evaluate import load_dev, rss_mb
from knowledge_base.index import load_index
from knowledge_base.search import KnowledgeBase, prepare_query


def _stats(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--write", action="store_true", help="write the kb_latency section of docs/EVALUATION.md"
    )
    args = parser.parse_args()

    t0 = time.perf_counter()
    kb = KnowledgeBase(load_index())
    load_ms = (time.perf_counter() - t0) * 1000
    kb.search("khởi động")  # loads the encoder
    queries = [prepare_query(q.query) for q in load_dev()]

    lexical, embed, whole = [], [], []
    for q in queries:
        t = time.perf_counter()
        kb.search(q, lexical_only=True)
        lexical.append((time.perf_counter() - t) * 1000)
    for q in queries:
        t = time.perf_counter()
        kb.encoder._embed([q], kb.encoder.query_prompt)  # bypasses the query cache on purpose
        embed.append((time.perf_counter() - t) * 1000)
    for q in queries:
        t = time.perf_counter()
        kb.search(q)
        whole.append((time.perf_counter() - t) * 1000)
    rss, peak = rss_mb()
    body = "\n".join(
        [
            f"{len(queries)} dev queries, one at a time, after a warm-up query.",
            "",
            f"- index load (FAISS + BM25 + metadata, no encoder): {load_ms:.0f} ms",
            f"- lexical-only search: {_stats(lexical)}",
            f"- one query embedding (e5-small, CPU): {_stats(embed)}",
            f"- whole hybrid search (one query embedding, FAISS, BM25 on the query and its topic, fusion): {_stats(whole)}",
            f"- RSS {rss:.0f} MiB (peak {peak:.0f} MiB)",
        ]
    )
    print(body)
    if args.write:
        print(f"written to {write_section('kb_latency', 'Knowledge base search latency breakdown', body)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
