"""Satisfaction ratings (1–5, optional comment) and the satisfaction rate against the 95 % target."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from care.models import Rating

TARGET = 0.95
QUESTION = "Anh chị đánh giá mức độ hài lòng với hỗ trợ vừa rồi thế nào ạ? Chọn từ 1 đến 5 sao."
LABELS = {5: "Rất hài lòng", 4: "Hài lòng", 3: "Bình thường", 2: "Chưa hài lòng", 1: "Rất không hài lòng"}
THANKS = {
    True: "Cảm ơn anh chị đã đánh giá. Trung tâm luôn sẵn sàng hỗ trợ anh chị.",
    False: "Cảm ơn anh chị đã góp ý. Trung tâm ghi nhận và sẽ cải thiện.",
}

_WORDS = [  # most specific first; text is lower-cased and may lack diacritics
    (r"rat khong hai long|rất không hài lòng|qua te|quá tệ|rat te|rất tệ", 1),
    (r"khong hai long|không hài lòng|chua hai long|chưa hài lòng|\bte\b|\btệ\b|kem|kém", 2),
    (r"binh thuong|bình thường|tam duoc|tạm được", 3),
    (r"rat hai long|rất hài lòng|tuyet voi|tuyệt vời|xuat sac|xuất sắc", 5),
    (r"hai long|hài lòng|tot|tốt", 4),
]


COMMENT_QUESTION = "Anh chị có thể cho biết điều gì chưa hài lòng không ạ?"
COMMENT_THANKS = "Cảm ơn anh chị đã cho biết. Trung tâm ghi nhận để cải thiện."
DECLINED_THANKS = "Dạ, cảm ơn anh chị."
#: a comment asked for longer ago than this is no longer waited for (the next message is a new topic)
COMMENT_WAIT = dt.timedelta(minutes=30)
_DECLINE = re.compile(r"(không|khong|ko|k|thôi|thoi|không có|khong co|không ạ|khong a|bỏ qua|bo qua|hết|het)"
                      r"[\s.!ạa]*")


def asks_for_comment(score: int, comment: str | None) -> bool:
    """Ask once for the optional comment: only a low rating (1–2) that came without one."""
    return int(score) <= 2 and not (comment or "").strip()


def comment_of(text: str) -> str | None:
    """The comment in the citizen's answer to :data:`COMMENT_QUESTION`; None when they decline."""
    t = (text or "").strip()
    if not t or _DECLINE.fullmatch(t.lower()):
        return None
    return t[:2000]


def take_comment(session: Session, channel: str, session_id: str, text: str,
                 now: dt.datetime | None = None) -> str | None:
    """If the bot asked this conversation for a comment on its rating, store ``text`` as that comment
    (once) and return the reply for the citizen; None when no comment is awaited."""
    from care.models import utcnow

    now = now or utcnow()
    r = session.scalar(select(Rating).where(Rating.channel == channel, Rating.session_id == session_id,
                                            Rating.comment_asked.is_(True))
                       .order_by(Rating.id.desc()).limit(1))
    if r is None:
        return None
    r.comment_asked = False
    created = r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=dt.UTC)
    if now - created > COMMENT_WAIT:
        return None
    comment = comment_of(text)
    if comment is None:
        return DECLINED_THANKS
    r.comment = comment
    return COMMENT_THANKS


def buttons() -> list[dict]:
    """Buttons 5…1; the payload sets the entity-free ``rating`` through the message text itself."""
    return [{"title": f"{n} sao - {LABELS[n]}", "payload": f"{n} sao"} for n in (5, 4, 3, 2, 1)]


def parse_score(text: str) -> int | None:
    """1–5 from "5 sao", "5", "năm sao", "hài lòng", "rất không hài lòng"; None otherwise."""
    t = (text or "").strip().lower()
    m = re.search(r"(?<!\d)([1-5])\s*(sao|\*|/\s*5|điểm|diem)?(?!\d)", t)
    if m and (m.group(2) or re.fullmatch(r"[1-5]", t)):
        return int(m.group(1))
    spelled = {"một": 1, "mot": 1, "hai": 2, "ba": 3, "bốn": 4, "bon": 4, "năm": 5, "nam": 5}
    m = re.search(r"\b(một|mot|hai|ba|bốn|bon|năm|nam)\s+sao\b", t)
    if m:
        return spelled[m.group(1)]
    for pattern, score in _WORDS:
        if re.search(pattern, t):
            return score
    return None


def record(session: Session, score: int, channel: str, session_id: str, topic: str | None = None,
           comment: str | None = None, ticket_id: int | None = None, idem_key: str | None = None,
           comment_asked: bool = False) -> Rating:
    """Store one rating; a repeated ``idem_key`` (retried message) returns the stored one.
    ``comment_asked``: the bot asks for a comment now and takes the next message as it."""
    if not 1 <= int(score) <= 5:
        raise ValueError("score must be 1..5")
    if idem_key:
        existing = session.scalar(select(Rating).where(Rating.idem_key == idem_key))
        if existing is not None:
            return existing
    r = Rating(score=int(score), channel=channel, session_id=session_id, topic=(topic or None) and topic[:64],
               comment=(comment or None) and comment[:2000], ticket_id=ticket_id, idem_key=idem_key,
               comment_asked=comment_asked)
    try:
        with session.begin_nested():
            session.add(r)
            session.flush()
            from care.rollups import count_rating

            count_rating(session, r)
    except IntegrityError:
        existing = session.scalar(select(Rating).where(Rating.idem_key == idem_key))
        if existing is None:
            raise
        return existing
    return r


def satisfaction(session: Session, *conditions) -> tuple[float | None, int]:
    """(share of 4–5 ratings, number of ratings) under the given conditions."""
    total, good = session.execute(select(func.count(Rating.id),
                                         func.sum(case((Rating.score >= 4, 1), else_=0)))
                                  .where(*conditions)).one()
    return ((good or 0) / total if total else None), total
