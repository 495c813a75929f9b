"""Logging set-up with personal data masked and log lines that cannot be forged.

Phone numbers and 12-digit citizen ID numbers never reach a log line in clear: a filter rewrites
every record's message before any handler formats it. Control characters in a message (a newline
in a message id, say) are escaped, so a value can never start a fake log line. Tokens passed as
``token=...`` are hidden too.

This module imports nothing outside the standard library: Rasa (Python 3.10, its own venv) loads
it through ``bot/logging.yml`` (``--logging-config-file``) with the project root on PYTHONPATH,
so the dialogue engine's log is masked by the same code as every other service's.

Masking is by the shape of Vietnamese numbers, not by any run of digits, so amounts
("840.000.000 đồng"), decimals (confidence 0.9123456789, latencies) and digits inside ids
("web-msg-001203004567", UUIDs) stay readable:

- mobile numbers: 10 digits ``0[35789]x xxx xxxx``, or ``+84``/``84`` and 9 digits;
- landlines: 11 digits ``02x xxxx xxxx`` (Hanoi ``024``), or ``+84 2x ...``;
- citizen ID (căn cước): 12 digits in one run, or ``0xx`` followed by 9 digits in groups.

Groups may be separated by one space, dot or dash. A number glued to an id (``msg-``, ``_``) or
continuing a decimal or an amount (``0.``, ``840.``) is not personal data.
"""

from __future__ import annotations

import logging
import re

_SEP = r"[ .\-]?"
#: not preceded by a digit or "+", nor by "digit." / "digit," (a decimal, an amount) nor by
#: "letter-" / "letter_" / "digit-" (an id joined with dashes or underscores)
_BEFORE = r"(?<![\d+])(?<!\d[.,])(?<![A-Za-z0-9][_\-])"
#: not followed by another digit, a decimal part, or the rest of an id
_AFTER = r"(?!\d)(?![.,]\d)(?![_\-][A-Za-z0-9])"
_PHONE = re.compile(
    _BEFORE
    + r"(?:"
    + rf"(?:\(?\+84\)?{_SEP}|84)(?:[35789]|2\d){_SEP}(?:\d{_SEP}){{7}}\d"  # +84 9xx xxx xxx, +84 24 ...
    + rf"|0[35789](?:{_SEP}\d){{8}}"  # 09x xxxx xxx (10 digits)
    + rf"|\(?02\d\)?(?:{_SEP}\d){{8}}"  # (024) 3825 6686 (11 digits)
    + r")"
    + _AFTER
)
_ID_NUMBER = re.compile(_BEFORE + rf"(?:\d{{12}}|0\d\d(?:{_SEP}\d){{9}})" + _AFTER)
_TOKEN = re.compile(r"(?i)\b((?:auth_)?token=)[^&\s\"']+")
#: C0 controls except tab, DEL, C1 controls and the Unicode line/paragraph separators
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r"}


def _keep_ends(match: re.Match, stars: int) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return f"{digits[:3]}{'*' * stars}{digits[-3:]}"


def mask_pii(text: str) -> str:
    """Mask citizen ID numbers (12 digits) and Vietnamese phone numbers in free text."""
    text = _ID_NUMBER.sub(lambda m: _keep_ends(m, 6), text)
    text = _PHONE.sub(lambda m: _keep_ends(m, 4), text)
    return _TOKEN.sub(r"\1***", text)


def find_pii(text: str) -> list[str]:
    """The phone and ID numbers in ``text`` that :func:`mask_pii` would mask (log scans)."""
    return [m.group(0) for m in _ID_NUMBER.finditer(text)] + [m.group(0) for m in _PHONE.finditer(text)]


def escape_controls(text: str) -> str:
    """``\\n`` for a newline and ``\\xNN`` for other control characters: one record, one line."""
    return _CONTROL.sub(lambda m: _ESCAPES.get(m.group(0), f"\\x{ord(m.group(0)):02x}"
                                               if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}"), text)


def redact(text: str) -> str:
    """What every log message goes through: personal data and tokens masked, controls escaped."""
    return escape_controls(mask_pii(text))


def _redact_record(record: logging.LogRecord) -> None:
    if getattr(record, "_dvcbot_redacted", False):
        return
    try:
        message = record.getMessage()
    except Exception:  # a broken format string must not lose the record
        message = str(record.msg)
    record.msg, record.args = redact(message), ()
    if record.exc_info and not record.exc_text:
        # the traceback keeps its lines, but exception messages may quote citizen text
        record.exc_text = mask_pii(logging.Formatter().formatException(record.exc_info))
    record._dvcbot_redacted = True  # type: ignore[attr-defined]


class PiiMaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        _redact_record(record)
        return True


class SafeFormatter(logging.Formatter):
    """A formatter that escapes control characters in the message (for handlers without the filter)."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's API
        record.message = escape_controls(record.message)
        return super().formatMessage(record)


def install_record_masking() -> logging.Filter:
    """Redact every record when it is created, whatever handler later writes it.

    For processes whose logging we do not own (Rasa: coloredlogs replaces the root handler after
    our configuration ran), a record factory is the one place every record passes. Used as a
    filter factory in ``bot/logging.yml``; returns the masking filter for that handler too.
    """
    current = logging.getLogRecordFactory()
    if not getattr(current, "_dvcbot_masking", False):

        def factory(*args, **kwargs) -> logging.LogRecord:
            record = current(*args, **kwargs)
            _redact_record(record)
            return record

        factory._dvcbot_masking = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)
    return PiiMaskingFilter()


def setup_logging(level: str | None = None) -> None:
    """Configure the root logger once: one line per record, PII masked, level from settings."""
    from dvcbot.settings import get_settings

    root = logging.getLogger()
    if getattr(root, "_dvcbot_configured", False):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PiiMaskingFilter())
    root.handlers[:] = [handler]
    root.setLevel((level or get_settings().log_level).upper())
    for noisy in ("httpx", "httpx2", "httpcore", "urllib3", "faiss", "sentence_transformers.SentenceTransformer",
                  "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    root._dvcbot_configured = True  # type: ignore[attr-defined]
