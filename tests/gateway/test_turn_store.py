"""The chat-turn store on embedded SQLite and on PostgreSQL: nothing lost, nothing processed twice.

``claim`` answers at once: fresh (ours), a stored reply to replay, or pending (another copy is
being processed); the turn service waits for a pending copy and reads its reply with ``get``.
"""

import datetime as dt
import threading

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from dvcbot.db import get_engine
from gateway.models import ChatTurn
from gateway.store import TurnStore

REPLY = {"session_id": "s1", "messages": [{"text": "Dạ"}]}


@pytest.fixture
def store(migrated_db_url):
    return TurnStore(get_engine(migrated_db_url))


def test_a_repeated_message_id_is_replayed_not_reprocessed(store):
    first = store.claim("s1", "m1", "zalo", "lệ phí làm căn cước")
    assert first.fresh and not first.pending and first.response is None
    store.finish("s1", "m1", REPLY, "ask_procedure", 0.9, ok=True)
    again = store.claim("s1", "m1", "zalo", "lệ phí làm căn cước")
    assert not again.fresh and not again.pending and again.response == REPLY
    assert store.get("s1", "m1") == REPLY
    turns = store.history("s1")
    assert [(t["status"], t["intent"], t["text"]) for t in turns] == [("done", "ask_procedure", "lệ phí làm căn cước")]


def test_a_duplicate_of_a_turn_in_progress_is_pending_until_it_is_finished(store):
    assert store.claim("s1", "m1", "web", "xin chào").fresh
    dup = store.claim("s1", "m1", "web", "xin chào")
    assert (dup.fresh, dup.pending, dup.response) == (False, True, None)
    assert store.get("s1", "m1") is None and store.status("s1", "m1") == "pending"
    store.finish("s1", "m1", REPLY, "greet", 0.99, ok=True)
    assert store.get("s1", "m1") == REPLY and store.status("s1", "m1") == "done"
    assert store.claim("s1", "m1", "web", "xin chào").response == REPLY


def test_the_same_message_id_in_another_session_is_a_new_message(store):
    assert store.claim("s1", "m1", "web", "a").fresh
    assert store.claim("s2", "m1", "web", "a").fresh


def test_a_failed_turn_is_kept_and_processed_again_on_retry(store):
    assert store.claim("s1", "m1", "web", "xin chào").fresh
    store.finish("s1", "m1", {"messages": []}, None, None, ok=False)
    assert store.history("s1")[0]["status"] == "failed"
    assert store.get("s1", "m1") is None  # a failed reply is never replayed
    assert store.claim("s1", "m1", "web", "xin chào").fresh
    assert store.claim("s1", "m1", "web", "xin chào").pending  # the retry is now in progress
    store.finish("s1", "m1", REPLY, "greet", 0.99, ok=True)
    assert [t["status"] for t in store.history("s1")] == ["done"]


def test_a_released_turn_is_processed_by_the_next_copy(store):
    assert store.claim("s1", "m1", "web", "alo").fresh
    assert store.release("s1", "m1") is True
    assert store.status("s1", "m1") == "failed"
    assert store.claim("s1", "m1", "web", "alo").fresh
    store.finish("s1", "m1", REPLY, "greet", 0.9, ok=True)
    assert store.release("s1", "m1") is False  # a finished turn stays finished
    assert store.get("s1", "m1") == REPLY
    assert store.release("s1", "unknown") is False


def test_a_turn_abandoned_by_a_dead_process_is_taken_over(store, migrated_db_url):
    assert store.claim("s1", "m1", "web", "alo").fresh
    assert store.claim("s1", "m1", "web", "alo").pending
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=store.stale_after + 60)
    with Session(get_engine(migrated_db_url)) as s, s.begin():
        s.execute(update(ChatTurn).where(ChatTurn.message_id == "m1").values(updated_at=long_ago))
    assert store.claim("s1", "m1", "web", "alo").fresh
    assert store.claim("s1", "m1", "web", "alo").pending


def _claim_together(store, n: int, message_id: str) -> list:
    barrier = threading.Barrier(n)
    results = []

    def deliver():
        barrier.wait()
        results.append(store.claim("s9", message_id, "zalo", "alo"))

    threads = [threading.Thread(target=deliver) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_concurrent_duplicates_are_claimed_once_and_the_others_are_pending(store):
    results = _claim_together(store, 6, "dup")
    assert sum(c.fresh for c in results) == 1
    assert sum(c.pending for c in results) == 5
    assert len(store.history("s9")) == 1


def test_concurrent_retries_of_a_failed_turn_are_claimed_once(store):
    assert store.claim("s9", "dup", "zalo", "alo").fresh
    store.finish("s9", "dup", {"messages": []}, None, None, ok=False)
    results = _claim_together(store, 4, "dup")
    assert sum(c.fresh for c in results) == 1
    assert sum(c.pending for c in results) == 3


def test_messages_without_id_are_all_kept(store):
    a = store.claim("s3", None, "voice", "một")
    b = store.claim("s3", None, "voice", "một")
    assert a.fresh and b.fresh and a.message_id != b.message_id
    assert len(store.history("s3")) == 2


def test_the_same_ids_on_two_channels_are_two_messages_with_their_own_replies(store):
    web, zalo = {"messages": [{"text": "web"}]}, {"messages": [{"text": "zalo"}]}
    assert store.claim("s1", "m1", "web", "xin chào").fresh
    assert store.claim("s1", "m1", "zalo", "xin chào").fresh
    store.finish("s1", "m1", web, None, None, ok=True, channel="web")
    store.finish("s1", "m1", zalo, None, None, ok=True, channel="zalo")
    assert store.claim("s1", "m1", "web", "xin chào").response == web
    assert store.claim("s1", "m1", "zalo", "xin chào").response == zalo
    assert store.get("s1", "m1", channel="zalo") == zalo


def test_turns_left_pending_by_a_dead_gateway_are_released_at_the_next_start(store):
    import datetime as dt

    assert store.claim("s1", "m1", "web", "xin chào").fresh  # the process dies here
    restarted = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    assert store.release_abandoned(restarted) == 1
    retry = store.claim("s1", "m1", "web", "xin chào")
    assert retry.fresh and retry.retry  # processed now, flagged so Rasa can answer it from the conversation
    assert store.release_abandoned(restarted) == 1  # the retry itself is pending again
