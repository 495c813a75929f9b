"""Zalo's ``X-ZEvent-Signature`` check and the replay window.

Zalo signs each webhook as ``mac=<hex>`` where ``hex = sha256(app_id + raw_body + timestamp +
oa_secret_key)``; the timestamp (milliseconds) is the one in the JSON body. The OA secret key is
the one shown on the OA's webhook page, not the app secret.
"""

from __future__ import annotations

import hashlib
import hmac
import time


def sign(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The header value Zalo sends for this body (also used by the tests' fake Zalo)."""
    digest = hashlib.sha256(app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode())
    return f"mac={digest.hexdigest()}"


def verify(header: str | None, app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> bool:
    """True when ``header`` is the right signature (constant-time comparison)."""
    if not header:
        return False
    expected = sign(app_id, raw_body, timestamp, oa_secret_key)
    return hmac.compare_digest(header.strip().encode(), expected.encode())


def fresh(timestamp: str, window_s: float, now: float | None = None) -> bool:
    """True when the event's timestamp (ms, or s) is within ``window_s`` of now."""
    try:
        value = float(timestamp)
    except (TypeError, ValueError):
        return False
    if value > 1e11:  # milliseconds (Zalo's unit)
        value /= 1000.0
    now = time.time() if now is None else now
    return abs(now - value) <= window_s
