"""Offline FAQ-choice harness (faqsem findings): for every conversation turn labelled with ``faq:`` in the
dev and held-out sets, the search hits as ``best_faq_answer`` collects them, the word check's pick, the e5
similarity of the message to each hit's questions and the word coverage; then how a search-lead rule would
change the picks. No follow-up context is modelled (turn-2 rows read the message alone).

    DVCBOT_TODAY=2026-11-30 .venv/bin/python scripts/faq_choice_harness.py [rows.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from actions import kb
from actions.faq import CATEGORIES, MAX_HITS
from knowledge_base.answer_check import _question_words, best_entry, coverage, question_part
from knowledge_base.encoder import get_encoder


def rows() -> list[dict]:
    enc = get_encoder()
    out = []
    for split in ("dev", "heldout"):
        data = yaml.safe_load(Path(f"data/eval/conversations_{split}.yml").read_text(encoding="utf-8"))
        convs = data.get("conversations", data) if isinstance(data, dict) else data
        for conv in convs:
            for n, turn in enumerate(conv["turns"], start=1):
                if "faq" not in turn:
                    continue
                q = turn["say"]
                intent = turn.get("intent")
                intent = intent[0] if isinstance(intent, list) else intent
                hits = list(kb.search(q, kinds={"faq"}, k=MAX_HITS))
                part = question_part(q)
                if part != q:
                    hits += list(kb.search(part, kinds={"faq"}, k=MAX_HITS))
                ids: list[str] = []
                scores: dict[str, float] = {}
                for h in hits:
                    if h.id not in ids:
                        ids.append(h.id)
                        scores[h.id] = h.score
                entries = [kb.faq_entry(i) for i in ids]
                known = set().union(*(_question_words(e) for e in entries)) if entries else set()
                pick = best_entry(q, entries, None, CATEGORIES.get(intent or ""))
                qv = enc.encode_queries(list(dict.fromkeys([q, part])))
                sem = {e.id: float((qv @ enc.encode_queries(list(e.search_texts)).T).max()) for e in entries}
                cov = {e.id: max(coverage(q, e, known), coverage(part, e, known)) for e in entries}
                out.append(dict(split=split, id=conv["id"], turn=n, q=q, want=turn["faq"], ids=ids, scores=scores,
                                sem=sem, cov=cov, pick=pick.id if pick else None))
    return out


def ok(row: dict, faq_id: str | None) -> bool:
    want = row["want"]
    return faq_id in want if isinstance(want, list) else faq_id == want


def lead_rule(row: dict, floor: float = 0.5, lead: float = 0.15) -> str | None:
    if len(row["ids"]) < 2 or row["ids"][0] == row["pick"]:
        return row["pick"]
    first, second = row["ids"][0], row["ids"][1]
    if row["scores"][first] - row["scores"][second] < lead or row["cov"][first] < floor:
        return row["pick"]
    if row["pick"] is not None and row["sem"][first] < row["sem"][row["pick"]]:
        return row["pick"]
    return first


def main() -> None:
    data = rows()
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for split in ("dev", "heldout"):
        part = [r for r in data if r["split"] == split]
        print(split, "turns", len(part), "word check", sum(ok(r, r["pick"]) for r in part),
              "search top-1", sum(ok(r, r["ids"][0]) for r in part if r["ids"]),
              "top-3", sum(any(ok(r, i) for i in r["ids"][:3]) for r in part),
              "e5 best", sum(ok(r, max(r["sem"], key=r["sem"].get)) for r in part if r["sem"]),
              "lead rule", sum(ok(r, lead_rule(r)) for r in part))
        print("  gained", [f"{r['id']}.{r['turn']}" for r in part if not ok(r, r["pick"]) and ok(r, lead_rule(r))])
        print("  lost", [f"{r['id']}.{r['turn']}" for r in part if ok(r, r["pick"]) and not ok(r, lead_rule(r))])


if __name__ == "__main__":
    main()
