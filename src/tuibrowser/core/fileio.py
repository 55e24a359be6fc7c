"""Crash-safe file writing and file locks, shared by the index store, the user's state,
import and curation."""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes, *, mode: int | None = None, durable: bool = True) -> None:
    """Write so a crash leaves either the old file or the new one, never half of one.

    The temporary file is hidden (a leading dot), so a scan of the folder never reads it.

    Args:
        mode: Permission bits for the file; by default mkstemp's owner-only 0600.
        durable: fsync before the rename, so a power cut cannot leave an empty file. A
            batch of writes may pass False and call `os.sync()` once at its end: the
            rename is atomic either way, and one flush costs what one of ~4,000 did.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_SURROGATE = re.compile("[\ud800-\udfff]")


def write_json_atomic(path: Path, data: object) -> None:
    """JSON, written with write_bytes_atomic.

    UTF-8, except lone surrogates (the undecodable bytes of a file name, as os.fsdecode keeps
    them), which UTF-8 cannot hold: they are written as \\u escapes and read back the same.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    write_bytes_atomic(path, text.encode("utf-8"))


@contextlib.contextmanager
def file_lock(path: Path, wait: float, *, mode: int = 0o600, poll: float = 0.02) -> Iterator[None]:
    """An OS lock on `path` (released if the process dies), waiting at most `wait` seconds.

    Where the OS has no `fcntl` (Windows), nothing is locked: writes stay atomic, only not
    serialised.

    Raises (before the body runs):
        TimeoutError: another process held it for `wait` seconds.
        OSError: the lock file cannot be opened.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, mode)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{path} is locked by another process") from None
                time.sleep(poll)
        yield
    finally:
        os.close(fd)  # closing releases the lock
