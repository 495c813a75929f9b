"""Post-recognition domain correction (voice/stt/domain.py) and the recognition lanes."""

from __future__ import annotations

import threading
import time

from voice.stt.domain import DomainCorrector, default_corrector
from voice.stt.lanes import RecognitionPool
from voice.stt.normalize import normalize_transcript


def test_wrong_tones_and_one_letter_are_put_back():
    c = default_corrector()
    assert c.correct("tôi ở phường ngọc hả") == "tôi ở phường ngọc hà"
    assert c.correct("làm căn cược công dân") == "làm căn cước công dân"
    assert c.correct("cho tôi hỏi về giấy khai xinh") == "cho tôi hỏi về giấy khai sinh"  # one letter, long name
    assert c.correct("xã ba vi") == "xã ba vì"


def test_conservative_where_a_correction_could_be_wrong():
    c = default_corrector()
    assert c.correct("ba ngày") == "ba ngày"  # single syllables and ordinary words stay
    assert c.correct("hồng hạ") == "hồng hạ"  # a ward name without "phường" before it is not assumed
    assert c.correct("phường hồng hạ") == "phường hồng hà"
    assert c.correct("đăng ký thường chú") == "đăng ký thường chú"  # two letters away: left alone
    assert c.correct("") == ""
    # two names equally close: none is picked
    two = DomainCorrector(["khai sinh", "khai xanh"], [])
    assert two.correct("khai xinh") == "khai xinh"


def test_the_transcript_sent_to_the_turn_service_is_corrected():
    assert normalize_transcript("làm căn cược ở phường ngọc hả", default_corrector()) == (
        "làm căn cước ở phường ngọc hà")
    assert normalize_transcript("vê en e ai đi", default_corrector()) == "vneid"
    assert normalize_transcript("căn cược") == "căn cược"  # correction off


def test_a_calls_jobs_run_in_order_and_calls_run_side_by_side():
    pool = RecognitionPool(2)
    lanes = [pool.lane(), pool.lane()]
    seen: dict[int, list[int]] = {0: [], 1: []}
    running = set()
    overlap = threading.Event()

    def job(lane: int, i: int):
        def run():
            running.add(lane)
            if len(running) == 2:
                overlap.set()
            overlap.wait(0.2)  # gives the other lane's thread a chance to run at the same time
            seen[lane].append(i)
            running.discard(lane)
            return i
        return run

    futures = [lanes[k].submit(job(k, i)) for i in range(20) for k in (0, 1)]
    assert [f.result(30) for f in futures] == [i for i in range(20) for _k in (0, 1)]
    assert seen[0] == list(range(20)) and seen[1] == list(range(20))
    assert overlap.is_set(), "two calls' jobs ran at the same time"
    lanes[0].close()
    assert lanes[0].submit(lambda: 1).cancelled()
    pool.shutdown()


def test_a_failing_job_is_reported_and_the_lane_goes_on():
    pool = RecognitionPool(1)
    lane = pool.lane()

    def boom():
        raise RuntimeError("native error")

    bad, good = lane.submit(boom), lane.submit(lambda: time.sleep(0) or "ok")
    assert isinstance(bad.exception(30), RuntimeError) and good.result(30) == "ok"
    pool.shutdown()
