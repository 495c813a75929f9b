"""``dvcbot kb eval``: search quality on the dev set, latency, build time and memory.

Quality: top-1, top-3 and MRR@10 of the hybrid search and of the lexical-only baseline, overall
and per tag; a query counts as found at the first rank whose item is one of its acceptable
answers (``expected``: procedure codes and ``faq:<id>``). Also the aspect detection accuracy on
the queries labelled ``aspect:*``, and how much the dev set overlaps the FAQ paraphrases and
procedure aliases the index is built from (it must not: those are training text).

Latency is measured first, on a warm model but cold query cache (each dev query embedded for the
first time), so it includes the embedding. The build time is a fresh forced build into a
temporary folder. RSS is this process's resident memory after everything is loaded.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from dvcbot.settings import get_settings
from dvcbot.textnorm import fold

__all__ = ["DevQuery", "load_dev", "evaluate_quality", "format_report"]

K_MRR = 10


@dataclass(frozen=True)
class DevQuery:
    query: str
    expected: tuple[str, ...]
    tags: tuple[str, ...] = ()


@dataclass
class Quality:
    n: int = 0
    top1: int = 0
    top3: int = 0
    rr: float = 0.0
    misses: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    def add(self, rank: int | None) -> None:
        self.n += 1
        if rank is not None:
            self.top1 += rank == 1
            self.top3 += rank <= 3
            self.rr += 1.0 / rank

    def row(self) -> tuple[float, float, float]:
        n = max(self.n, 1)
        return self.top1 / n, self.top3 / n, self.rr / n


def dev_path() -> Path:
    return get_settings().data_dir / "eval" / "kb_dev.jsonl"


def heldout_path() -> Path:
    """A small set written after the tuning and never tuned on: the honest estimate."""
    return get_settings().data_dir / "eval" / "kb_heldout.jsonl"


def load_dev(path: Path | None = None) -> list[DevQuery]:
    out = []
    for n, line in enumerate((path or dev_path()).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        if not obj.get("query") or not obj.get("expected"):
            raise ValueError(f"dev set line {n}: needs 'query' and 'expected'")
        out.append(DevQuery(obj["query"], tuple(obj["expected"]), tuple(obj.get("tags", ()))))
    return out


def hit_key(hit: Any) -> str:
    return f"faq:{hit.id}" if hit.kind == "faq" else hit.id


def first_rank(hits: list[Any], expected: tuple[str, ...]) -> int | None:
    for n, h in enumerate(hits, 1):
        if hit_key(h) in expected:
            return n
    return None


def evaluate_quality(kb: Any, dev: list[DevQuery], lexical_only: bool) -> dict[str, Quality]:
    """Per tag (and ``all``) quality of one retriever."""
    res: dict[str, Quality] = defaultdict(Quality)
    desc = "lexical-only" if lexical_only else "hybrid"
    for q in tqdm(dev, desc=desc, unit="query"):
        hits = kb.search(q.query, k=K_MRR, lexical_only=lexical_only)
        rank = first_rank(hits, q.expected)
        for tag in ("all", *q.tags):
            res[tag].add(rank)
        if rank is None or rank > 3:
            res["all"].misses.append((q.query, list(q.expected), [hit_key(h) for h in hits[:3]]))
    return dict(res)


def aspect_accuracy(dev: list[DevQuery]) -> tuple[int, int, list[tuple[str, str, str | None]]]:
    from knowledge_base.aspects import detect_aspect

    ok = n = 0
    wrong = []
    for q in dev:
        want = next((t.split(":", 1)[1] for t in q.tags if t.startswith("aspect:")), None)
        if want is None:
            continue
        got = detect_aspect(q.query)
        n += 1
        ok += got == want
        if got != want:
            wrong.append((q.query, want, got))
    return ok, n, wrong


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(len(a | b), 1)


def overlap_report(dev: list[DevQuery], kb: Any) -> dict[str, Any]:
    """Dev queries identical (folded) or nearly identical (token Jaccard ≥ 0.8) to an indexed
    FAQ paraphrase/question or procedure alias."""
    training = [
        (p.text, p.source) for p in kb.loaded.passages if p.source in ("paraphrase", "question", "alias")
    ]
    folded = {fold(t): s for t, s in training}
    token_sets = [(set(fold(t).split()), t) for t, _ in training]
    exact, near = [], []
    for q in dev:
        fq = fold(q.query)
        if fq in folded:
            exact.append(q.query)
            continue
        qs = set(fq.split())
        best = max(((_jaccard(qs, ts), t) for ts, t in token_sets), default=(0.0, ""))
        if best[0] >= 0.8:
            near.append((q.query, best[1], round(best[0], 2)))
    return {"checked_against": len(training), "exact": exact, "near": near}


def measure_latency(kb: Any, dev: list[DevQuery], warmup: int = 5) -> dict[str, float]:
    """Per-query wall time of ``kb.search`` (hybrid, embedding included: each query is new to
    the encoder's cache), after a few warm-up queries that are not in the dev set."""
    for text in ["xin chào", "làm giấy tờ", "thủ tục hành chính", "đăng ký", "lệ phí"][:warmup]:
        kb.search(text)
    times = []
    for q in tqdm(dev, desc="latency", unit="query"):
        t0 = time.perf_counter()
        kb.search(q.query, k=5)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))],
        "max_ms": times[-1],
        "n": len(times),
    }


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MiB."""
    current = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return current, peak


def measure_build() -> dict[str, Any]:
    from knowledge_base.build.index import build_index

    with tempfile.TemporaryDirectory(prefix="dvcbot-index-") as tmp:
        return build_index(Path(tmp) / "index", force=True, use_cache=False)


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def format_report(
    hybrid: dict[str, Quality],
    lexical: dict[str, Quality],
    aspects: tuple[int, int, list[Any]],
    latency: dict[str, float] | None,
    build: dict[str, Any] | None,
    rss: tuple[float, float],
    overlap: dict[str, Any],
    n_items: int,
    load: float | None = None,
    heldout: tuple[Quality, Quality] | None = None,
) -> str:
    """Plain text (Markdown) report for the terminal and docs/EVALUATION.md."""
    h1, h3, hm = hybrid["all"].row()
    l1, l3, lm = lexical["all"].row()
    lines = [
        f"Dev set `data/eval/kb_dev.jsonl`: {hybrid['all'].n} queries; index: {n_items} items "
        "(procedures and FAQ entries).",
        "",
        "| retriever | top-1 | top-3 | MRR@10 |",
        "|---|---|---|---|",
        f"| hybrid (e5 + BM25) | {_pct(h1)} | {_pct(h3)} | {hm:.3f} |",
        f"| lexical only (BM25) | {_pct(l1)} | {_pct(l3)} | {lm:.3f} |",
        "",
        "Targets: top-1 ≥ 85 %, top-3 ≥ 95 %, hybrid better than lexical only. The fusion weights, the "
        "aspect rules and the stopwords were tuned on this same dev set, so these numbers are somewhat "
        "optimistic; the held-out set (when present, below) is the honest estimate.",
        "",
        *(_heldout_lines(heldout) if heldout else []),
        "Per tag (hybrid top-1 / top-3 / MRR; lexical top-1 / top-3):",
        "",
        "| tag | n | hybrid top-1 | hybrid top-3 | hybrid MRR | lexical top-1 | lexical top-3 |",
        "|---|---|---|---|---|---|---|",
    ]
    for tag in sorted(t for t in hybrid if t != "all"):
        a, b, c = hybrid[tag].row()
        d, e, _ = lexical.get(tag, Quality()).row()
        lines.append(f"| {tag} | {hybrid[tag].n} | {_pct(a)} | {_pct(b)} | {c:.3f} | {_pct(d)} | {_pct(e)} |")
    ok, n, _wrong = aspects
    lines += [
        "",
        f"Aspect detection on the {n} queries labelled with an aspect: {ok}/{n} ({_pct(ok / max(n, 1))}).",
    ]
    if latency:
        lines += [
            "",
            f"Latency of one hybrid search (warm model, query embedding included, {latency['n']} queries): "
            f"p50 {latency['p50_ms']:.1f} ms, p95 {latency['p95_ms']:.1f} ms, max {latency['max_ms']:.1f} ms "
            "(target p95 ≤ 30 ms).",
        ]
    if build:
        lines += [
            "",
            f"Fresh index build into a temporary folder: {build['seconds']:.1f} s "
            f"(encoding {build.get('encode_seconds', 0):.1f} s, {build.get('passages', '?')} passages; target ≤ 3 min).",
        ]
    lines += ["", f"Process memory: RSS {rss[0]:.0f} MiB now, peak {rss[1]:.0f} MiB (target ≤ 1.2 GB)."]
    if load is not None:
        lines += [
            "",
            f"Machine load average (1 min) during the run: {load:.1f} on {os.cpu_count()} cores; timings on a "
            "shared, busy machine are upper bounds.",
        ]
    lines += [
        "",
        f"Overlap of the dev and held-out queries with training text ({overlap['checked_against']} FAQ "
        "questions/paraphrases and aliases): "
        f"{len(overlap['exact'])} identical, {len(overlap['near'])} near-identical (token Jaccard ≥ 0.8).",
    ]
    misses = hybrid["all"].misses
    if misses:
        lines += ["", f"Hybrid misses at top-3 ({len(misses)}):", ""]
        for query, expected, got in misses:
            lines.append(
                f'- "{query}": expected {", ".join(expected[:3])}; got {", ".join(got) or "nothing"}'
            )
    return "\n".join(lines)


def _heldout_lines(heldout: tuple[Quality, Quality]) -> list[str]:
    h1, h3, hm = heldout[0].row()
    l1, l3, lm = heldout[1].row()
    return [
        f"Held-out set `data/eval/kb_heldout.jsonl` ({heldout[0].n} queries written after the tuning, "
        "never tuned on):",
        "",
        "| retriever | top-1 | top-3 | MRR@10 |",
        "|---|---|---|---|",
        f"| hybrid | {_pct(h1)} | {_pct(h3)} | {hm:.3f} |",
        f"| lexical only | {_pct(l1)} | {_pct(l3)} | {lm:.3f} |",
        "",
    ]
