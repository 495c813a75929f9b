import re

import pytest
from sqlalchemy import select

from care import tickets
from care.models import AuditEntry, StaffUser
from care.tickets import ComplaintInput
from dvcbot.db import session_scope
from tests.care.helpers import PASSWORD, add_staff, csrf_of, form_post, make_app, signed_in

XSS = "<script>alert('x')</script>' OR 1=1; DROP TABLE care_tickets; --"


@pytest.fixture
def app(care_db, tmp_path):
    app, delivery = make_app(care_db, tmp_path)
    app.state.delivery = delivery
    return app


def file(db_url, key="web:s1:m1", **kw) -> str:
    data = dict(idem_key=key, category="extra_fees", description="Cán bộ đòi thêm 200 nghìn " + XSS,
                channel="web", session_id="s1", ward_code="00004", ward_name="Phường Ba Đình",
                phone="0912345678", consent=True)
    with session_scope(db_url) as s:
        t, _ = tickets.create_ticket(s, ComplaintInput(**{**data, **kw}))
        return t.code


ROUTES = [("get", "/console/tickets"), ("get", "/console/tickets/PA-26-000001"), ("get", "/console/handoffs"),
          ("get", "/console/dashboard"), ("get", "/console/dashboard/data"), ("get", "/console/tickets.csv"),
          ("get", "/console/audit"), ("get", "/console/staff"), ("post", "/console/tickets/PA-26-000001/status"),
          ("post", "/console/tickets/PA-26-000001/reply"), ("post", "/console/handoffs/1/take"),
          ("post", "/console/staff")]


def test_signed_out_gets_401_everywhere(app, care_db):
    from fastapi.testclient import TestClient

    file(care_db)
    client = TestClient(app)
    for method, url in ROUTES:
        r = getattr(client, method)(url)
        assert r.status_code in (401, 403), (url, r.status_code)  # a POST without a session fails CSRF or auth
        if method == "get":
            assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    html = client.get("/console/tickets", headers={"accept": "text/html"})
    assert html.status_code == 401 and "Đăng nhập" in html.text
    client.cookies.set("dvcbot_staff", "forged.value.sig")
    forged = client.get("/console/tickets")
    assert forged.status_code == 401


def test_roles_and_csrf(app, care_db):
    file(care_db)
    add_staff(care_db, "agent1", "agent")
    add_staff(care_db, "sup1", "supervisor")
    agent = signed_in(app, "agent1")
    assert agent.get("/console/audit").status_code == 403
    assert agent.get("/console/staff").status_code == 403
    sup = signed_in(app, "sup1")
    assert sup.get("/console/audit").status_code == 200
    assert sup.get("/console/staff").status_code == 403
    # forged / missing CSRF token → 403 and nothing changes
    code = file(care_db, "web:s1:m2")
    r = agent.post(f"/console/tickets/{code}/assign", data={"assignee_id": "1", "csrf_token": "forged"})
    assert r.status_code == 403 and r.json()["error"] == "csrf_failed"
    r = agent.post(f"/console/tickets/{code}/assign", data={"assignee_id": "1"})
    assert r.status_code == 403
    with session_scope(care_db) as s:
        assert tickets.by_code(s, code).assignee_id is None
    # an agent may not assign to someone else
    r = form_post(agent, "/console/tickets", f"/console/tickets/{code}/assign", {"assignee_id": "999"})
    assert r.status_code == 403


