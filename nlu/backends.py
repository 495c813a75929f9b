"""The NLU service's links to the other parts: encoder, knowledge-base search, ward gazetteer.

Each is loaded lazily, once. A part whose data is missing (not built yet) degrades the parse
clearly: one warning in the log, its state in ``GET /health``, and a new attempt at most
every :data:`RETRY_SECONDS` (so a service started before ``dvcbot kb build`` finished recovers).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
RETRY_SECONDS = 60.0


class _Backend:
    def __init__(self, name: str, loader: Callable[[], Any]) -> None:
        self.name = name
        self.loader = loader
        self.obj: Any | None = None
        self.state = "not loaded"
        self.failed_at: float | None = None
        self.warned = False
        self.lock = threading.Lock()

    def get(self) -> Any | None:
        if self.obj is not None:
            return self.obj
        with self.lock:
            if self.obj is not None:
                return self.obj
            if self.failed_at is not None and time.monotonic() - self.failed_at < RETRY_SECONDS:
                return None
            try:
                self.obj = self.loader()
            except ImportError:
                raise  # the project's own packages are always installed: that is a bug, not a degraded part
            except Exception as exc:  # noqa: BLE001 - any failure of another part only degrades NLU
                self.failed_at = time.monotonic()
                self.state = f"unavailable: {type(exc).__name__}: {exc}"[:300]
                if not self.warned:
                    log.warning(
                        "NLU: %s unavailable (%s: %s); continuing without it",
                        self.name,
                        type(exc).__name__,
                        exc,
                    )
                    self.warned = True
                return None
            self.state = "ok"
            if self.warned:
                log.info("NLU: %s is available now", self.name)
            return self.obj


def _load_encoder() -> Any:
    from knowledge_base.encoder import get_encoder

    return get_encoder()


def _load_kb() -> Any:
    from knowledge_base.search import get_kb

    base = get_kb()
    base.search("khai sinh", k=1)  # loads the index now, not on the first user message
    return base


def _load_gazetteer() -> Any:
    from routing.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    gaz.find_in_text("phường hoàn kiếm")
    return gaz


_encoder = _Backend("encoder", _load_encoder)
_kb = _Backend("kb_search", _load_kb)
_gazetteer = _Backend("gazetteer", _load_gazetteer)


def status() -> dict[str, str]:
    return {b.name: b.state for b in (_encoder, _kb, _gazetteer)}


def encoder_fingerprint() -> str | None:
    """Identity of the encoder model (part of the NLU model hash), or None without an encoder."""
    from dvcbot.settings import get_settings

    path = get_settings().encoder_path
    if not (path / "config.json").exists():
        return None
    from knowledge_base.index import encoder_id

    return encoder_id(path)


def embedder() -> Callable[[list[str]], np.ndarray] | None:
    """``texts -> (n, dim) array`` with the knowledge base's query encoder, or None."""
    enc = _encoder.get()
    if enc is None:
        return None
    return lambda texts: np.asarray(enc.encode_queries(list(texts)), dtype=np.float32)


def kb() -> Any | None:
    """The knowledge base (``knowledge_base.search.get_kb()``) or None."""
    return _kb.get()


def find_ward(text: str) -> Any | None:
    gaz = _gazetteer.get()
    return None if gaz is None else gaz.find_in_text(text)


def without_places(text: str) -> str:
    gaz = _gazetteer.get()
    return text if gaz is None else gaz.without_places(text)
