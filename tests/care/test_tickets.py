import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from care import handoff, ratings, tickets
from care.models import ConversationMessage, Ticket, TicketEvent
from care.outbox import Outbox, file_complaint
from care.tickets import ComplaintInput, TicketFilter
from dvcbot.db import session_scope


def complaint(key="web:s1:m1", **kw):
    base = dict(idem_key=key, category="staff_attitude", description="Cán bộ phường thái độ không tốt",
                channel="web", session_id="s1", ward_code="00001", ward_name="Phường Ba Đình",
                phone="0912 345 678", consent=True)
    return ComplaintInput(**{**base, **kw})


def test_codes_and_phone_rules():
    assert tickets.make_code(2026, 123) == "PA-26-000123"
    assert tickets.find_code("tra cứu phản ánh pa 26 123 giúp tôi") == "PA-26-000123"
    assert tickets.find_code("PA-26-000123") == "PA-26-000123"
    assert tickets.find_code("không có mã") is None
    assert tickets.normalize_phone("0912.345.678") == "0912345678"
    assert tickets.normalize_phone("+84 912 345 678") == "0912345678"
    assert tickets.normalize_phone("024 3825 1234") == "02438251234"
    assert tickets.normalize_phone("12345") is None
    assert tickets.normalize_phone("0112345678") is None
    assert tickets.mask_phone("0912345678") == "091****678"
    assert tickets.response_time_text("staff_attitude") == "trong 3 ngày làm việc"
    assert tickets.response_time_text("system_error") == "trong 24 giờ"


def test_create_is_idempotent_and_public_status_hides_personal_data(care_db):
    with session_scope(care_db) as s:
        t, created = tickets.create_ticket(s, complaint())
        code = t.code
    assert created and code.startswith("PA-")
    with session_scope(care_db) as s:
        again, created2 = tickets.create_ticket(s, complaint())
        assert not created2 and again.code == code
        assert s.scalar(select(func.count(Ticket.id))) == 1
        status = tickets.public_status(s, code)
    assert status["status"] == "new" and status["public_reply"] is None
    flat = repr(status)
    assert "0912" not in flat and "thái độ" not in flat and "Ba Đình" not in flat


def test_concurrent_retries_make_one_ticket(care_db):
    errors = []

    def worker():
        try:
            with session_scope(care_db) as s:
                tickets.create_ticket(s, complaint("web:s9:retry"))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    with session_scope(care_db) as s:
        assert s.scalar(select(func.count(Ticket.id)).where(Ticket.idem_key == "web:s9:retry")) == 1


def test_workflow_and_timeline(care_db):
    with session_scope(care_db) as s:
        t, _ = tickets.create_ticket(s, complaint())
        with pytest.raises(tickets.WorkflowError):
            tickets.change_status(s, t, "closed", None)
        for to in ("in_progress", "waiting_citizen", "in_progress", "resolved", "closed", "in_progress"):
            tickets.change_status(s, t, to, None)
        assert t.closed_at is None and t.status == "in_progress"
        tickets.add_note(s, t, None, "<script>alert(1)</script>'; DROP TABLE care_tickets; --")
        msg = tickets.add_reply(s, t, None, "Trung tâm đã làm việc với phường.")
        assert msg.session_id == "s1" and "PA-" in msg.text
        tid = t.id
    with session_scope(care_db) as s:
        kinds = [e.kind for e in tickets.timeline(s, tid)]
        assert kinds[0] == "created" and kinds.count("status") == 6 and "note" in kinds and "reply" in kinds
        note = s.scalar(select(TicketEvent).where(TicketEvent.kind == "note"))
        assert note.body.startswith("<script>")  # stored as text, escaped when shown
        assert tickets.public_status(s, s.get(Ticket, tid).code)["public_reply"].startswith("Trung tâm")


def test_list_filters_search_and_overdue(care_db):
    with session_scope(care_db) as s:
        for i in range(30):
            tickets.create_ticket(s, complaint(f"k{i}", category="overdue" if i % 3 else "extra_fees",
                                               channel="zalo" if i % 2 else "web",
                                               description=f"hồ sơ số {i} 100% chậm_trễ"))
        old = complaint("old", created_at=(dt.datetime.now(dt.UTC) - dt.timedelta(days=10)).isoformat())
        tickets.create_ticket(s, old)
    with session_scope(care_db) as s:
        rows, total = tickets.list_tickets(s, TicketFilter(), page=1, per_page=10)
        assert total == 31 and len(rows) == 10
        _, total = tickets.list_tickets(s, TicketFilter(category="extra_fees"))
        assert total == 10
        _, total = tickets.list_tickets(s, TicketFilter(channel="zalo", category="overdue"))
        assert total == 10
        rows, total = tickets.list_tickets(s, TicketFilter(overdue=True))
        assert total == 1 and rows[0].idem_key == "old"
        _, total = tickets.list_tickets(s, TicketFilter(q="số 17 "))
        assert total == 1
        _, total = tickets.list_tickets(s, TicketFilter(q="100%"))
        assert total == 30
        _, total = tickets.list_tickets(s, TicketFilter(q="' OR 1=1 --"))
        assert total == 0
        code = rows[0].code
        found, total = tickets.list_tickets(s, TicketFilter(q=code.lower()))
        assert total == 1 and found[0].code == code


