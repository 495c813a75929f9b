"""Check the eleventh held-out conversation part (p001-p110) against the public data only.

Written by the evalset11 helper (2026-12-02), independently of the bot: reads the catalogue, the FAQ,
data/hanoi, data/geo and the set itself; imports only the text folding and the set's format
constants. Checks the format, that every code and FAQ id exists (an FAQ valid on 2026-11-30, or
expired with its expired answer), that every fee / day count / date in a "must" is the expected
record's (or an FAQ's), the old ward + old district -> new ward of the agent turns (whole-ward
merges), where the shared locations fall, and that no message equals an FAQ question or
paraphrase once folded. Run from the repository root: ``python scripts/check_heldout_p.py``.
"""

import csv
import datetime as dt
import gzip
import json
import re
import sys

import yaml
from shapely.geometry import Point, shape

sys.path.insert(0, ".")
from dvcbot.textnorm import fold
from evaluation.conversations import EXPECTATIONS, TAGS  # the set's format only

BY = {
    r["code"]: r
    for r in (json.loads(line) for line in list(gzip.open("data/procedures/catalogue.jsonl.gz", "rt"))[1:])
}
TODAY = dt.date(2026, 11, 30)
faqs = {f["id"]: f for f in yaml.safe_load(open("data/faq/faq.yml"))["faqs"]}
hanoi_txt = open("data/hanoi/hanoi.yml").read()
convs = yaml.safe_load(open("data/eval/conversations_heldout.yml"))["conversations"]
errs = []


def L(v):
    return [] if v is None else ([str(x) for x in v] if isinstance(v, list) else [str(v)])


def amounts(code):
    r = BY[code]
    s = set()
    for ch in r["channels"]:
        for f in ch.get("fees", []):
            if f.get("amount_vnd") is not None:
                s.add(int(f["amount_vnd"]))
        for m in re.findall(r"(\d{1,3}(?:[.,]\d{3})+)", ch.get("fee_text", "")):
            s.add(int(re.sub("[.,]", "", m)))
    return s


def times(code):
    r = BY[code]
    s = set()
    for ch in r["channels"]:
        for m in re.findall(r"(\d+)", ch.get("time_text", "") or ""):
            s.add(int(m))
    return s


def fee_text(code):
    return " ".join(ch.get("fee_text", "") for ch in BY[code]["channels"])


