"""Conversation-level evaluation: whole conversations through the real gateway.

The sets live in ``data/eval/conversations_{dev,heldout}.yml``. Each conversation has an ``id``,
``tags`` (topic and style) and 2-6 ``turns``. A turn is either ``say: <text>`` or
``button: <title substring or 1-based index>`` (the citizen presses a button of the previous
reply: its payload is sent), optionally ``location: {lat, lon}``, and its expectations:

- ``intent``: the NLU intent the gateway reports (a string or a list of accepted ones);
- ``code``: a procedure code that must appear in the reply (a list: any of them);
- ``faq``: a FAQ id whose answer (as valid on the evaluation date) must be the reply;
- ``must``: strings that must all appear (case-insensitive; ``"a|b"`` accepts either);
- ``must_not``: strings that must not appear (e.g. an ended policy presented as current);
- ``buttons``: true/false, whether the reply must offer buttons.

Every turn is also checked for duplicate button titles and for crawl glitches (:data:`GARBLED`).
A turn passes when every check passes; a conversation when all its turns pass. The sets are
never used for training, tuning or aliases. Tags come from :data:`TAGS`; the dev part may be looked
at, the held-out part is scored only for the final figure.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from dvcbot.settings import get_settings

#: the date the sets were written against (fees and policies are checked as valid on this day)
EVAL_TODAY = dt.date(2026, 11, 30)
#: text that must never reach a citizen: crawl glitches and the importer's own hedges
GARBLED = ("hồ sơ gốc không ghi đơn vị", "gồm )", "( )", "nan đồng")
SPLITS = ("dev", "heldout")
#: topic tags of a conversation (what it is about)
TOPIC_TAGS: tuple[str, ...] = ("procedure", "vneid", "payment", "submission", "contact", "agent", "complaint",
                               "smalltalk")
#: style tags (how the citizen writes, what the conversation tests); per-tag success is reported for each
STYLE_TAGS: tuple[str, ...] = ("follow-up", "long", "elderly", "no-diacritics", "teencode", "typo", "date-sensitive",
                               "button", "topic-switch", "clarify", "vocabulary", "hanoi", "place", "misroute",
                               "situation", "request-human", "goodbye")
#: every tag a conversation of the sets may carry
TAGS: frozenset[str] = frozenset(TOPIC_TAGS + STYLE_TAGS)
#: the expectations a turn may carry (a turn needs at least one)
EXPECTATIONS: tuple[str, ...] = ("intent", "code", "faq", "must", "must_not", "buttons")


@dataclass
class TurnResult:
    text: str
    ok: bool
    failures: list[str]
    reply: str
    intent: str | None


@dataclass
class ConversationResult:
    id: str
    tags: list[str]
    turns: list[TurnResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.turns)


def set_path(split: str) -> Path:
    return get_settings().data_dir / "eval" / f"conversations_{split}.yml"


def load_set(split: str, path: Path | None = None) -> list[dict[str, Any]]:
    data = yaml.safe_load((path or set_path(split)).read_text(encoding="utf-8")) or {}
    return list(data.get("conversations", []))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _contains(haystack: str, needle: str) -> bool:
    hay = haystack.lower()
    return any(alt.strip().lower() in hay for alt in needle.split("|"))


def faq_expected_text(faq_id: str, today: dt.date = EVAL_TODAY) -> str | None:
    """The first sentence of the FAQ's answer as given on ``today`` (what the reply must contain)."""
    from knowledge_base.faq import faq_answer, get_faq

    entry = get_faq(faq_id)
    if entry is None:
        return None
    answer = faq_answer(entry, today, with_url=False)
    first = re.split(r"(?<=[.!?])\s", answer.strip(), maxsplit=1)[0]
    return first[:80]


def check_turn(turn: dict[str, Any], body: dict[str, Any]) -> list[str]:
    """Every expectation of ``turn`` the reply ``body`` misses (empty: the turn passes)."""
    messages = body.get("messages") or []
    reply = "\n".join(m.get("text") or "" for m in messages)
    buttons = [b for m in messages for b in (m.get("buttons") or [])]
    failures: list[str] = []
    if body.get("degraded"):
        failures.append("degraded reply")
    intents = _as_list(turn.get("intent"))
    if intents and body.get("intent") not in intents:
        failures.append(f"intent {body.get('intent')} not in {intents}")
    codes = _as_list(turn.get("code"))
    if codes and not any(c in reply for c in codes):
        failures.append(f"none of codes {codes}")
    if turn.get("faq"):
        expected = faq_expected_text(str(turn["faq"]))
        if expected is None:
            failures.append(f"unknown faq {turn['faq']}")
        elif expected.lower() not in reply.lower():
            failures.append(f"not faq {turn['faq']}")
    for needle in _as_list(turn.get("must")):
        if not _contains(reply, needle):
            failures.append(f"missing '{needle}'")
    for needle in _as_list(turn.get("must_not")):
        if _contains(reply, needle):
            failures.append(f"has '{needle}'")
    if "buttons" in turn and bool(buttons) != bool(turn["buttons"]):
        failures.append("buttons expected" if turn["buttons"] else "unexpected buttons")
    titles = [b.get("title", "").strip().lower() for b in buttons]
    if len(titles) != len(set(titles)):
        failures.append("duplicate button titles")
    for glitch in GARBLED:
        if glitch in reply.lower():
            failures.append(f"garbled text '{glitch}'")
    return failures


