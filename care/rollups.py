"""Daily counters behind the dashboard, so that it reads hundreds of rows instead of 500,000.

Tickets per (day, category, channel) and ratings per (day, channel, topic) never change once
counted (a ticket's day, category and channel are fixed at filing; ratings are append-only), so
the counters are exact. They are bumped in the same transaction as the row they count, and
:func:`rebuild` recomputes them from the tables (after a bulk load or a restore).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from care.models import DailyRatings, DailyTickets, Rating, Ticket


def _day(when: dt.datetime) -> str:
    if when.tzinfo:
        when = when.astimezone(dt.UTC)
    return when.date().isoformat()


def _bump(session: Session, model, keys: dict, values: dict) -> None:
    cond = [getattr(model, k) == v for k, v in keys.items()]
    inc = {k: getattr(model, k) + v for k, v in values.items()}
    for _ in range(3):
        if session.execute(update(model).where(*cond).values(**inc)).rowcount:
            return
        try:
            with session.begin_nested():
                session.execute(insert(model).values(**keys, **values))
            return
        except IntegrityError:  # another transaction inserted the same day first: update it
            continue
    raise RuntimeError("could not update the daily counter")


def count_ticket(session: Session, ticket: Ticket) -> None:
    _bump(session, DailyTickets, {"day": _day(ticket.created_at), "category": ticket.category,
                                  "channel": ticket.channel}, {"n": 1})


def count_rating(session: Session, rating: Rating) -> None:
    _bump(session, DailyRatings, {"day": _day(rating.created_at), "channel": rating.channel,
                                  "topic": rating.topic or ""}, {"n": 1, "good": int(rating.score >= 4)})


def rebuild(session: Session) -> None:
    """Recompute both counter tables from the tickets and ratings."""
    sqlite = session.get_bind().dialect.name == "sqlite"

    def day(col):
        return func.substr(col, 1, 10) if sqlite else func.to_char(func.timezone("UTC", col), "YYYY-MM-DD")

    session.execute(delete(DailyTickets))
    session.execute(delete(DailyRatings))
    t_day = day(Ticket.created_at)
    session.execute(insert(DailyTickets).from_select(
        ["day", "category", "channel", "n"],
        select(t_day, Ticket.category, Ticket.channel, func.count()).group_by(t_day, Ticket.category,
                                                                              Ticket.channel)))
    r_day = day(Rating.created_at)
    topic = func.coalesce(Rating.topic, "")
    session.execute(insert(DailyRatings).from_select(
        ["day", "channel", "topic", "n", "good"],
        select(r_day, Rating.channel, topic, func.count(), func.sum(case((Rating.score >= 4, 1), else_=0)))
        .group_by(r_day, Rating.channel, topic)))