def test_lockout_after_repeated_failures(app, care_db):
    from fastapi.testclient import TestClient

    add_staff(care_db, "agent2", "agent")
    client = TestClient(app)
    for _ in range(3):
        page = client.get("/console/login", headers={"accept": "text/html"})
        r = client.post("/console/login", data={"username": "agent2", "password": "sai mật khẩu rồi",
                                                "csrf_token": csrf_of(page.text)})
        assert r.status_code == 401
    page = client.get("/console/login", headers={"accept": "text/html"})
    r = client.post("/console/login", data={"username": "agent2", "password": PASSWORD,
                                            "csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 401 and "khóa" in r.text
    with session_scope(care_db) as s:
        assert s.scalar(select(StaffUser).where(StaffUser.username == "agent2")).locked_until is not None


def test_agent_works_a_ticket_to_closed(app, care_db):
    code = file(care_db)
    agent_id = add_staff(care_db, "agent3", "agent")
    agent = signed_in(app, "agent3")
    page = agent.get(f"/console/tickets/{code}", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "091****678" in page.text and "0912345678" not in page.text  # not assigned yet: masked
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(" in page.text
    r = form_post(agent, f"/console/tickets/{code}", f"/console/tickets/{code}/assign", {"assignee_id": str(agent_id)})
    assert r.status_code == 303
    page = agent.get(f"/console/tickets/{code}", headers={"accept": "text/html"})
    assert "0912345678" in page.text
    for to in ("in_progress", "resolved"):
        r = form_post(agent, f"/console/tickets/{code}", f"/console/tickets/{code}/status", {"status": to})
        assert r.status_code == 303, r.text
    r = form_post(agent, f"/console/tickets/{code}", f"/console/tickets/{code}/status", {"status": "new"})
    assert r.status_code == 409
    r = form_post(agent, f"/console/tickets/{code}", f"/console/tickets/{code}/reply",
                  {"body": "Trung tâm đã yêu cầu phường hoàn lại khoản thu sai. " + XSS})
    assert r.status_code == 303
    r = form_post(agent, f"/console/tickets/{code}", f"/console/tickets/{code}/reply", {"body": "x" * 9000})
    assert r.status_code == 413
    r = form_post(agent, f"/console/tickets/{code}", f"/console/tickets/{code}/status", {"status": "closed"})
    assert r.status_code == 303
    # the citizen's conversation: the reply and the rating question, through the API and the delivery
    msgs = agent.get("/api/v1/chat/s1/messages?after=0").json()["messages"]
    assert [m["sender"] for m in msgs] == ["staff", "system"]
    assert "hoàn lại" in msgs[0]["text"] and msgs[1]["buttons"][0]["payload"] == "5 sao"
    later = agent.get(f"/api/v1/chat/s1/messages?after={msgs[0]['id']}").json()["messages"]
    assert len(later) == 1
    sent = app.state.delivery.sent
    assert [sid for sid, _ in sent] == ["s1", "s1"] and "hoàn lại" in sent[0][1][0].text
    # the public lookup shows the reply but nothing personal
    with session_scope(care_db) as s:
        status = tickets.public_status(s, code)
        assert status["status"] == "closed" and "hoàn lại" in status["public_reply"]
        actions = [a.action for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert "view_ticket" in actions and "view_ticket_phone" in actions and "assign" in actions
    assert actions.count("status") == 3 and "reply" in actions


def test_list_filters_csv_masking_and_search(app, care_db):
    for i in range(30):
        file(care_db, f"web:s{i}:m", category="overdue" if i % 2 else "extra_fees", session_id=f"s{i}")
    add_staff(care_db, "agent4", "agent")
    add_staff(care_db, "sup4", "supervisor")
    agent = signed_in(app, "agent4")
    r = agent.get("/console/tickets?category=overdue", headers={"accept": "text/html"})
    assert r.status_code == 200 and "15 phản ánh" in r.text
    r = agent.get("/console/tickets?page=2", headers={"accept": "text/html"})
    assert "trang 2/2" in r.text
    r = agent.get("/console/tickets?q=" + "%27%20OR%201%3D1%20--", headers={"accept": "text/html"})
    assert r.status_code == 200 and "0 phản ánh" in r.text
    assert agent.get("/console/tickets?status=bogus").status_code == 400
    assert agent.get("/console/tickets?q=" + "x" * 500).status_code == 413
    csv_agent = agent.get("/console/tickets.csv").text
    assert "0912345678" not in csv_agent and "091****678" in csv_agent
    csv_sup = signed_in(app, "sup4").get("/console/tickets.csv").text
    assert "0912345678" in csv_sup
    assert len(re.findall(r"PA-\d\d-\d{6}", csv_sup)) == 30


def test_handoff_queue_one_taker(app, care_db):
    from care import handoff

    with session_scope(care_db) as s:
        h, _ = handoff.open_handoff(s, "web", "s77", "request_human", [{"sender": "citizen", "text": "cho gặp cán bộ"}])
        hid = h.id
    add_staff(care_db, "a5", "agent")
    add_staff(care_db, "b5", "agent")
    a, b = signed_in(app, "a5"), signed_in(app, "b5")
    assert "cho gặp cán bộ" in a.get(f"/console/handoffs/{hid}", headers={"accept": "text/html"}).text
    assert form_post(a, "/console/handoffs", f"/console/handoffs/{hid}/take", {}).status_code == 303
    assert form_post(b, "/console/handoffs", f"/console/handoffs/{hid}/take", {}).status_code == 409
    assert form_post(b, f"/console/handoffs/{hid}", f"/console/handoffs/{hid}/reply", {"body": "x"}).status_code == 403
    r = form_post(a, f"/console/handoffs/{hid}", f"/console/handoffs/{hid}/reply", {"body": "Chào anh chị"})
    assert r.status_code == 303
    assert handoff.active_handoff("web:s77", care_db)
    assert form_post(a, f"/console/handoffs/{hid}", f"/console/handoffs/{hid}/close", {}).status_code == 303
    assert not handoff.active_handoff("web:s77", care_db)
    texts = [m["text"] for m in a.get("/api/v1/chat/s77/messages").json()["messages"]]
    assert texts[:2] == ["Chào anh chị", handoff.CLOSED_TEXT] and "1 đến 5 sao" in texts[2]


def test_dashboard_and_messages_api_validation(app, care_db):
    from care import ratings

    file(care_db)
    with session_scope(care_db) as s:
        for score in (5, 5, 4, 2):
            ratings.record(s, score, "web", "s1", "ask_procedure")
    add_staff(care_db, "a6", "agent")
    a = signed_in(app, "a6")
    d = a.get("/console/dashboard/data").json()
    assert d["open"] == 1 and d["ratings"] == 4 and d["satisfaction"] == 0.75 and d["target"] == 0.95
    assert sum(sum(v) for v in d["per_day"].values()) == 1
    assert a.get("/console/dashboard", headers={"accept": "text/html"}).status_code == 200
    assert a.get("/api/v1/chat/bad%20id/messages").status_code == 422
    assert a.get("/api/v1/chat/s1/messages?after=-1").status_code == 422
    assert a.get("/api/v1/chat/s1/messages?channel=fax").status_code == 422
    assert a.get("/api/v1/chat/s1/messages?channel=zalo").json()["messages"] == []


def test_gap_pages_and_four_eyes_approval(app, care_db):
    from tests.care.test_gaps import BHYT, add_turns

    add_turns(care_db, BHYT)
    add_staff(care_db, "a9", "agent")
    add_staff(care_db, "s9", "supervisor")
    add_staff(care_db, "t9", "supervisor")
    assert signed_in(app, "a9").get("/console/gaps").status_code == 403
    s9 = signed_in(app, "s9")
    page = s9.get("/console/gaps", headers={"accept": "text/html"})
    assert page.status_code == 200 and "4 lần" in page.text and "thẻ bảo hiểm y tế" in page.text
    r = form_post(s9, "/console/gaps", "/console/faq-drafts", {
        "question": BHYT[0], "answer": "Cấp lại tại cơ quan bảo hiểm xã hội " + XSS, "source": "Luật BHYT",
        "valid_from": "2026-01-01", "examples": '["a", "b"]'})
    assert r.status_code == 303
    r = form_post(s9, "/console/faq-drafts", "/console/faq-drafts", {
        "question": "x", "answer": "y", "source": "z", "valid_from": "2026-13-01"})
    assert r.status_code == 400
    listing = s9.get("/console/faq-drafts", headers={"accept": "text/html"}).text
    assert "Chờ duyệt" in listing and "<script>alert" not in listing and "/approve" not in listing  # not own
    t9 = signed_in(app, "t9")
    from care.models import FaqDraft

    with session_scope(care_db) as s:
        did = s.scalar(select(FaqDraft.id))
    assert form_post(t9, "/console/faq-drafts", f"/console/faq-drafts/{did}/approve", {}).status_code == 303
    assert form_post(t9, "/console/faq-drafts", f"/console/faq-drafts/{did}/approve", {}).status_code == 409
    with session_scope(care_db) as s:
        assert s.get(FaqDraft, did).status == "approved"
