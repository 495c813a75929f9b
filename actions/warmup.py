"""Load the knowledge base and the routing data as soon as the action server starts.

rasa-sdk imports every module of the ``actions`` package at start-up; importing this one starts
a background thread, so the server answers ``/health`` at once while the catalogue, the search
index, the encoder and the routing data load. Without it the first citizen question would wait
for all of that (several seconds on a busy machine) and could time out in the gateway.
The unit tests import the action modules directly and never this one.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger(__name__)


def warm_up() -> None:
    from actions import kb

    start = time.perf_counter()
    kb.catalogue()
    kb.search("đăng ký tạm trú cần giấy tờ gì", kinds={"procedure", "faq"}, k=1)
    try:
        from routing.service import get_routing

        get_routing()
    except Exception as exc:  # routing is optional for the dialogue: answered honestly without it
        log.warning("routing not loaded: %s: %s", type(exc).__name__, exc)
    log.info("knowledge base and routing loaded in %.1f s", time.perf_counter() - start)


threading.Thread(target=warm_up, name="dvcbot-warmup", daemon=True).start()
