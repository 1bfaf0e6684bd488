"""An output file the server sends in chunks: written to a hidden temporary file beside the
caller's file and renamed onto it only when all of it has arrived, so a transfer that fails
half-way never leaves half a file under the caller's name (nor harms the file that was there).

The file gets the mode a plain write would have given it: an existing file keeps its mode, a
new one gets 0666 less the caller's umask. A name that is not a regular file (`/dev/stdout`, a
FIFO) is written straight through, as before. Standard library only (the client's side).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path
from typing import BinaryIO


class PendingFile:
    """Opened before the command runs (a folder that does not exist fails at once)."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.size = 0
        real = Path(os.path.realpath(target))  # a symlink's file is written, as before
        try:
            existing: os.stat_result | None = real.stat()
        except FileNotFoundError:
            existing = None
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            self._final, self._part = real, None
            self._handle: BinaryIO = real.open("wb")
            return
        try:
            self._part, fd = _create_beside(real)
        except OSError as exc:  # named as the caller named it, not as the hidden file
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        self._final = real
        try:
            if existing is not None:
                os.fchmod(fd, stat.S_IMODE(existing.st_mode))
            self._handle = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            self._part.unlink(missing_ok=True)
            raise

    def write(self, data: bytes) -> None:
        try:
            self._handle.write(data)
        except OSError as exc:  # the disk is full: name the caller's file
            raise OSError(exc.errno, exc.strerror, str(self.target)) from None
        self.size += len(data)

    def commit(self) -> None:
        """Put the complete file under the caller's name."""
        self._handle.close()
        if self._part is not None:
            os.replace(self._part, self._final)
            self._part = None

    def discard(self) -> None:
        """Drop what arrived; the caller's name is left as it was."""
        with contextlib.suppress(OSError):
            self._handle.close()
        if self._part is not None:
            self._part.unlink(missing_ok=True)
            self._part = None


def _create_beside(real: Path) -> tuple[Path, int]:
    """A new hidden file in the target's folder, mode 0666 less the umask (as open() gives)."""
    while True:
        part = real.with_name(f".{real.name}.{secrets.token_hex(4)}.part")
        try:
            return part, os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
