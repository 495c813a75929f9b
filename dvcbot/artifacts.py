"""Built artefacts (the converted encoder, the search index, the NLU model): one way to build them.

Each artefact is a folder with a JSON *stamp* (its content hash, the versions it was built from).
A build is skipped when the stamp matches what would be built now (:func:`is_current`); otherwise
it is written into a temporary folder next to the target and swapped into place with renames
(:func:`build_into`), so a reader never sees a half-written folder, an interrupted build leaves
nothing that looks valid, and the temporary folders of builds that were killed are removed by the
next build.

    stamp = {"content_hash": content_hash(source_file, "v3")}
    if not is_current(target, "meta.json", stamp, required=("index.faiss",)):
        with build_into(target) as work:
            write_everything(work)
            write_stamp(work, "meta.json", stamp)   # last: a folder without it is never current
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from dvcbot.procs import pid_alive

__all__ = ["build_into", "content_hash", "is_current", "read_stamp", "write_stamp"]


def content_hash(*parts: bytes | str | Path) -> str:
    """SHA-256 (hex) of the parts one after the other: bytes as they are, text as UTF-8, a path as
    its file's content (so ``content_hash(path)`` is the file's plain SHA-256)."""
    h = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            with part.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        else:
            h.update(part.encode("utf-8") if isinstance(part, str) else bytes(part))
    return h.hexdigest()


def read_stamp(folder: Path, name: str) -> dict[str, Any] | None:
    """The JSON object in ``folder/name``, or None when it is missing or unreadable."""
    try:
        found = json.loads((Path(folder) / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def write_stamp(folder: Path, name: str, stamp: Mapping[str, Any], indent: int | None = None) -> None:
    (Path(folder) / name).write_text(json.dumps(dict(stamp), ensure_ascii=False, indent=indent), encoding="utf-8")


def is_current(folder: Path, stamp_name: str, expected: Mapping[str, Any], required: Iterable[str] = ()) -> bool:
    """True when every ``required`` file is in ``folder`` and its stamp holds ``expected``'s items."""
    folder = Path(folder)
    if not all((folder / name).is_file() for name in required):
        return False
    found = read_stamp(folder, stamp_name)
    return found is not None and all(found.get(k) == v for k, v in expected.items())


@contextlib.contextmanager
def build_into(target: Path, keep_existing: Callable[[], bool] | None = None) -> Iterator[Path]:
    """Yield a fresh temporary folder next to ``target``; when the block ends normally, it replaces
    ``target`` (a folder, a file or a symbolic link) by renames. On any exception (Ctrl-C too) the
    temporary folder is removed and ``target`` is left as it was.

    ``keep_existing``: called when the swap fails (another process swapped its own build in at the
    same moment); if it returns True the other build is kept and no error is raised.
    """
    target = Path(target).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_work_dirs(target)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-{os.getpid()}-", dir=target.parent))
    try:
        yield work
        os.chmod(work, 0o755)  # mkdtemp makes it private; the artefact is read by the other services
        try:
            _swap_into_place(work, target)
        except OSError:
            if keep_existing is None or not keep_existing():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _swap_into_place(work: Path, target: Path) -> None:
    """Replace ``target`` by ``work`` with renames (the old one is kept until the new one is in)."""
    old = None
    if target.exists() or target.is_symlink():
        old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        os.replace(target, old)
    os.replace(work, target)
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()


def _remove_stale_work_dirs(target: Path) -> None:
    """Delete temporary and old folders left by builds that were killed (their process is gone)."""
    for pattern in (f".{target.name}.tmp-*", f".{target.name}.old-*"):
        for path in target.parent.glob(pattern):
            pid = path.name[len(target.name) + 1:].split("-")[1]
            if pid.isdigit() and not pid_alive(int(pid)):
                shutil.rmtree(path, ignore_errors=True)