ids = [c["id"] for c in convs]
assert len(ids) == len(set(ids)) and all(i.startswith("p") for i in ids)
for c in convs:
    assert 2 <= len(c["turns"]) <= 6, c["id"]
    assert set(c["tags"]) <= TAGS, (c["id"], set(c["tags"]) - TAGS)
    cur = []
    for i, t in enumerate(c["turns"], 1):
        where = f"{c['id']} t{i}"
        assert ("say" in t) != ("button" in t), where
        assert any(k in t for k in EXPECTATIONS), where
        codes = L(t.get("code"))
        for code in codes:
            if code not in BY:
                errs.append(f"{where}: unknown code {code}")
        if t.get("faq"):
            f = faqs.get(t["faq"])
            if not f:
                errs.append(f"{where}: unknown faq {t['faq']}")
                continue
            vf, vu = f.get("valid_from"), f.get("valid_until")
            if vf and vf > TODAY:
                errs.append(f"{where}: faq not yet valid")
            if vu and vu < TODAY and not f.get("expired_answer"):
                errs.append(f"{where}: faq expired w/o answer")
        # facts in must
        for needle in L(t.get("must")):
            alts = [a.strip() for a in needle.split("|")]
            amts = [a for a in alts if re.fullmatch(r"\d{1,3}(\.\d{3})+", a)]
            days = [a for a in alts if re.fullmatch(r"\d+ ngày( làm việc)?", a)]
            dates = [a for a in alts if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", a)]
            pct = [a for a in alts if "%" in a]
            if codes and amts:
                for code in codes:
                    ok = any(
                        int(a.replace(".", "")) in amounts(code)
                        or 2 * int(a.replace(".", "")) in amounts(code)
                        and "50%" in fee_text(code).replace(" ", "") + " 50% "
                        for a in amts
                    )
                    if not ok:
                        errs.append(f"{where}: {amts} not a fee of {code} {sorted(amounts(code))}")
            if codes and days:
                for code in codes:
                    if not any(int(a.split()[0]) in times(code) for a in days):
                        errs.append(f"{where}: {days} not a time of {code} {sorted(times(code))}")
            if codes and any(a in ("miễn", "0 đồng", "không thu", "không mất") for a in alts) and not amts:
                for code in codes:
                    st = {ch.get("fee_status") for ch in BY[code]["channels"]}
                    if not (amounts(code) <= {0} and "free" in st):
                        errs.append(f"{where}: free claimed but {code} has {sorted(amounts(code))} {st}")
            if not codes and amts:
                src = " ".join(f["answer"] for f in faqs.values())
                for a in amts:
                    if a not in src:
                        errs.append(f"{where}: amount {a} not in any faq")
            for d in dates:
                src = hanoi_txt + " ".join(
                    (f["answer"] + " " + (f.get("expired_answer") or "")) for f in faqs.values()
                )
                src += " ".join(fee_text(code) for code in codes)
                dd = d.split("/")
                alt = f"{int(dd[0]):02d}/{int(dd[1]):02d}/{dd[2]}"
                if d not in src and alt not in src and f"{int(dd[1])}/{dd[2]}" not in src:
                    errs.append(f"{where}: date {d} not found in the data")
# wards: old ward + district -> new ward (whole-ward merges), and shared locations
o2n = list(csv.DictReader(open("data/geo/old_to_new.csv")))
WARDS = {
    "p011": ("Phúc Tân", "Hoàn Kiếm", "Hồng Hà"),
    "p032": ("Thịnh Quang", "Đống Đa", "Đống Đa"),
    "p046": ("Vĩnh Phúc", "Ba Đình", "Ngọc Hà"),
    "p060": ("Tân Ước", "Thanh Oai", "Dân Hòa"),
    "p072": ("Trung Sơn Trầm", "Sơn Tây", "Tùng Thiện"),
    "p083": ("Lý Thái Tổ", "Hoàn Kiếm", "Hoàn Kiếm"),
    "p106": ("Đức Thắng", "Bắc Từ Liêm", "Đông Ngạc"),
    "p107": ("Thủy Xuân Tiên", "Chương Mỹ", "Xuân Mai"),
}
for cid, (old, dist, new) in WARDS.items():
    rows = [r for r in o2n if r["old_name"].endswith(" " + old) and r["old_district"].endswith(dist)]
    news = {r["new_name"].split(" ", 1)[1] for r in rows}
    if news != {new} and news != {new.replace("ò", "o").replace("Hòa", "Hoà")}:
        errs.append(f"{cid}: {old} {dist} -> {news}, expected {new} ({[r['merge'] for r in rows]})")
    conv = next(c for c in convs if c["id"] == cid)
    t = next(t for t in conv["turns"] if t.get("intent") == "find_agent" and "say" in t)
    if fold(old) not in fold(t["say"]):
        errs.append(f"{cid}: old ward not in message")
    if not any(new in m or new.replace("Hòa", "Hoà") in m for m in L(t.get("must"))):
        errs.append(f"{cid}: new ward not expected")
gj = json.load(open("data/geo/wards.geojson"))


def ward_of(lat, lon):
    for f in gj["features"]:
        if shape(f["geometry"]).contains(Point(lon, lat)):
            return f["properties"]
    return None


for c in convs:
    for t in c["turns"]:
        if t.get("location"):
            p = ward_of(t["location"]["lat"], t["location"]["lon"])
            print(c["id"], "location ->", p and {k: v for k, v in p.items() if "name" in k}, t.get("must"))
# fold collisions with the FAQ
faq_keys = {fold(f["question"]) for f in faqs.values()} | {
    fold(p) for f in faqs.values() for p in f.get("paraphrases", [])
}
msgs = [(c["id"], t["say"]) for c in convs for t in c["turns"] if "say" in t]
try:
    nlu = yaml.safe_load(open("data/eval/nlu_fresh10.yml"))["nlu"]
    msgs += [(b["intent"], m[2:].strip()) for b in nlu for m in b["examples"].strip().splitlines()]
except FileNotFoundError:
    pass
seen = {}
for who, m in msgs:
    k = fold(m)
    if k in faq_keys:
        errs.append(f"FAQ collision {who}: {m}")
    if k in seen and not (who.startswith("p") and seen[k].startswith("p")):
        errs.append(f"duplicate {who} / {seen[k]}: {m}")
    seen.setdefault(k, who)
print("\n".join(errs) or "OK", f"({len(msgs)} messages checked)")
