"""Synthetic tickets and ratings for benchmarks and demos (``dvcbot care seed``)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert

from care.db import current_url, ensure_tables
from care.models import Rating, Ticket
from care.tickets import CATEGORIES, make_code, sla_hours
from dvcbot.db import get_engine

CHANNELS = ["web", "zalo", "voice", "api"]
TOPICS = ["ask_procedure", "ask_vneid", "ask_online_payment", "find_agent", "staff_attitude", "overdue", None]
WARDS = [("00001", "Phường Ba Đình"), ("00199", "Phường Láng"), ("00004", "Phường Ngọc Hà"),
         ("00097", "Phường Hoàn Kiếm"), ("00226", "Phường Cầu Giấy"), (None, None)]
WORDS = ("cán bộ thái độ hồ sơ chậm trả kết quả thu thêm phí hướng dẫn sai cổng dịch vụ công lỗi không đăng nhập "
         "được đăng ký tạm trú khai sinh căn cước chờ lâu một cửa phường xã").split()


def seed(db_url: str | None = None, tickets: int = 100_000, ratings: int = 500_000, days: int = 90,
         seed_value: int = 1, batch: int = 5_000) -> None:
    """Insert ``tickets`` tickets and ``ratings`` ratings spread over the last ``days`` days."""
    url = current_url(db_url)
    ensure_tables(url)
    engine = get_engine(url)
    rnd = random.Random(seed_value)
    now = dt.datetime.now(dt.UTC)
    categories = list(CATEGORIES)
    statuses = ["new", "in_progress", "waiting_citizen", "resolved", "closed"]
    with engine.begin() as conn:
        start_id = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM care_tickets").scalar() or 0
    for base in range(0, tickets, batch):
        rows = []
        for i in range(base, min(tickets, base + batch)):
            tid = start_id + i + 1
            created = now - dt.timedelta(seconds=rnd.uniform(0, days * 86400))
            category = rnd.choice(categories)
            status = rnd.choices(statuses, weights=[2, 2, 1, 3, 6])[0]
            resolved = created + dt.timedelta(hours=rnd.uniform(1, 120)) if status in ("resolved", "closed") else None
            ward = rnd.choice(WARDS)
            rows.append({
                "id": tid, "code": make_code(created.year, tid), "idem_key": f"seed:{seed_value}:{tid}",
                "category": category, "status": status,
                "description": " ".join(rnd.choices(WORDS, k=rnd.randint(8, 30))), "where_text": ward[1],
                "ward_code": ward[0], "ward_name": ward[1], "procedure_code": None, "dossier_code": None,
                "phone": f"09{rnd.randint(10_000_000, 99_999_999)}", "consent": True, "urgent": False,
                "channel": rnd.choice(CHANNELS), "session_id": f"seed-{tid}", "assignee_id": None,
                "public_reply": None, "created_at": created, "updated_at": resolved or created,
                "due_at": created + dt.timedelta(hours=sla_hours(category)), "resolved_at": resolved,
                "closed_at": resolved if status == "closed" else None})
        with engine.begin() as conn:
            conn.execute(insert(Ticket.__table__), rows)
    if engine.dialect.name == "postgresql" and tickets:
        with engine.begin() as conn:
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('care_tickets', 'id'), "
                                 "(SELECT MAX(id) FROM care_tickets))")
    for base in range(0, ratings, batch * 4):
        rows = []
        for _ in range(base, min(ratings, base + batch * 4)):
            rows.append({"score": rnd.choices([5, 4, 3, 2, 1], weights=[70, 20, 5, 3, 2])[0], "comment": None,
                         "channel": rnd.choice(CHANNELS), "session_id": "seed", "topic": rnd.choice(TOPICS),
                         "ticket_id": None, "idem_key": None,
                         "created_at": now - dt.timedelta(seconds=rnd.uniform(0, days * 86400))})
        with engine.begin() as conn:
            conn.execute(insert(Rating.__table__), rows)
    from care.rollups import rebuild
    from dvcbot.db import session_scope

    with session_scope(url) as session:
        rebuild(session)
    with engine.begin() as conn:  # fresh planner statistics after a bulk load (both dialects)
        conn.exec_driver_sql("ANALYZE")