def test_handoff_one_taker_and_silence(care_db):
    with session_scope(care_db) as s:
        h, created = handoff.open_handoff(s, "web", "s5", "request_human", [{"sender": "citizen", "text": "hi"}])
        again, created2 = handoff.open_handoff(s, "web", "s5", "fallback")
        assert created and not created2 and again.id == h.id
        hid = h.id
    assert handoff.active_handoff("web:s5", care_db)
    assert not handoff.active_handoff("web:other", care_db)
    assert handoff.record_citizen_message("web:s5", "tôi vẫn đang chờ", care_db)
    with session_scope(care_db) as s:
        from care.auth import create_staff
        a = create_staff(s, "a1", "Cán bộ A", "mật khẩu dài 12345", "agent")
        b = create_staff(s, "b1", "Cán bộ B", "mật khẩu dài 12345", "agent")
        aid, bid = a.id, b.id
    with session_scope(care_db) as s:
        handoff.take(s, hid, aid)
    with pytest.raises(handoff.HandoffTaken), session_scope(care_db) as s:
        handoff.take(s, hid, bid)
    with session_scope(care_db) as s:
        h = s.get(handoff.Handoff, hid)
        handoff.staff_reply(s, h, aid, "Chào anh chị, tôi là cán bộ A.")
        conv = handoff.conversation(s, h)
        assert [c["sender"] for c in conv] == ["citizen", "citizen", "staff"]
        handoff.close(s, hid, aid)
    assert not handoff.active_handoff("web:s5", care_db)
    with session_scope(care_db) as s:
        senders = [m.sender for m in s.scalars(select(ConversationMessage).order_by(ConversationMessage.id))]
        assert senders == ["citizen", "staff", "system", "system"]  # closed, then the rating question


def test_working_hours():
    from dvcbot.settings import Settings

    s = Settings(working_days="1,2,3,4,5", working_hours="08:00-17:00", care_holidays=[dt.date(2026, 12, 1)])
    monday_9 = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hanoi
    assert handoff.in_working_hours(monday_9, s)
    assert not handoff.in_working_hours(monday_9 + dt.timedelta(hours=9), s)  # 18:00
    assert not handoff.in_working_hours(monday_9 + dt.timedelta(days=1), s)  # holiday
    assert not handoff.in_working_hours(monday_9 + dt.timedelta(days=5), s)  # Saturday
    assert handoff.citizen_notice(monday_9, s) == handoff.IN_HOURS_TEXT


def test_ratings(care_db):
    assert ratings.parse_score("5 sao") == 5
    assert ratings.parse_score("3") == 3
    assert ratings.parse_score("năm sao") == 5
    assert ratings.parse_score("hài lòng") == 4
    assert ratings.parse_score("rất hài lòng") == 5
    assert ratings.parse_score("không hài lòng") == 2
    assert ratings.parse_score("khong hai long lam") == 2
    assert ratings.parse_score("thủ tục 1.004194") is None
    with session_scope(care_db) as s:
        ratings.record(s, 5, "web", "s1", "ask_procedure", idem_key="r1")
        ratings.record(s, 5, "web", "s1", "ask_procedure", idem_key="r1")
        ratings.record(s, 2, "zalo", "s2", "staff_attitude", comment="chậm")
        with pytest.raises(ValueError):
            ratings.record(s, 6, "web", "s1")
    with session_scope(care_db) as s:
        rate, n = ratings.satisfaction(s)
        assert n == 2 and rate == 0.5


def test_outbox_keeps_complaint_until_db_is_back(care_db, tmp_path):
    box = Outbox(tmp_path / "outbox")
    down = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    filed = file_complaint(complaint("web:s7:m1"), db_url=down, outbox=box)
    assert filed.queued and filed.code is None and len(box.pending()) == 1
    again = file_complaint(complaint("web:s7:m1"), db_url=down, outbox=box)  # retried message
    assert again.queued and len(box.pending()) == 1
    # the database is back: the next filing writes the waiting one first, exactly once
    filed2 = file_complaint(complaint("web:s7:m2", description="khác"), db_url=care_db, outbox=box)
    assert filed2.code and not box.pending()
    assert box.flush(care_db) == 0
    with session_scope(care_db) as s:
        keys = sorted(s.scalars(select(Ticket.idem_key)))
    assert keys == ["web:s7:m1", "web:s7:m2"]
    # a crash after the commit and before the file was removed: the replay creates nothing new
    box.put(complaint("web:s7:m1"))
    assert box.flush(care_db) == 0 and not box.pending()
    with session_scope(care_db) as s:
        assert s.scalar(select(func.count(Ticket.id))) == 2


def test_daily_counters_match_a_rebuild(care_db):
    from care import rollups, stats
    from care.models import DailyRatings, DailyTickets

    with session_scope(care_db) as s:
        for i in range(12):
            tickets.create_ticket(s, complaint(f"d{i}", category="overdue" if i % 2 else "other",
                                               channel="zalo" if i % 3 else "web"))
        tickets.create_ticket(s, complaint("d0"))  # a retry counts nothing
        for i, score in enumerate([5, 4, 3, 1, 5]):
            ratings.record(s, score, "web", f"s{i}", "ask_procedure" if i % 2 else None, idem_key=f"r{i}")
        ratings.record(s, 5, "web", "s0", None, idem_key="r0")  # a retry counts nothing
    with session_scope(care_db) as s:
        live_t = sorted((r.day, r.category, r.channel, r.n) for r in s.scalars(select(DailyTickets)))
        live_r = sorted((r.day, r.channel, r.topic, r.n, r.good) for r in s.scalars(select(DailyRatings)))
        d = stats.dashboard(s)
    assert sum(r[3] for r in live_t) == 12 and sum(r[3] for r in live_r) == 5
    assert d["ratings"] == 5 and d["satisfaction"] == 0.6 and sum(d["by_channel"].values()) == 12
    with session_scope(care_db) as s:
        rollups.rebuild(s)
    with session_scope(care_db) as s:
        assert sorted((r.day, r.category, r.channel, r.n) for r in s.scalars(select(DailyTickets))) == live_t
        assert sorted((r.day, r.channel, r.topic, r.n, r.good) for r in s.scalars(select(DailyRatings))) == live_r
