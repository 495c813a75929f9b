"""Call records in the ``voice_calls`` table, on SQLite and PostgreSQL (the shared ``db_url`` fixture)."""

from voice.calls import CallStore, Transfer


def test_a_finished_call_is_stored_and_read_back(db_url):
    store = CallStore(db_url)
    record = store.open("CA" + "c1" * 16, caller="0123456789abcdef")
    record.add("caller", text="làm căn cước", audio_seconds=2.5, final_seconds=0.2)
    record.add("dtmf", digit="0")
    record.transfer = Transfer("care_centre", "+842439906688", "key 0")
    store.finish(record)

    again = CallStore(db_url).get(record.call_id)  # another process
    assert again is not record
    assert again.caller == "0123456789abcdef"
    assert again.transfer == record.transfer
    assert again.events == record.events
    assert again.ended is not None and abs(again.started - record.started) < 1e-3

    # the same call id opened again (Twilio reconnecting a stream) continues the record
    reopened = store.open(record.call_id)
    assert reopened.events == record.events and reopened.ended is None
    reopened.add("hang_up")
    reopened.hangup_reason = "caller hung up"
    store.finish(reopened)
    assert CallStore(db_url).get(record.call_id).hangup_reason == "caller hung up"


def test_unknown_or_unsafe_call_ids(db_url):
    store = CallStore(db_url)
    assert store.get("CA" + "00" * 16) is None
    assert store.get("../../etc/passwd") is None
