"""Talking to a deskui server: `connect(path).call(kind, payload)`, and `events(path)` for what
it pushes. Standard library and pydantic only (no SQLAlchemy, Alembic or services), so a client
starts fast. Every failure is a `ServerError` with a message for a person.
"""

from __future__ import annotations

import itertools
import socket
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from deskui.i18n import _
from deskui.remote import wire
from deskui.remote.chunks import Numbering, Sequence

RECEIVE_LIMIT = 1 << 31  # the largest frame taken from the server (bulk data comes in chunks)
SEND_LIMIT = wire.MAX_FRAME  # the largest frame sent; an input file goes in chunks within it
OnChunk = Callable[[str, bytes], None]


class ServerError(Exception):
    """The call did not succeed; `code` says why (see wire.ERROR_CODES, or "unavailable")."""

    def __init__(self, message: str, code: str = "failed") -> None:
        super().__init__(message)
        self.code = code


class ServerUnavailable(ServerError):
    def __init__(self, path: Path | str, reason: str) -> None:
        message = _("no deskui server answers at {path} ({reason})")
        super().__init__(message.format(path=path, reason=reason), "unavailable")


class Connection:
    """One connection; calls on it are answered one after the other."""

    def __init__(self, path: Path | str, *, language: str = "en", timeout: float | None = None):
        self.path = str(path)
        self.language = language
        self._ids = itertools.count(1)
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.settimeout(timeout)
        try:
            self._sock.connect(self.path)
        except OSError as exc:
            self._sock.close()
            raise ServerUnavailable(path, exc.strerror or str(exc)) from None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._sock.close()

    def _send(self, message: wire.Request | wire.Chunk) -> None:
        try:
            wire.send(self._sock, message, SEND_LIMIT)
        except wire.FrameTooLarge as exc:
            raise ServerError(str(exc), "too_large") from None
        except OSError as exc:
            self._refusal()  # the server may have said why it stopped reading
            raise ServerUnavailable(self.path, exc.strerror or str(exc)) from None

    def _refusal(self) -> None:
        """After a failed send: the server's Error, if it sent one before it hung up."""
        try:
            self._sock.settimeout(1.0)
            answer = wire.receive(self._sock, limit=RECEIVE_LIMIT)
        except (wire.WireError, OSError):
            return
        if isinstance(answer, wire.Error):
            raise ServerError(answer.message, answer.code)

    def _receive(self) -> wire.Message:
        try:
            return wire.receive(self._sock, limit=RECEIVE_LIMIT)
        except wire.Closed:
            raise ServerUnavailable(self.path, _("the server closed the connection")) from None
        except wire.WireError as exc:
            unreadable = _("the server's answer is not readable: {detail}")
            raise ServerError(unreadable.format(detail=exc), "bad_frame") from None
        except TimeoutError:
            raise ServerUnavailable(self.path, _("no answer in time")) from None
        except OSError as exc:
            raise ServerUnavailable(self.path, exc.strerror or str(exc)) from None

    def call(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        upload: Iterable[tuple[str, bytes]] = (),
        on_chunk: OnChunk | None = None,
    ) -> dict[str, Any]:
        """The handler's answer; ServerError with its message when it refused or failed.
        `upload` yields (chunk key, bytes) sent ahead of the request (an input file, read as
        it goes: its OSError reaches the caller as such); `on_chunk(key, data)` takes the
        answer's bulk data as it arrives, before the answer itself."""
        request_id = next(self._ids)
        numbering = Numbering()
        for key, data in upload:
            self._send(wire.Chunk(id=request_id, key=key, seq=numbering(key), data=data))
        self._send(wire.Request(id=request_id, kind=kind, lang=self.language, payload=payload))  # type: ignore[arg-type]
        sequence = Sequence()
        while True:
            answer = self._receive()
            if isinstance(answer, wire.Error):
                raise ServerError(answer.message, answer.code)
            if isinstance(answer, wire.Chunk):
                self._check(answer, request_id, sequence, on_chunk)
                on_chunk(answer.key, answer.data)  # type: ignore[misc]
            if isinstance(answer, wire.Response) and answer.id == request_id:
                return answer.payload

    @staticmethod
    def _check(
        chunk: wire.Chunk, request_id: int, sequence: Sequence, on_chunk: OnChunk | None
    ) -> None:
        try:
            if chunk.id != request_id or on_chunk is None:
                raise wire.WireError(f"a chunk for request {chunk.id}, which expects none")
            sequence.check(chunk)
        except wire.WireError as exc:
            unreadable = _("the server's answer is not readable: {detail}")
            raise ServerError(unreadable.format(detail=exc), "bad_frame") from None

    def events(self, on_subscribed: Callable[[], None] | None = None) -> Iterator[wire.Event]:
        """Subscribe this connection and yield what the server pushes, until it closes.
        Use a connection of its own for this: it answers no calls afterwards.
        `on_subscribed` runs once the server has taken the subscription."""
        self.call("subscribe", {})
        if on_subscribed is not None:
            on_subscribed()
        while True:
            try:
                message = self._receive()
            except ServerUnavailable:
                return
            if isinstance(message, wire.Event):
                yield message


def connect(path: Path | str, *, language: str = "en", timeout: float | None = None) -> Connection:
    return Connection(path, language=language, timeout=timeout)


def events(path: Path | str, *, language: str = "en") -> Iterator[wire.Event]:
    """Pushed events on a connection of their own."""
    with Connection(path, language=language) as conn:
        yield from conn.events()
