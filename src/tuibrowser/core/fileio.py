"""Crash-safe file writing, shared by the index store, the user's state and import."""

from __future__ import annotations

import json
import os
import re
import tempfile
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
