"""Knowledge gaps: what citizens asked that the bot could not answer, grouped by meaning.

Sources (last ``days`` days): turns the NLU did not understand (``nlu_fallback``) or understood
with low confidence, and the question before a low rating (1–2). The texts are embedded with the
project's e5 encoder and grouped greedily (cosine ≥ ``threshold`` to a group's centre), so staff see
the biggest gaps with examples instead of thousands of lines. A supervisor turns a gap into an FAQ
draft; once another supervisor approves it, :mod:`care.faq_live` answers with it (no redeploy).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from care.models import FaqDraft, Rating, utcnow

LOW_CONFIDENCE = 0.5
THRESHOLD = 0.9
MAX_TEXTS = 3000


@dataclass
class Gap:
    size: int
    question: str  # the example closest to the group's centre
    examples: list[str] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)


def candidates(session: Session, days: int = 30, now: dt.datetime | None = None) -> list[tuple[str, str]]:
    """(text, source) of the unanswered questions; source is fallback | low_confidence | low_rating."""
    from gateway.models import ChatTurn

    since = (now or utcnow()) - dt.timedelta(days=days)
    out: list[tuple[str, str]] = []
    rows = session.execute(select(ChatTurn.text, ChatTurn.intent, ChatTurn.confidence).where(
        ChatTurn.created_at >= since, ChatTurn.status == "done",
        or_(ChatTurn.intent == "nlu_fallback", ChatTurn.confidence < LOW_CONFIDENCE))
        .order_by(ChatTurn.id.desc()).limit(MAX_TEXTS))
    for text, intent, _conf in rows:
        if text and not text.startswith("/"):
            out.append((text.strip(), "fallback" if intent == "nlu_fallback" else "low_confidence"))
    low = session.execute(select(Rating.channel, Rating.session_id, Rating.created_at).where(
        Rating.created_at >= since, Rating.score <= 2).limit(500))
    for channel, session_id, at in low:
        before = session.scalar(select(ChatTurn.text).where(
            ChatTurn.channel == channel, ChatTurn.session_id == session_id, ChatTurn.created_at <= at,
            or_(ChatTurn.intent.is_(None), ChatTurn.intent != "rate_service")).order_by(ChatTurn.id.desc()).limit(1))
        if before and not before.startswith("/"):
            out.append((before.strip(), "low_rating"))
    return out


def group(texts: list[tuple[str, str]], encoder=None, threshold: float = THRESHOLD, top: int = 20) -> list[Gap]:
    """The ``top`` biggest groups of similar questions."""
    if not texts:
        return []
    if encoder is None:
        from knowledge_base.encoder import get_encoder

        encoder = get_encoder()
    vectors = np.asarray(encoder.encode_queries([t for t, _ in texts]), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    centres: list[np.ndarray] = []
    members: list[list[int]] = []
    for i, v in enumerate(vectors):
        if centres:
            sims = np.stack(centres) @ v
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                members[best].append(i)
                c = vectors[members[best]].mean(axis=0)
                centres[best] = c / (np.linalg.norm(c) + 1e-9)
                continue
        centres.append(v.copy())
        members.append([i])
    order = sorted(range(len(members)), key=lambda k: -len(members[k]))[:top]
    gaps = []
    for k in order:
        idx = members[k]
        central = idx[int(np.argmax(vectors[idx] @ centres[k]))]
        examples = list(dict.fromkeys(texts[i][0] for i in idx))[:5]
        sources: dict[str, int] = {}
        for i in idx:
            sources[texts[i][1]] = sources.get(texts[i][1], 0) + 1
        gaps.append(Gap(size=len(idx), question=texts[central][0], examples=examples, sources=sources))
    return gaps


def create_draft(session: Session, staff_id: int, question: str, answer: str, source: str,
                 valid_from: dt.date, valid_until: dt.date | None, examples: list[str]) -> FaqDraft:
    question, answer, source = question.strip(), answer.strip(), source.strip()
    if not (question and answer and source):
        raise ValueError("câu hỏi, câu trả lời và nguồn đều bắt buộc")
    if len(question) > 500 or len(answer) > 2000 or len(source) > 500:
        raise ValueError("câu hỏi tối đa 500, câu trả lời 2000, nguồn 500 ký tự")
    if valid_until is not None and valid_until < valid_from:
        raise ValueError("ngày hết hiệu lực phải sau ngày bắt đầu")
    draft = FaqDraft(question=question, answer=answer, source=source, valid_from=valid_from,
                     valid_until=valid_until, status="draft", created_by=staff_id,
                     examples=json.dumps(examples[:10], ensure_ascii=False))
    session.add(draft)
    session.flush()
    return draft


class ApprovalError(ValueError):
    pass


def approve(session: Session, draft_id: int, staff_id: int) -> FaqDraft:
    """Four eyes: the author cannot approve their own draft."""
    draft = session.get(FaqDraft, draft_id)
    if draft is None or draft.status != "draft":
        raise ApprovalError("bản nháp không tồn tại hoặc đã được duyệt")
    if draft.created_by == staff_id:
        raise ApprovalError("người viết không tự duyệt bản nháp của mình")
    draft.status, draft.approved_by, draft.approved_at = "approved", staff_id, utcnow()
    return draft