def _pick_button(spec: Any, last: dict[str, Any] | None) -> str | None:
    buttons = [b for m in (last or {}).get("messages") or [] for b in (m.get("buttons") or [])]
    if not buttons:
        return None
    if isinstance(spec, int):
        return buttons[spec - 1]["payload"] if 0 < spec <= len(buttons) else None
    for b in buttons:
        if str(spec).lower() in b.get("title", "").lower():
            return b["payload"]
    return None


def run_conversation(client: httpx.Client, conv: dict[str, Any], channel: str = "web") -> ConversationResult:
    session = f"eval-{conv['id']}-{uuid.uuid4().hex[:6]}"
    result = ConversationResult(str(conv["id"]), _as_list(conv.get("tags")))
    last: dict[str, Any] | None = None
    for turn in conv.get("turns", []):
        if "button" in turn:
            text = _pick_button(turn["button"], last)
            if text is None:
                result.turns.append(TurnResult(f"[button {turn['button']}]", False, ["button not offered"], "", None))
                last = None
                continue
        else:
            text = str(turn["say"])
        payload: dict[str, Any] = {"session_id": session, "text": text, "channel": conv.get("channel", channel)}
        if turn.get("location"):
            payload["metadata"] = {"location": turn["location"]}
        resp = client.post("/api/v1/chat", json=payload)
        if resp.status_code != 200:
            result.turns.append(TurnResult(text, False, [f"HTTP {resp.status_code}"], resp.text[:200], None))
            last = None
            continue
        body = resp.json()
        failures = check_turn(turn, body)
        reply = "\n".join(m.get("text") or "" for m in body.get("messages") or [])
        result.turns.append(TurnResult(text, not failures, failures, reply, body.get("intent")))
        last = body
    return result


def select(convs: Iterable[dict[str, Any]], tags: list[str] | None, ids: list[str] | None = None
           ) -> list[dict[str, Any]]:
    """The conversations carrying one of ``tags`` (all when None), narrowed to ``ids`` when given."""
    chosen = list(convs)
    if tags:
        wanted = set(tags)
        chosen = [c for c in chosen if wanted & set(_as_list(c.get("tags")))]
    if ids:
        chosen = [c for c in chosen if str(c["id"]) in set(ids)]
    return chosen


def summarize(results: list[ConversationResult]) -> dict[str, dict[str, int]]:
    """Per tag (and ``all``): conversations passed/total and turns passed/total."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: {"conv_ok": 0, "conv": 0, "turn_ok": 0, "turn": 0})
    for r in results:
        for tag in ["all", *r.tags]:
            row = table[tag]
            row["conv"] += 1
            row["conv_ok"] += int(r.ok)
            row["turn"] += len(r.turns)
            row["turn_ok"] += sum(t.ok for t in r.turns)
    return dict(table)


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f} %" if b else "-"


def report_table(table: dict[str, dict[str, int]]) -> str:
    lines = ["| tag | conversations | passed | turns | passed |", "|---|---|---|---|---|"]
    order = ["all", *sorted(k for k in table if k != "all")]
    for tag in order:
        r = table[tag]
        lines.append(f"| {tag} | {r['conv_ok']}/{r['conv']} | {_pct(r['conv_ok'], r['conv'])} "
                     f"| {r['turn_ok']}/{r['turn']} | {_pct(r['turn_ok'], r['turn'])} |")
    return "\n".join(lines)


def misses(results: list[ConversationResult], limit: int = 400, replies: bool = False) -> list[str]:
    """One line per missed turn; with ``replies`` the bot's reply follows it (for reading the dev part)."""
    out = []
    for r in results:
        for i, t in enumerate(r.turns, 1):
            if not t.ok:
                line = f"{r.id} turn {i} ({t.intent}): {t.text[:70]!r} -> {'; '.join(t.failures)}"
                if replies:
                    line += "\n    reply: " + t.reply.replace("\n", " / ")[:400]
                out.append(line)
    return out[:limit]


