"""Check the tenth held-out conversation part (q001-q110) against the public data only.

Written by the evalset10 helper, independently of the bot: reads data/procedures/catalogue.jsonl.gz,
data/faq/faq.yml, data/geo/*.csv and the set itself; imports nothing of the bot. Checks: format (ids,
2-6 turns, known tags, an expectation per turn), every code exists, every FAQ id exists and has begun
by the evaluation date, every fee / day / date / percentage in a ``must`` occurs in an expected record
(or FAQ answer), every place word in a find-agent turn is a ward of data/geo, and no message copies a
FAQ question or paraphrase. Exit code 1 on any problem.

    .venv/bin/python scripts/check_heldout_q.py
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EVAL_DAY = dt.date(2026, 11, 30)
TAGS = {"procedure", "vneid", "payment", "submission", "contact", "agent", "complaint", "smalltalk",
        "follow-up", "long", "elderly", "no-diacritics", "teencode", "typo", "date-sensitive", "button",
        "topic-switch", "clarify", "vocabulary", "hanoi", "place", "misroute", "situation", "request-human",
        "goodbye"}
KEYS = ("intent", "code", "faq", "must", "must_not", "buttons")
MINIMUM = {"follow-up": 30, "long": 16, "date-sensitive": 16, "no-diacritics": 8, "teencode": 6, "typo": 6,
           "elderly": 6, "button": 5, "topic-switch": 5, "place": 5}
AGENCY_WORDS = {"Công an", "Ủy ban", "UBND", "Văn phòng đăng ký đất đai", "Chi nhánh", "Bảo hiểm xã hội",
                "cảnh sát giao thông", "xã, phường"}
NUMBER = re.compile(r"\d[\d./%]*")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text).split())


def as_list(v) -> list[str]:
    return [] if v is None else [str(x) for x in v] if isinstance(v, list) else [str(v)]


def record_text(rec: dict) -> str:
    parts = [rec.get("name", "")]
    for ch in rec.get("channels", []):
        parts.append(str(ch.get("fee_text", "")))
        parts.append(f"{ch.get('time_text', '')} {ch.get('time_unit') or ''}")
        tv = ch.get("time_value")
        if tv is not None:
            parts.append(f"{int(tv)} ngày" if float(tv).is_integer() else str(tv))
        for fee in ch.get("fees", []):
            if fee.get("amount_vnd") is not None:
                amount = int(fee["amount_vnd"])
                parts.append(f"{amount:,}".replace(",", ".") if amount else "0 đồng")
                # a 50 % reduction still in force on the evaluation date (its end date is in the text)
                text = str(fee.get("description", ""))
                if "bằng 50%" in text and "31/12/2026" in text and EVAL_DAY <= dt.date(2026, 12, 31):
                    parts.append(f"{amount // 2:,}".replace(",", "."))
    parts.append(json.dumps(rec.get("documents", []), ensure_ascii=False))
    return " ".join(parts).lower()


def main() -> int:
    cat = {}
    with gzip.open(ROOT / "data/procedures/catalogue.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if "code" in rec:
                cat[rec["code"]] = rec
    faqs = {f["id"]: f for f in yaml.safe_load((ROOT / "data/faq/faq.yml").read_text(encoding="utf-8"))["faqs"]}
    wards = {row["name"] for row in csv.DictReader(open(ROOT / "data/geo/wards.csv", encoding="utf-8"))}
    old_rows = list(csv.DictReader(open(ROOT / "data/geo/old_to_new.csv", encoding="utf-8")))

    def short(name: str) -> str:
        return fold(re.sub(r"^(Phường|Xã|Thị trấn|Quận|Huyện|Thị xã) ", "", name))
    faq_phrases = {fold(p) for f in faqs.values() for p in [f["question"], *(f.get("paraphrases") or [])]}
    convs = yaml.safe_load((ROOT / "data/eval/conversations_heldout.yml").read_text(encoding="utf-8"))["conversations"]
    problems: list[str] = []
    ids = [c["id"] for c in convs]
    if ids != [f"q{i:03d}" for i in range(1, 111)]:
        problems.append("ids are not q001-q110 in order")
    checked = Counter()
    for conv in convs:
        cid = conv["id"]
        if not 2 <= len(conv["turns"]) <= 6:
            problems.append(f"{cid}: {len(conv['turns'])} turns")
        if set(conv["tags"]) - TAGS:
            problems.append(f"{cid}: unknown tags {set(conv['tags']) - TAGS}")
        for i, turn in enumerate(conv["turns"], 1):
            where = f"{cid} turn {i}"
            if ("say" in turn) == ("button" in turn):
                problems.append(f"{where}: needs exactly one of say/button")
            if not any(k in turn for k in KEYS):
                problems.append(f"{where}: no expectation")
            if "say" in turn and fold(turn["say"]) in faq_phrases:
                problems.append(f"{where}: copies a FAQ question or paraphrase")
            codes = as_list(turn.get("code"))
            for code in codes:
                if code not in cat:
                    problems.append(f"{where}: unknown code {code}")
                checked["codes"] += 1
            sources = [record_text(cat[c]) for c in codes if c in cat]
            if turn.get("faq"):
                entry = faqs.get(turn["faq"])
                if entry is None:
                    problems.append(f"{where}: unknown faq {turn['faq']}")
                else:
                    start = entry.get("valid_from")
                    if start and dt.date.fromisoformat(str(start)) > EVAL_DAY:
                        problems.append(f"{where}: faq {turn['faq']} not yet valid")
                    until = entry.get("valid_until")
                    expired = until and dt.date.fromisoformat(str(until)) < EVAL_DAY
                    sources.append((entry.get("expired_answer") if expired else entry["answer"]).lower())
                    checked["faqs"] += 1
            if not codes and not turn.get("faq"):
                # contact, complaint, request-human and open follow-up turns: the FAQ answers as valid on
                # the evaluation date (an ended policy by its expired_answer)
                sources = [(f.get("expired_answer") if f.get("valid_until")
                            and dt.date.fromisoformat(str(f["valid_until"])) < EVAL_DAY else f["answer"]).lower()
                           for f in faqs.values()
                           if not f.get("valid_from") or dt.date.fromisoformat(str(f["valid_from"])) <= EVAL_DAY]
            for needle in as_list(turn.get("must")):
                alts = [a.strip() for a in needle.split("|")]
                numeric = [a for a in alts if NUMBER.search(a)]
                for alt in numeric:
                    ok = any(alt.lower() in s for s in sources)
                    if not ok and turn.get("intent") in ("find_agent", ["find_agent", "find_agent_more"]):
                        ok = True  # phone-number prefixes of agent replies
                    if not ok and not sources and alt in ("0", "024"):
                        ok = True
                    if not ok:
                        problems.append(f"{where}: '{alt}' not in the expected records / FAQ answer")
                    checked["numbers"] += 1
            # every "must" has at least one alternative in the expected records (any field) or FAQ answer
            if codes or turn.get("faq"):
                full = " ".join(sources + [json.dumps(cat[c], ensure_ascii=False).lower() for c in codes if c in cat])
                for needle in as_list(turn.get("must")):
                    if not any(a.strip().lower() in full for a in needle.split("|")):
                        problems.append(f"{where}: no alternative of '{needle}' in the expected records / FAQ")
                    checked["musts"] += 1
            # where to go: an agency word of a "must" is the record's agency (or the Hanoi commune level)
            agencies = " ".join(f"{cat[c].get('agency', '')} {cat[c].get('executing_agency', '')} "
                                f"{' '.join(cat[c].get('steps') or [])}" for c in codes if c in cat).lower()
            for needle in as_list(turn.get("must")):
                alts = [a.strip() for a in needle.split("|")]
                if codes and any(a in AGENCY_WORDS for a in alts):
                    if not any(a.lower() in agencies or a in ("xã, phường", "xã", "phường") for a in alts):
                        problems.append(f"{where}: none of {alts} is the records' agency")
                    checked["agencies"] += 1
            intents = as_list(turn.get("intent"))
            if "find_agent" in intents or "find_agent_more" in intents:
                for needle in as_list(turn.get("must")):
                    for alt in needle.split("|"):
                        alt = alt.strip()
                        if alt in ("Bưu điện", "bưu"):
                            continue
                        if alt not in wards:
                            problems.append(f"{where}: '{alt}' is not a ward of data/geo/wards.csv")
                        checked["wards"] += 1
                if "say" in turn:
                    said = f" {fold(turn['say'])} "
                    mapped = {r["new_name"].split(" ", 1)[1] for r in old_rows
                              if f" {short(r['old_name'])} " in said and f" {short(r['old_district'])} " in said}
                    alts = {a.strip() for n in as_list(turn.get("must")) for a in n.split("|")}
                    if mapped and not mapped & alts:
                        problems.append(f"{where}: none of {sorted(alts)} is a new ward of the old ward named")
                    checked["old wards"] += bool(mapped)
    tags = Counter(t for c in convs for t in c["tags"])
    for tag, n in MINIMUM.items():
        if tags[tag] < n:
            problems.append(f"tag {tag}: {tags[tag]} < {n}")
    online = sum(bool({"vneid", "payment", "submission"} & set(c["tags"])) for c in convs)
    three = sum(len(c["turns"]) >= 3 for c in convs)
    if three < 60:
        problems.append(f"only {three} conversations of 3+ turns")
    intents = Counter(t for c in convs for turn in c["turns"] for t in as_list(turn.get("intent"))[:1])
    print(f"{len(convs)} conversations, {sum(len(c['turns']) for c in convs)} turns, {three} of 3+ turns, "
          f"online topics {online}")
    print("tags:", dict(sorted(tags.items())))
    print("first accepted intent per turn:", dict(sorted(intents.items())))
    print("checked:", dict(checked))
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
