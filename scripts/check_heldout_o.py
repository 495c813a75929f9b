"""Check the twelfth held-out part (o001-o110) and nlu_fresh11.yml against the public data.

Run from the repository root with no arguments; exits non-zero when an expectation does not match
the data. Written independently of the bot: it reads only the sets themselves and the public data
(data/procedures/catalogue.jsonl.gz, data/faq/faq.yml, data/hanoi/hanoi.yml, data/geo/*.csv), and
imports dvcbot.textnorm only for folding text and evaluation.conversations / nlu.intents only for
the tag and intent names.

What is checked:

- format: ids start with "o", 2-6 turns, tags from the known set, every turn has an expectation,
  ``say`` xor ``button``, intents are known intent names;
- codes exist in the catalogue;
- every amount ("7.000") and number of days ("7 ngày") in ``must`` is the record's: the amount is
  one of the fees of the turn's procedure (its ``code`` or the last code said before in the
  conversation), or half of one when the record's fee text gives a 50 % cut that is still valid on the
  evaluation date; the number of days is one of its channels' time values;
- every other ``must`` string has an alternative found in the turn's records, the FAQ answers or
  data/hanoi/hanoi.yml; a date in ``must`` is found in those texts;
- FAQ ids exist and are valid on the evaluation date; an expired entry is expected with its end date;
- a find_agent turn that names an old ward with its old district expects exactly the new ward(s)
  of data/geo/old_to_new.csv, each with a service point in data/agents/default_agents.csv;
- no message (conversation turn or nlu_fresh11 text) equals a FAQ question or paraphrase once folded,
  no nlu_fresh11 text repeats another or a turn of the held-out part;
- the minimum counts of the brief (tags, 3+ turn conversations, 240 intent messages).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dvcbot.textnorm import fold  # noqa: E402
from evaluation.conversations import EVAL_TODAY, EXPECTATIONS, TAGS  # noqa: E402
from nlu.intents import INTENTS  # noqa: E402

HELDOUT = ROOT / "data" / "eval" / "conversations_heldout.yml"
FRESH = ROOT / "data" / "eval" / "nlu_fresh11.yml"
#: the brief's minimums (issue 9, evalset12)
MIN_TAGS = {"follow-up": 30, "long": 16, "date-sensitive": 16, "no-diacritics": 8, "teencode": 6, "typo": 6,
            "elderly": 6, "button": 5, "topic-switch": 5, "place": 5}
MIN_THREE_TURNS = 60
#: the intents fresh10's header lists (the only ones nlu_fresh11 may use)
FRESH_INTENTS = {"ask_procedure", "ask_vneid", "ask_online_submission", "ask_online_payment", "ask_contact",
                 "find_agent", "find_agent_more", "file_complaint", "request_human", "greet", "goodbye", "thank",
                 "bot_challenge", "out_of_scope"}
AMOUNT = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
DAYS = re.compile(r"^(\d+) ngày$")
DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")

errors: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)


def as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def load_catalogue() -> dict[str, dict]:
    out = {}
    with gzip.open(ROOT / "data" / "procedures" / "catalogue.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if "code" in rec:
                out[rec["code"]] = rec
    return out


def fees_of(rec: dict) -> set[int]:
    """The record's amounts, and half of them when its fee text gives a 50 % cut valid on EVAL_TODAY."""
    amounts: set[int] = set()
    for ch in rec.get("channels", []):
        base = {int(fee["amount_vnd"]) for fee in ch.get("fees", []) if fee.get("amount_vnd")}
        amounts |= base
        text = ch.get("fee_text") or ""
        for m in re.finditer(r"(\d{1,3}(?:\.\d{3})+) ?(?:đồng|đ)", text):
            amounts.add(int(m.group(1).replace(".", "")))
        for m in re.finditer(r"đến hết ngày (\d{1,2})/(\d{1,2})/(\d{4}),? mức thu lệ phí[^.]*?bằng 50%", text):
            until = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if until >= EVAL_TODAY:
                amounts |= {a // 2 for a in base}
    return amounts


def days_of(rec: dict) -> set[int]:
    out = set()
    for ch in rec.get("channels", []):
        value = ch.get("time_value")
        if value is not None and float(value).is_integer():
            out.add(int(value))
        m = re.match(r"\s*(\d+)", ch.get("time_text") or "")
        if m:
            out.add(int(m.group(1)))
    return out


def load_faqs() -> dict[str, dict]:
    data = yaml.safe_load((ROOT / "data" / "faq" / "faq.yml").read_text(encoding="utf-8"))
    return {f["id"]: f for f in data["faqs"]}


def as_date(value) -> dt.date | None:
    if value is None:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def old_ward_table() -> list[tuple[str, str, str]]:
    """(folded old ward, folded old district, new ward short name) from data/geo/old_to_new.csv."""
    prefix = re.compile(r"^(phuong|xa|thi tran|quan|huyen|thi xa) ", re.I)
    rows = []
    with (ROOT / "data" / "geo" / "old_to_new.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            new = re.sub(r"^(Phường|Xã) ", "", r["new_name"])
            rows.append((prefix.sub("", fold(r["old_name"])), prefix.sub("", fold(r["old_district"])), new))
    return rows


def wards_with_agents() -> set[str]:
    """Short names of the new wards that have a service point in data/agents/default_agents.csv."""
    with (ROOT / "data" / "geo" / "wards.csv").open(encoding="utf-8") as fh:
        names = {r["code"]: r["name"] for r in csv.DictReader(fh)}
    with (ROOT / "data" / "agents" / "default_agents.csv").open(encoding="utf-8") as fh:
        return {names[r["ward_code"]] for r in csv.DictReader(fh) if r["ward_code"] in names}


def expected_wards(message: str, table) -> set[str]:
    text = " " + fold(message) + " "
    found: dict[tuple[str, str], set[str]] = {}
    for old, district, new in table:
        if f" {old} " in text and f" {district} " in text and old != district:
            found.setdefault((old, district), set()).add(new)
    if not found:
        return set()
    # the longest old ward name named (e.g. "my dinh 2" over "my dinh")
    key = max(found, key=lambda k: len(k[0]))
    return found[key]


def check_heldout(cat, faqs, hanoi_text: str, table) -> list[str]:
    data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    convs = data["conversations"]
    served = wards_with_agents()
    faq_text = "\n".join(f["answer"] + "\n" + (f.get("expired_answer") or "") for f in faqs.values())
    ids = [c["id"] for c in convs]
    if len(convs) != 110 or ids != [f"o{i:03d}" for i in range(1, 111)]:
        err(f"ids must be o001-o110 (got {len(convs)})")
    messages = []
    for conv in convs:
        cid = conv["id"]
        tags = as_list(conv.get("tags"))
        if not tags or not set(tags) <= TAGS:
            err(f"{cid}: bad tags {set(tags) - TAGS}")
        if not 2 <= len(conv["turns"]) <= 6:
            err(f"{cid}: {len(conv['turns'])} turns")
        topic: list[str] = []
        for i, turn in enumerate(conv["turns"], 1):
            where = f"{cid} turn {i}"
            if ("say" in turn) == ("button" in turn):
                err(f"{where}: say xor button")
            if not any(k in turn for k in EXPECTATIONS):
                err(f"{where}: no expectation")
            for intent in as_list(turn.get("intent")):
                if intent not in INTENTS:
                    err(f"{where}: unknown intent {intent}")
            if "say" in turn:
                messages.append((where, str(turn["say"])))
            codes = as_list(turn.get("code"))
            for code in codes:
                if code not in cat:
                    err(f"{where}: unknown code {code}")
            if codes:
                topic = codes
            recs = [cat[c] for c in topic if c in cat]
            evidence = "\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n" + faq_text + "\n" + hanoi_text
            if turn.get("faq"):
                entry = faqs.get(str(turn["faq"]))
                if entry is None:
                    err(f"{where}: unknown faq {turn['faq']}")
                else:
                    start, until = as_date(entry.get("valid_from")), as_date(entry.get("valid_until"))
                    if start and start > EVAL_TODAY:
                        err(f"{where}: faq {entry['id']} not yet valid on {EVAL_TODAY}")
                    if until and until < EVAL_TODAY:
                        end = f"{until.day:02d}/{until.month:02d}/{until.year}"
                        if not any(end in m for m in as_list(turn.get("must"))):
                            err(f"{where}: faq {entry['id']} ended {end}: the turn must expect the end date")
                        if not entry.get("expired_answer"):
                            err(f"{where}: faq {entry['id']} ended but has no expired answer")
            fees = set().union(*(fees_of(r) for r in recs)) if recs else set()
            days = set().union(*(days_of(r) for r in recs)) if recs else set()
            wards = expected_wards(str(turn.get("say", "")), table) if "find_agent" in as_list(turn.get("intent")) else set()
            for must in as_list(turn.get("must")):
                alts = [a.strip() for a in must.split("|")]
                if wards and set(alts) & {w for _, _, w in table}:
                    if set(alts) != wards:
                        err(f"{where}: wards {alts} but data/geo says {sorted(wards)}")
                    if not set(alts) <= served:
                        err(f"{where}: no service point in {sorted(set(alts) - served)} (data/agents)")
                    continue
                supported = False
                for alt in alts:
                    alt = re.sub(r"\s+%", "%", alt)
                    if AMOUNT.match(alt):
                        if int(alt.replace(".", "")) not in fees:
                            err(f"{where}: amount {alt} is not a fee of {topic} ({sorted(fees)})")
                        supported = True
                    elif DAYS.match(alt):
                        if int(DAYS.match(alt).group(1)) not in days:
                            err(f"{where}: {alt} is not a time of {topic} ({sorted(days)})")
                        supported = True
                    elif alt.lower() in evidence.lower():
                        supported = True
                    elif DATE.search(alt) or re.search(r"\d", alt):
                        err(f"{where}: '{alt}' not found in the records, FAQ or Hanoi layer")
                if not supported:
                    err(f"{where}: no alternative of '{must}' is found in the data")
    counts = Counter(t for c in convs for t in as_list(c.get("tags")))
    for tag, n in MIN_TAGS.items():
        if counts[tag] < n:
            err(f"tag {tag}: {counts[tag]} < {n}")
    online = sum(bool({"vneid", "payment", "submission"} & set(c["tags"])) for c in convs)
    if online < 8:
        err(f"online topics: {online} < 8")
    three = sum(len(c["turns"]) >= 3 for c in convs)
    if three < MIN_THREE_TURNS:
        err(f"3+ turn conversations: {three} < {MIN_THREE_TURNS}")
    print(f"held-out: {len(convs)} conversations, {sum(len(c['turns']) for c in convs)} turns, "
          f"{three} with 3+ turns, online topics {online}")
    print("  tags: " + ", ".join(f"{t} {n}" for t, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))))
    return messages


