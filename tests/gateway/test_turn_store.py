"""The chat-turn store on embedded SQLite and on PostgreSQL: nothing lost, nothing processed twice."""

import threading

import pytest

from dvcbot.db import get_engine
from gateway.store import TurnStore


@pytest.fixture
def store(db_url):
    return TurnStore(get_engine(db_url))


def test_a_repeated_message_id_is_replayed_not_reprocessed(store):
    first = store.claim("s1", "m1", "zalo", "lệ phí làm căn cước")
    assert first.fresh
    store.finish("s1", "m1", {"session_id": "s1", "messages": [{"text": "Dạ"}]}, "ask_procedure", 0.9, ok=True)
    again = store.claim("s1", "m1", "zalo", "lệ phí làm căn cước")
    assert not again.fresh and again.response["messages"] == [{"text": "Dạ"}]
    assert [t["status"] for t in store.history("s1")] == ["done"]


def test_the_same_message_id_in_another_session_is_a_new_message(store):
    assert store.claim("s1", "m1", "web", "a").fresh
    assert store.claim("s2", "m1", "web", "a").fresh


def test_a_failed_turn_is_kept_and_may_be_retried_once(store):
    assert store.claim("s1", "m1", "web", "xin chào").fresh
    store.finish("s1", "m1", {"messages": []}, None, None, ok=False)
    assert store.history("s1")[0]["status"] == "failed"
    assert store.claim("s1", "m1", "web", "xin chào").fresh
    store.finish("s1", "m1", {"messages": [{"text": "Dạ"}]}, "greet", 0.99, ok=True)
    assert store.history("s1")[0]["status"] == "done"


def test_concurrent_duplicates_are_processed_once(store):
    results = []

    def deliver():
        claim = store.claim("s9", "dup", "zalo", "alo", wait_seconds=0.5)
        results.append(claim.fresh)

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1
    assert len(store.history("s9")) == 1


def test_messages_without_id_are_all_kept(store):
    a = store.claim("s3", None, "voice", "một")
    b = store.claim("s3", None, "voice", "một")
    assert a.fresh and b.fresh and a.message_id != b.message_id
    assert len(store.history("s3")) == 2
