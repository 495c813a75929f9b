"""Logging set-up with personal data masked.

Phone numbers and 12-digit citizen ID numbers never reach a log line in clear: a filter rewrites
every record's message before any handler formats it.
"""

from __future__ import annotations

import logging
import re

_ID_NUMBER = re.compile(r"(?<!\d)(\d{3})\d{6}(\d{3})(?!\d)")  # 12-digit căn cước number
_DIGIT_RUN = re.compile(r"(?<![\w.+-])\+?\d[\d .-]{7,16}\d(?![\w])")


def _mask_phone(match: re.Match) -> str:
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    if 9 <= len(digits) <= 12 and (digits.startswith("0") or digits.startswith("84")):
        return f"{digits[:3]}****{digits[-3:]}"
    return raw


def mask_pii(text: str) -> str:
    """Mask citizen ID numbers (12 digits) and Vietnamese phone numbers in free text."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}******{m.group(2)}", text)
    return _DIGIT_RUN.sub(_mask_phone, text)


class PiiMaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = mask_pii(message), ()
        return True


def setup_logging(level: str | None = None) -> None:
    """Configure the root logger once: one line per record, PII masked, level from settings."""
    from dvcbot.settings import get_settings

    root = logging.getLogger()
    if getattr(root, "_dvcbot_configured", False):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PiiMaskingFilter())
    root.handlers[:] = [handler]
    root.setLevel((level or get_settings().log_level).upper())
    for noisy in ("httpx", "httpx2", "httpcore", "urllib3", "faiss", "sentence_transformers.SentenceTransformer",
                  "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    root._dvcbot_configured = True  # type: ignore[attr-defined]
