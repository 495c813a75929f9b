"""Figures for the dashboard: tickets per day and category, open/overdue, time to resolve, satisfaction."""

from __future__ import annotations

import datetime as dt
import statistics

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from care.models import DailyRatings, DailyTickets, Ticket, utcnow
from care.ratings import TARGET
from care.tickets import CATEGORIES, OPEN_STATUSES


def _median_hours_to_resolve(session: Session, since: dt.datetime, sqlite: bool) -> tuple[float | None, int]:
    """(median hours from filing to resolution of tickets resolved since ``since``, how many), in SQL."""
    where = (Ticket.resolved_at.is_not(None), Ticket.resolved_at >= since)
    n = session.scalar(select(func.count()).where(*where)) or 0
    if not n:
        return None, 0
    if sqlite:
        hours = (func.julianday(Ticket.resolved_at) - func.julianday(Ticket.created_at)) * 24.0
        ordered = select(hours).where(*where).order_by(hours)
        if n % 2:
            median = session.scalar(ordered.offset(n // 2).limit(1))
        else:
            pair = list(session.scalars(ordered.offset(n // 2 - 1).limit(2)))
            median = statistics.fmean(pair)
    else:
        seconds = func.extract("epoch", Ticket.resolved_at - Ticket.created_at)
        median = session.scalar(select(func.percentile_cont(0.5).within_group(seconds)).where(*where)) / 3600
    return round(float(median), 1), n


def dashboard(session: Session, days: int = 30, now: dt.datetime | None = None) -> dict:
    """Every figure of the dashboard: counts from the daily counters (:mod:`care.rollups`), open and
    overdue from the (status, due date) index, the median time to resolve in SQL."""
    now = now or utcnow()
    since = now - dt.timedelta(days=days)
    sqlite = session.get_bind().dialect.name == "sqlite"
    # SQLite keeps times as ISO text: the first 10 characters are the day, cheaper than date()
    since_day = since.date().isoformat()
    per_day: dict[str, dict[str, int]] = {}
    by_channel: dict[str, int] = {}
    by_category: dict[str, int] = {}
    for d, category, channel, n in session.execute(
            select(DailyTickets.day, DailyTickets.category, DailyTickets.channel, DailyTickets.n)
            .where(DailyTickets.day > since_day)):
        cell = per_day.setdefault(d, {})
        cell[category] = cell.get(category, 0) + n
        by_channel[channel] = by_channel.get(channel, 0) + n
        by_category[category] = by_category.get(category, 0) + n
    labels = [(since + dt.timedelta(days=i + 1)).date().isoformat() for i in range(days)]
    series = {c: [per_day.get(d, {}).get(c, 0) for d in labels] for c in CATEGORIES}

    open_count, overdue = session.execute(
        select(func.count(), func.sum(case((Ticket.due_at < now, 1), else_=0)))
        .where(Ticket.status.in_(OPEN_STATUSES))).one()
    open_count, overdue = int(open_count or 0), int(overdue or 0)

    median_hours, resolved = _median_hours_to_resolve(session, since, sqlite)

    total = n_good = 0
    chan: dict[str, list[int]] = {}
    topic: dict[str, list[int]] = {}
    for channel, tp, n, g in session.execute(
            select(DailyRatings.channel, DailyRatings.topic, DailyRatings.n, DailyRatings.good)
            .where(DailyRatings.day > since_day)):
        total, n_good = total + n, n_good + g
        for bucket, key in ((chan, channel), (topic, tp or "khác")):
            acc = bucket.setdefault(key, [0, 0])
            acc[0] += n
            acc[1] += g

    def rates(bucket: dict[str, list[int]]) -> dict[str, dict]:
        top = sorted(bucket.items(), key=lambda kv: -kv[1][0])[:15]
        return {k: {"n": n, "rate": round(g / n, 3) if n else None} for k, (n, g) in top}

    return {
        "days": labels, "per_day": series, "categories": {k: v[0] for k, v in CATEGORIES.items()},
        "open": open_count, "overdue": overdue, "by_channel": by_channel, "by_category": by_category,
        "median_hours_to_resolve": median_hours, "resolved": resolved,
        "ratings": total, "satisfaction": round(n_good / total, 3) if total else None, "target": TARGET,
        "satisfaction_by_channel": rates(chan), "satisfaction_by_topic": rates(topic),
    }
