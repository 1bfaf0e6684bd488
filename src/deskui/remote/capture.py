"""A CLI command run inside the server prints and asks as it does at a terminal; what it prints
is kept for the caller, and a question it asks is sent back to the caller's terminal. Past
`spill_at` bytes the output moves to a spool file, so `export` to standard output holds no
more than that in memory whatever the export's size.

sys.stdout, sys.stderr and sys.stdin are replaced once, for the server's life, by streams that
route to the capture of the request being answered in this thread (a context variable), and to
the real streams everywhere else (the server's own log).
"""

from __future__ import annotations

import io
import struct
import sys
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

SPILL_AT = 1 << 20  # bytes of output held in memory before it goes to the spool
_RECORD = struct.Struct(">cI")  # kind (o/e text, O/E bytes of stdout/stderr), length
_RECORDS = {  # a record's kind: (stream, is bytes)
    b"o": ("stdout", False),
    b"e": ("stderr", False),
    b"O": ("stdout", True),
    b"E": ("stderr", True),
}
_KINDS = {where: kind for kind, where in _RECORDS.items()}

_current: ContextVar[Capture | None] = ContextVar("deskui_capture", default=None)


class NeedsAnswer(BaseException):
    """The command asked a question that the caller has not answered yet (a BaseException, so
    the command's own `except Exception` handlers let it through)."""

    def __init__(self, context: str) -> None:
        super().__init__("the command asks a question")
        self.context = context


@dataclass
class Capture:
    """One command's output, in order, and the answers the caller gave so far: an answer counts
    only where the output before it is exactly what the caller saw when answering."""

    answers: list[tuple[str, str | None]] = field(default_factory=list)
    tty: dict[str, bool] = field(default_factory=dict)
    chunks: list[tuple[str, str | bytes]] = field(default_factory=list)  # until it spills
    rename: dict[str, str] = field(default_factory=dict)  # temporary path -> the caller's name
    spool_dir: Path | None = None  # where output past `spill_at` goes (None: it stays here)
    spill_at: int = SPILL_AT
    _asked: int = 0
    _held: int = 0
    _written: int = 0  # output items so far
    _seen: int = 0  # of which the caller saw these before it gave its last answer
    _spool: IO[bytes] | None = None

    def write(self, stream: str, data: str | bytes) -> None:
        if not data:
            return
        self._written += 1
        if self._spool is not None:
            self._record(stream, data)
            return
        self.chunks.append((stream, data))
        self._held += len(data)
        if self._held > self.spill_at and self.spool_dir is not None:
            self._spool = tempfile.TemporaryFile(dir=self.spool_dir)  # noqa: SIM115 (closed by close())
            for held in self.chunks:
                self._record(*held)
            self.chunks, self._held = [], 0

    @property
    def spilled(self) -> bool:
        return self._spool is not None

    def _record(self, stream: str, data: str | bytes) -> None:
        assert self._spool is not None
        kind = _KINDS[stream, isinstance(data, bytes)]
        if isinstance(data, str):
            data = self.shown(data).encode("utf-8")
        self._spool.write(_RECORD.pack(kind, len(data)))
        self._spool.write(data)

    def _records(self, slice_size: int) -> Iterator[tuple[int, str, bool, bytes]]:
        """(item number, stream, is bytes, a slice of at most `slice_size`) from the spool."""
        spool = self._spool
        assert spool is not None
        spool.flush()
        spool.seek(0)
        try:
            index = 0
            while header := spool.read(_RECORD.size):
                kind, left = _RECORD.unpack(header)
                stream, binary = _RECORDS[kind]
                while left:
                    data = spool.read(min(left, slice_size))
                    left -= len(data)
                    yield index, stream, binary, data
                index += 1
        finally:
            spool.seek(0, io.SEEK_END)  # where the next write goes

    def items(self) -> Iterator[tuple[str, str | bytes]]:
        """Every output item in order (text as the caller sees it, from the spool or here)."""
        if self._spool is None:
            for stream, data in self.chunks:
                yield stream, self.shown(data) if isinstance(data, str) else data
            return
        parts: list[bytes] = []
        last = None
        for index, stream, binary, data in self._records(1 << 20):
            if last is not None and index != last[0]:
                yield _item(last[1], last[2], parts)
                parts = []
            parts.append(data)
            last = (index, stream, binary)
        if last is not None:
            yield _item(last[1], last[2], parts)

    def unseen(self, size: int) -> Iterator[tuple[str, bytes]]:
        """The spooled output the caller has not seen, as (chunk key, at most `size` bytes):
        neighbouring items of one stream and kind merged."""
        key, pending = "", bytearray()
        for index, stream, binary, data in self._records(size):
            if index < self._seen:
                continue
            item_key = f"{'bytes' if binary else 'text'}:{stream}"
            if item_key != key and pending:
                yield key, bytes(pending)
                pending.clear()
            key = item_key
            pending += data
            while len(pending) >= size:
                yield key, bytes(pending[:size])
                del pending[:size]
        if pending:
            yield key, bytes(pending)

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()

    def shown(self, text: str) -> str:
        """`text` as the caller sees it: temporary paths named as the caller gave them."""
        for path, original in self.rename.items():
            text = text.replace(path, original)
        return text

    def transcript(self) -> str:
        return "".join(data for _, data in self.items() if isinstance(data, str))

    def readline(self) -> str:
        context = self.transcript()
        if self._asked < len(self.answers) and self.answers[self._asked][0] == context:
            answer = self.answers[self._asked][1]
            self._asked += 1
            self._seen = self._written
            return "" if answer is None else answer + "\n"  # None: the caller's stdin ended
        raise NeedsAnswer(context)


