"""Write one benchmark's results into its own section of docs/EVALUATION.md.

Several benchmarks share the file; each owns the block between ``<!-- BEGIN name -->`` and
``<!-- END name -->`` and replaces only that block, stamped with the date and the machine.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from pathlib import Path

from dvcbot.settings import get_settings


def machine_description() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        mem_gb = f", {pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError):
        pass
    return f"{platform.node()}: {os.cpu_count()} cores ({cpu}){mem_gb}, Python {platform.python_version()}"


def write_section(name: str, title: str, body: str, path: Path | None = None) -> Path:
    """Replace (or append) the section ``name`` of docs/EVALUATION.md with ``body``."""
    path = path or get_settings().root / "docs" / "EVALUATION.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_text(encoding="utf-8") if path.exists() else "# dvcbot evaluation\n\n"
    stamp = f"_Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {machine_description()}._"
    block = f"<!-- BEGIN {name} -->\n## {title}\n\n{stamp}\n\n{body.strip()}\n<!-- END {name} -->"
    pattern = re.compile(rf"<!-- BEGIN {re.escape(name)} -->.*?<!-- END {re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
    return path