def warm_up(client: httpx.Client, progress=print, attempts: int = 60) -> None:
    """Wait until the stack answers a procedure and an FAQ question without the degraded apology:
    the action server loads the catalogue, index and encoder in the background after /health is up,
    and a conversation must not be scored against a cold start."""
    import time

    for question in ("đăng ký tạm trú cần giấy tờ gì", "quên mật khẩu vneid thì làm sao"):
        for _ in range(attempts):
            resp = client.post("/api/v1/chat", json={"session_id": f"warmup-{uuid.uuid4().hex[:6]}",
                                                     "text": question, "channel": "api"})
            if resp.status_code == 200 and not resp.json().get("degraded"):
                break
            progress("  waiting for the stack to warm up ...")
            time.sleep(10)


def run_set(url: str, convs: list[dict[str, Any]], progress=print) -> list[ConversationResult]:
    results = []
    with httpx.Client(base_url=url, timeout=120) as client:
        warm_up(client, progress)
        for i, conv in enumerate(convs, 1):
            results.append(run_conversation(client, conv))
            if i % 10 == 0:
                progress(f"  {i}/{len(convs)} conversations")
    return results


def _start_stack(tmp: Path):
    """The four real processes on free ports, evaluated on :data:`EVAL_TODAY`."""
    from dvcbot.procs import free_port
    from dvcbot.settings import Settings
    from dvcbot.stack import START_TIMEOUTS, build_services, start_all, with_tokens

    settings = with_tokens(Settings(var_dir=tmp, host="127.0.0.1", nlu_port=free_port(), actions_port=free_port(),
                                    rasa_port=free_port(), gateway_port=free_port(),
                                    database_url=f"sqlite:///{tmp / 'dvcbot.db'}"))
    # every conversation comes from this one client: the per-client limit would refuse a whole set.
    # No care staff on duty: a handoff request is then logged and the bot goes on answering, so the
    # figure does not depend on the hour the set is run (tests/care covers the hold in working hours).
    services = build_services(settings, tmp / "logs", extra_env={"DVCBOT_TODAY": EVAL_TODAY.isoformat(),
                                                                 "DVCBOT_RATE_LIMIT_CLIENT": "100000/minute",
                                                                 "DVCBOT_WORKING_DAYS": ""})
    for name in START_TIMEOUTS:
        START_TIMEOUTS[name] = max(START_TIMEOUTS[name], 400.0)
    start_all(services, progress=lambda m: print(m, flush=True))
    return settings.gateway_url, services


def evaluate(splits: tuple[str, ...], tags: list[str] | None, url: str = "", progress=print,
             ids: list[str] | None = None, replies: bool = False) -> list[tuple[str, int, str, list[str]]]:
    """Run the sets through ``url`` (or a stack started here and stopped after); per split
    ``(split, conversations, per-tag table, missed turns)``."""
    import tempfile

    from dvcbot.stack import stop_all

    services = []
    tmp = None
    if not url:
        tmp = tempfile.TemporaryDirectory(prefix="dvcbot-conv-eval-")
        url, services = _start_stack(Path(tmp.name))
    out = []
    try:
        for split in splits:
            convs = select(load_set(split), tags, ids)
            progress(f"== {split}: {len(convs)} conversations")
            results = run_set(url, convs, progress)
            out.append((split, len(convs), report_table(summarize(results)), misses(results, replies=replies)))
    finally:
        if services:
            stop_all(services)
        if tmp is not None:
            tmp.cleanup()
    return out


def report_body(sections: list[tuple[str, int, str, list[str]]]) -> str:
    """The EVALUATION.md section: method, per-split tables, the dev misses."""
    body = [
        "Whole conversations sent through the real gateway (NLU, Rasa, actions, knowledge base), "
        f"policies judged as of {EVAL_TODAY.isoformat()} (`DVCBOT_TODAY`). A turn passes when the "
        "intent, the procedure code / FAQ answer, the required and forbidden words, the buttons, "
        "no duplicate button titles and no garbled crawl text all check; a conversation passes "
        "when all its turns do. Run: `dvcbot eval conversations [--split dev|heldout|all] [--tags ...]`.",
    ]
    for split, n, table, missed in sections:
        body.append(f"\n### {split} ({n} conversations, `data/eval/conversations_{split}.yml`)\n\n{table}")
        if missed:
            body.append(f"\nMissed turns ({split}):\n\n" + "\n".join(f"- {m}" for m in missed[:60]))
    return "\n".join(body)
