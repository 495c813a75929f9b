"""Figures for the dashboard: tickets per day and category, open/overdue, time to resolve, satisfaction."""

from __future__ import annotations

import datetime as dt
import statistics

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from care.models import Rating, Ticket, utcnow
from care.ratings import TARGET
from care.tickets import CATEGORIES, OPEN_STATUSES


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def dashboard(session: Session, days: int = 30, now: dt.datetime | None = None) -> dict:
    now = now or utcnow()
    since = now - dt.timedelta(days=days)
    day = func.date(Ticket.created_at)
    per_day: dict[str, dict[str, int]] = {}
    for d, category, n in session.execute(select(day, Ticket.category, func.count(Ticket.id))
                                          .where(Ticket.created_at >= since).group_by(day, Ticket.category)):
        per_day.setdefault(str(d), {})[category] = n
    labels = [(since + dt.timedelta(days=i + 1)).date().isoformat() for i in range(days)]
    series = {c: [per_day.get(d, {}).get(c, 0) for d in labels] for c in CATEGORIES}

    open_count, overdue = session.execute(select(
        func.count(Ticket.id), func.sum(case((Ticket.due_at < now, 1), else_=0)))
        .where(Ticket.status.in_(OPEN_STATUSES))).one()
    by_channel = dict(session.execute(select(Ticket.channel, func.count(Ticket.id))
                                      .where(Ticket.created_at >= since).group_by(Ticket.channel)).all())
    by_category = dict(session.execute(select(Ticket.category, func.count(Ticket.id))
                                       .where(Ticket.created_at >= since).group_by(Ticket.category)).all())

    durations = [(_aware(r) - _aware(c)).total_seconds() / 3600 for c, r in session.execute(
        select(Ticket.created_at, Ticket.resolved_at).where(Ticket.resolved_at.is_not(None),
                                                            Ticket.resolved_at >= since).limit(50_000))]
    median_hours = round(statistics.median(durations), 1) if durations else None

    good = func.sum(case((Rating.score >= 4, 1), else_=0))
    total, n_good = session.execute(select(func.count(Rating.id), good).where(Rating.created_at >= since)).one()

    def rate_by(column) -> dict[str, dict]:
        out = {}
        for key, n, g in session.execute(select(column, func.count(Rating.id), good)
                                         .where(Rating.created_at >= since).group_by(column)
                                         .order_by(func.count(Rating.id).desc()).limit(15)):
            out[str(key or "khác")] = {"n": n, "rate": round((g or 0) / n, 3) if n else None}
        return out

    return {
        "days": labels, "per_day": series, "categories": {k: v[0] for k, v in CATEGORIES.items()},
        "open": open_count or 0, "overdue": int(overdue or 0), "by_channel": by_channel, "by_category": by_category,
        "median_hours_to_resolve": median_hours, "resolved": len(durations),
        "ratings": total or 0, "satisfaction": round((n_good or 0) / total, 3) if total else None, "target": TARGET,
        "satisfaction_by_channel": rate_by(Rating.channel), "satisfaction_by_topic": rate_by(Rating.topic),
    }