def _item(stream: str, binary: bool, parts: list[bytes]) -> tuple[str, str | bytes]:
    data = b"".join(parts)
    return stream, data if binary else data.decode("utf-8")


class _Bytes(io.RawIOBase):
    def __init__(self, text: _Routed) -> None:
        self.text = text

    def write(self, data: Any) -> int:
        capture = _current.get()
        if capture is None:
            return self.text.real.buffer.write(data)  # type: ignore[attr-defined, no-any-return]
        capture.write(self.text.name, bytes(data))
        return len(data)

    def writable(self) -> bool:
        return True


class _Routed(io.TextIOBase):
    def __init__(self, real: IO[str], name: str) -> None:
        super().__init__()
        self.real, self.name = real, name
        self._buffer = _Bytes(self)

    def write(self, text: str) -> int:
        capture = _current.get()
        if capture is None:
            return self.real.write(text)
        capture.write(self.name, text)
        return len(text)

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        capture = _current.get()
        return self.real.readline() if capture is None else capture.readline()

    def flush(self) -> None:
        if _current.get() is None:
            self.real.flush()

    def isatty(self) -> bool:
        capture = _current.get()
        return self.real.isatty() if capture is None else capture.tty.get(self.name, False)

    def fileno(self) -> int:
        if _current.get() is not None:  # input() then prompts through write and readline
            raise io.UnsupportedOperation("a captured stream has no file descriptor")
        return self.real.fileno()

    def readable(self) -> bool:
        return self.name == "stdin"

    def writable(self) -> bool:
        return self.name != "stdin"

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    @property
    def buffer(self) -> Any:
        return self._buffer


def install() -> None:
    """Route the process's standard streams through captures (idempotent)."""
    if not isinstance(sys.stdout, _Routed):
        sys.stdout = _Routed(sys.stdout, "stdout")
    if not isinstance(sys.stderr, _Routed):
        sys.stderr = _Routed(sys.stderr, "stderr")
    if not isinstance(sys.stdin, _Routed) and sys.stdin is not None:
        sys.stdin = _Routed(sys.stdin, "stdin")


class capturing:
    """`with capturing(capture):` routes this thread's prints and questions to `capture`."""

    def __init__(self, capture: Capture) -> None:
        self.capture = capture

    def __enter__(self) -> Capture:
        install()
        self._token = _current.set(self.capture)
        return self.capture

    def __exit__(self, *_: object) -> None:
        _current.reset(self._token)
