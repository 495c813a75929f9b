"""After the test session: no log file any test wrote may hold a raw phone or ID number.

``tests/conftest.py`` runs :func:`scan_logs` on pytest's temporary folder (where every test's
services write their logs) when the session finishes, and fails the session on a finding.
"""

from __future__ import annotations

from pathlib import Path

from dvcbot.logs import find_pii, mask_pii

#: log files as the services and tools name them
PATTERNS = ("*.log", "*.log.*")
#: a folder holding this file is skipped (the scanner's own test plants numbers on purpose)
IGNORE_MARK = ".logscan-ignore"


def _ignored(path: Path, root: Path) -> bool:
    return any((parent / IGNORE_MARK).exists() for parent in path.parents if parent != root.parent
               and parent.is_relative_to(root))


def scan_logs(root: Path) -> list[str]:
    """``path:line: masked line`` for every line of a log file under ``root`` with a raw number."""
    findings = []
    files = sorted({p for pattern in PATTERNS for p in root.rglob(pattern)
                    if p.is_file() and not _ignored(p, root)})
    for path in files:
        try:
            with open(path, errors="replace") as f:
                for number, line in enumerate(f, 1):
                    if find_pii(line):
                        findings.append(f"{path}:{number}: {mask_pii(line.rstrip())[:300]}")
        except OSError:
            continue
    return findings
