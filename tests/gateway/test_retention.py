"""Retention: chat turns older than N days are anonymised (or deleted); newer ones are untouched."""

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import select

from dvcbot.db import get_engine, session_scope
from gateway.models import ChatTurn
from gateway.retention import purge_rasa_events, purge_turns
from gateway.store import TurnStore

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def _turn(session_id: str, message_id: str, age_days: int) -> ChatTurn:
    at = NOW - dt.timedelta(days=age_days)
    return ChatTurn(session_id=session_id, message_id=message_id, channel="zalo",
                    text="sdt 0912345678, cccd 001203004567", status="done",
                    response='{"messages": [{"text": "Dạ"}]}', intent="ask_procedure", confidence=0.93,
                    created_at=at, updated_at=at)


@pytest.fixture
def turns(migrated_db_url):
    with session_scope(migrated_db_url) as s:
        s.add_all([_turn("zalo-user-1", "m1", 400), _turn("zalo-user-1", "m2", 91), _turn("zalo-user-2", "m1", 5)])
    return migrated_db_url


def _rows(url):
    with session_scope(url) as s:
        return [(t.session_id, t.message_id, t.text, t.response, t.intent, t.confidence, t.channel)
                for t in s.scalars(select(ChatTurn).order_by(ChatTurn.id))]


def test_old_turns_are_anonymised_and_new_ones_kept(turns):
    with session_scope(turns) as s:
        assert purge_turns(s, 90, now=NOW) == 2
    rows = _rows(turns)
    for session_id, message_id, text, response, intent, confidence, channel in rows[:2]:
        assert session_id.startswith("purged-") and message_id == session_id
        assert text == "" and response is None
        assert (intent, confidence, channel) == ("ask_procedure", 0.93, "zalo")  # statistics stay
    assert rows[2][:3] == ("zalo-user-2", "m1", "sdt 0912345678, cccd 001203004567")
    with session_scope(turns) as s:  # running it again changes nothing
        assert purge_turns(s, 90, now=NOW) == 0
    # the store still works for the kept conversation, and the purged ids are free again
    store = TurnStore(get_engine(turns))
    assert store.claim("zalo-user-1", "m1", "zalo", "xin chào").fresh


def test_delete_mode_removes_the_rows(turns):
    with session_scope(turns) as s:
        assert purge_turns(s, 30, delete_rows=True, now=NOW) == 2
    assert [r[0] for r in _rows(turns)] == ["zalo-user-2"]


def test_zero_days_is_refused(turns):
    with session_scope(turns) as s, pytest.raises(ValueError):
        purge_turns(s, 0, now=NOW)


def test_old_rasa_tracker_events_are_deleted(tmp_path):
    db = tmp_path / "rasa_tracker.db"
    with sqlite3.connect(db) as conn:  # the columns Rasa 3.6's SQL tracker store creates
        conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
                     "timestamp FLOAT, intent_name TEXT, action_name TEXT, data TEXT)")
        for age in (200, 100, 1):
            conn.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
                         ("web:s1", (NOW - dt.timedelta(days=age)).timestamp(), '{"text": "0912345678"}'))
    engine = get_engine(f"sqlite:///{db}")
    assert purge_rasa_events(engine, 90, now=NOW) == 2
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    engine.dispose()


def test_the_cli_command_purges_by_the_setting_or_the_option(migrated_db_url, tmp_path, monkeypatch, capsys):
    from dvcbot.cli import main
    from dvcbot.settings import get_settings

    now = dt.datetime.now(dt.UTC)
    with session_scope(migrated_db_url) as s:
        s.add_all([_turn("zalo-user-1", "m1", 0), _turn("zalo-user-2", "m1", 0)])
        s.flush()
        first = s.scalars(select(ChatTurn).order_by(ChatTurn.id)).first()
        first.created_at = now - dt.timedelta(days=40)
    monkeypatch.setenv("DVCBOT_VAR_DIR", str(tmp_path))  # no Rasa tracker there
    get_settings.cache_clear()
    try:
        assert main(["db", "purge-turns", "--url", migrated_db_url]) == 0  # retention 0: keeps everything
        assert "nothing to do" in capsys.readouterr().out
        assert main(["db", "purge-turns", "--url", migrated_db_url, "--older-than-days", "30"]) == 0
        assert "anonymised 1 chat turns" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()
    assert [r[0].startswith("purged-") for r in _rows(migrated_db_url)] == [True, False]
