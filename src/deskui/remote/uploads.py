"""Input files a client streams ahead of its request (`import FILE`): written to a private
folder as their chunks arrive, so the server holds one chunk in memory whatever the file's
size, and removed once that request is answered. `uploaded(key)` is where a handler finds them.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from deskui.remote import wire
from deskui.remote.chunks import Sequence

MAX_UPLOAD = 2 * 1024**3  # bytes of input files one request may stream, in all

_current: ContextVar[Mapping[str, Path] | None] = ContextVar("deskui_uploads", default=None)


class UploadRefused(wire.WireError):
    """The chunks cannot be taken; `code` is "too_large" or "bad_frame"."""

    def __init__(self, message: str, code: str = "bad_frame") -> None:
        super().__init__(message)
        self.code = code


class Uploads:
    """One connection's uploads for the request that follows them."""

    def __init__(self, cap: int = MAX_UPLOAD) -> None:
        self.cap = cap
        self._folder: Path | None = None
        self.clear()

    def add(self, chunk: wire.Chunk) -> None:
        if not chunk.key.startswith("file:"):
            raise UploadRefused(f"a client sends files, not {chunk.key}")
        if self._request not in (None, chunk.id):
            raise UploadRefused(
                f"chunks for request {chunk.id} came before request {self._request}"
            )
        try:
            self._sequence.check(chunk)
        except wire.WireError as exc:
            raise UploadRefused(str(exc)) from None
        self._total += len(chunk.data)
        if self._total > self.cap:
            raise UploadRefused(
                f"the input files are over the server's {self.cap:,}-byte limit", "too_large"
            )
        self._request = chunk.id
        path = self._files.get(chunk.key)
        if path is None:
            if self._folder is None:
                self._folder = Path(tempfile.mkdtemp(prefix="deskui-upload-"))
            path = self._files[chunk.key] = self._folder / chunk.key.removeprefix("file:")
        with path.open("ab") as handle:
            handle.write(chunk.data)

    @contextmanager
    def serving(self, request_id: int) -> Iterator[None]:
        """While request `request_id` is answered, `uploaded` finds the files sent for it;
        afterwards they are gone."""
        token = _current.set(dict(self._files) if self._request == request_id else {})
        try:
            yield
        finally:
            _current.reset(token)
            self.clear()

    def clear(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
        self._folder = None
        self._files: dict[str, Path] = {}
        self._request: int | None = None
        self._total = 0
        self._sequence = Sequence()


def uploaded(key: str) -> Path | None:
    """The file the caller streamed as `key` ("file:DEST") for the request being answered."""
    return (_current.get() or {}).get(key)
