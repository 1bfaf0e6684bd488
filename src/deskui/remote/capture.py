"""A CLI command run inside the server prints and asks as it does at a terminal; what it prints
is kept for the caller, and a question it asks is sent back to the caller's terminal.

sys.stdout, sys.stderr and sys.stdin are replaced once, for the server's life, by streams that
route to the capture of the request being answered in this thread (a context variable), and to
the real streams everywhere else (the server's own log).
"""

from __future__ import annotations

import io
import sys
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import IO, Any

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
    chunks: list[tuple[str, str | bytes]] = field(default_factory=list)
    rename: dict[str, str] = field(default_factory=dict)  # temporary path -> the caller's name
    _asked: int = 0

    def write(self, stream: str, data: str | bytes) -> None:
        if data:
            self.chunks.append((stream, data))

    def shown(self, text: str) -> str:
        """`text` as the caller sees it: temporary paths named as the caller gave them."""
        for path, original in self.rename.items():
            text = text.replace(path, original)
        return text

    def transcript(self) -> str:
        return self.shown("".join(data for _, data in self.chunks if isinstance(data, str)))

    def readline(self) -> str:
        context = self.transcript()
        if self._asked < len(self.answers) and self.answers[self._asked][0] == context:
            answer = self.answers[self._asked][1]
            self._asked += 1
            return "" if answer is None else answer + "\n"  # None: the caller's stdin ended
        raise NeedsAnswer(context)


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