def check_fresh() -> list[tuple[str, str]]:
    data = yaml.safe_load(FRESH.read_text(encoding="utf-8"))
    per_intent: Counter = Counter()
    messages = []
    for block in data["nlu"]:
        intent = block["intent"]
        if intent not in FRESH_INTENTS:
            err(f"nlu_fresh11: intent {intent} not allowed")
        for line in block["examples"].splitlines():
            line = line.strip()
            if not line:
                continue
            if not line.startswith("- "):
                err(f"nlu_fresh11: bad line {line!r}")
                continue
            per_intent[intent] += 1
            messages.append((f"nlu_fresh11 {intent}", line[2:].strip()))
    total = sum(per_intent.values())
    if total != 240:
        err(f"nlu_fresh11: {total} messages, not 240")
    print(f"nlu_fresh11: {total} messages: " + ", ".join(f"{k} {v}" for k, v in per_intent.most_common()))
    return messages


def main() -> int:
    cat = load_catalogue()
    faqs = load_faqs()
    hanoi_text = (ROOT / "data" / "hanoi" / "hanoi.yml").read_text(encoding="utf-8")
    conv_messages = check_heldout(cat, faqs, hanoi_text, old_ward_table())
    fresh_messages = check_fresh()
    faq_keys = {fold(p) for f in faqs.values() for p in [f["question"], *(f.get("paraphrases") or [])]}
    for where, text in conv_messages + fresh_messages:
        if fold(text) in faq_keys:
            err(f"{where}: equals a FAQ question or paraphrase: {text!r}")
    conv_keys = {fold(t) for _, t in conv_messages}
    seen: set[str] = set()
    for where, text in fresh_messages:
        key = fold(text)
        if key in seen:
            err(f"{where}: duplicate message {text!r}")
        if key in conv_keys:
            err(f"{where}: repeats a held-out turn {text!r}")
        seen.add(key)
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
