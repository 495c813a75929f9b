"""Check the expectations of the ninth held-out part (r001-r110) against the public data only.

Written by the evalset9 helper, independently of the bot: it reads data/eval/conversations_heldout.yml,
data/procedures/catalogue.jsonl.gz (codes, channel times and fees; not the aliases), data/faq/faq.yml
(ids, answers and validity), data/hanoi/hanoi.yml and data/geo/*.csv. It never runs the bot.

    .venv/bin/python scripts/check_heldout_r.py

Checks: every code exists; every FAQ id exists; every ``must`` alternative that is a fee ("7.000") or a
duration ("3 ngày") is stated by the record of one of the turn's codes (or the last code of the
conversation); every ``must`` alternative that is a date, a phone number or an address is stated in
the FAQ answers, the Hanoi layer or the records; every ward named in a ``must`` of an agent turn is a
new ward of data/geo/wards.csv, and the old ward + old district of that turn maps to it in
data/geo/old_to_new.csv. Exits 1 on a problem.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

#: old ward, old district (as the citizen writes them, checked against old_to_new.csv) -> new ward
PLACES = {
    "r077": ("Phúc Xá", "Ba Đình", "Hồng Hà"),
    "r078": ("Kiêu Kỵ", "Gia Lâm", "Gia Lâm"),
    "r079": ("Láng Thượng", "Đống Đa", "Láng"),
    "r080": ("Chương Dương", "Hoàn Kiếm", "Hồng Hà"),
    "r081": ("Thanh Xuân", "Sóc Sơn", "Nội Bài"),
    "r082": ("Vạn Phúc", "Hà Đông", "Hà Đông"),
    "r083": ("Khương Mai", "Thanh Xuân", "Phương Liệt"),
    "r091": ("Liễu Giai", "Ba Đình", "Ngọc Hà"),
}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.lower()).replace("đ", "d")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", fold(text)).split())


def copies(convs: list[dict], faqs: dict) -> list[str]:
    """Messages of the two new sets that repeat a FAQ question / paraphrase, each other or themselves
    (compared without diacritics and punctuation; near copies by difflib ratio >= 0.8). Only ids are
    printed, never the FAQ text."""
    import difflib

    faq_lines = {norm(q) for f in faqs.values() for q in [f["question"], *(f.get("paraphrases") or [])]}
    conv_lines = {norm(t["say"]): c["id"] for c in convs for t in c["turns"] if "say" in t}
    nlu = yaml.safe_load((DATA / "eval" / "nlu_fresh8.yml").read_text(encoding="utf-8"))["nlu"]
    nlu_lines = [(it["intent"], norm(line[2:])) for it in nlu for line in it["examples"].splitlines()
                 if line.startswith("- ")]
    out = []
    seen: dict[str, str] = {}
    for intent, text in nlu_lines:
        if text in seen:
            out.append(f"nlu_fresh8 duplicate message ({intent} / {seen[text]})")
        seen[text] = intent
        if text in conv_lines:
            out.append(f"nlu_fresh8 {intent} '{text}' repeats a message of {conv_lines[text]}")
    for text, owner in [*conv_lines.items(), *((t, "nlu_fresh8 " + i) for i, t in nlu_lines)]:
        for faq_line in faq_lines:
            if text == faq_line or difflib.SequenceMatcher(None, text, faq_line).ratio() >= 0.8:
                out.append(f"{owner}: '{text}' copies a FAQ question or paraphrase")
                break
    return out


def as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def record_text(rec: dict) -> str:
    parts = [rec.get("name", ""), rec.get("agency", "") or "", rec.get("level", "") or ""]
    for ch in rec.get("channels", []):
        parts += [ch.get("time_text") or "", ch.get("fee_text") or "", ch.get("note") or "", ch.get("label") or ""]
        for fee in ch.get("fees", []):
            if fee.get("amount_vnd") is not None:
                parts.append(f"{int(fee['amount_vnd']):,}".replace(",", "."))
    return "\n".join(parts)


def main() -> int:
    convs = yaml.safe_load((DATA / "eval" / "conversations_heldout.yml").read_text(encoding="utf-8"))["conversations"]
    cat = {}
    with gzip.open(DATA / "procedures" / "catalogue.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if "code" in rec:
                cat[rec["code"]] = rec
    faqs = {f["id"]: f for f in yaml.safe_load((DATA / "faq" / "faq.yml").read_text(encoding="utf-8"))["faqs"]}
    faq_text = "\n".join(f"{f['answer']}\n{f.get('expired_answer') or ''}" for f in faqs.values())
    hanoi_text = (DATA / "hanoi" / "hanoi.yml").read_text(encoding="utf-8")
    wards = {r["name"] for r in csv.DictReader((DATA / "geo" / "wards.csv").open(encoding="utf-8"))}
    old_new = list(csv.DictReader((DATA / "geo" / "old_to_new.csv").open(encoding="utf-8")))
    problems: list[str] = []
    number = re.compile(r"^\d{1,3}(?:\.\d{3})+$|^\d+ (?:ngày|giờ)$|^\d+%$")
    dated = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\b1022\b|1900 ?\d{4}|Hàng Trống")
    for conv in convs:
        cid = conv["id"]
        last_codes: list[str] = []
        for i, turn in enumerate(conv["turns"], 1):
            where = f"{cid} turn {i}"
            codes = as_list(turn.get("code"))
            for code in codes:
                if code not in cat:
                    problems.append(f"{where}: unknown code {code}")
            if turn.get("faq") and turn["faq"] not in faqs:
                problems.append(f"{where}: unknown faq {turn['faq']}")
            scope = [c for c in (codes or last_codes) if c in cat]
            # a figure of a turn without a procedure (postage support ...) must be in the FAQ answers
            texts = [record_text(cat[c]) for c in scope] if scope else [faq_text, hanoi_text]
            for needle in as_list(turn.get("must")):
                alts = [a.strip() for a in needle.split("|")]
                numeric = [a for a in alts if number.match(a)]
                if numeric:
                    backed = [a for a in numeric if any(a.lower() in t.lower() for t in texts)
                              or (a.endswith("%") and any("50%" in t for t in texts))]
                    if not backed:
                        problems.append(f"{where}: none of {numeric} in the records {scope} (or the FAQ)")
                    half = [a for a in numeric if a not in backed]
                    if half:
                        print(f"note {where}: {half} not stated literally in {scope} (derived, e.g. the 50 % cut)")
                for alt in alts:
                    if dated.search(alt) and not (alt in faq_text or alt in hanoi_text or any(alt in t for t in texts)):
                        problems.append(f"{where}: '{alt}' not in FAQ answers, Hanoi layer or records")
            if codes:
                last_codes = codes
        if cid in PLACES:
            old, district, new = PLACES[cid]
            if new not in wards:
                problems.append(f"{cid}: {new} is not a ward of wards.csv")
            rows = [r for r in old_new if fold(r["old_name"]).endswith(fold(old))
                    and fold(r["old_district"]).endswith(fold(district))]
            if not rows or any(not r["new_name"].endswith(new) for r in rows):
                problems.append(f"{cid}: {old}, {district} does not map to {new} ({[r['new_name'] for r in rows]})")
            first = conv["turns"][0] if cid != "r091" else conv["turns"][2]
            if fold(old) not in fold(first["say"]) or new not in as_list(first.get("must"))[0]:
                problems.append(f"{cid}: the turn does not name {old} or expect {new}")
    problems += copies(convs, faqs)
    print(f"{len(convs)} conversations, {sum(len(c['turns']) for c in convs)} turns checked")
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
