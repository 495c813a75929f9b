"""The turn service's bounded queue: a fixed number of turns at once, a bounded number waiting,
and a clear refusal (never a timeout) beyond that. Driven by events, not by time."""

from __future__ import annotations

import asyncio

import pytest

from gateway.turns import QueueFull, _Admission


def test_turns_beyond_the_queue_are_refused_at_once_and_the_rest_all_run():
    async def scenario():
        admission = _Admission(limit=2, queue_size=3)
        release = asyncio.Event()
        entered = 0

        async def turn():
            nonlocal entered
            async with admission:
                entered += 1
                await release.wait()

        tasks = [asyncio.create_task(turn()) for _ in range(5)]
        for _ in range(10):
            await asyncio.sleep(0)
        assert admission.snapshot() == {"in_flight": 2, "waiting": 3, "queue_size": 3}
        with pytest.raises(QueueFull):
            async with admission:
                pass
        release.set()
        await asyncio.gather(*tasks)
        assert entered == 5 and admission.snapshot()["in_flight"] == 0

    asyncio.run(scenario())
