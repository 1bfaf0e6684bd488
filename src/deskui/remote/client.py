"""Talking to a deskui server: `connect(path).call(kind, payload)`, and `events(path)` for what
it pushes. Standard library and pydantic only (no SQLAlchemy, Alembic or services), so a client
starts fast. Every failure is a `ServerError` with a message for a person.
"""

from __future__ import annotations

import itertools
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from deskui.i18n import _
from deskui.remote import wire


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

    def _send(self, kind: str, payload: dict[str, Any]) -> int:
        request_id = next(self._ids)
        request = wire.Request(id=request_id, kind=kind, lang=self.language, payload=payload)  # type: ignore[arg-type]
        try:
            wire.send(self._sock, request)
        except wire.FrameTooLarge as exc:
            raise ServerError(str(exc), "too_large") from None
        except OSError as exc:
            raise ServerUnavailable(self.path, exc.strerror or str(exc)) from None
        return request_id

    def _receive(self) -> wire.Message:
        try:
            return wire.receive(self._sock, limit=1 << 31)
        except wire.Closed:
            raise ServerUnavailable(self.path, _("the server closed the connection")) from None
        except wire.WireError as exc:
            unreadable = _("the server's answer is not readable: {detail}")
            raise ServerError(unreadable.format(detail=exc), "bad_frame") from None
        except TimeoutError:
            raise ServerUnavailable(self.path, _("no answer in time")) from None
        except OSError as exc:
            raise ServerUnavailable(self.path, exc.strerror or str(exc)) from None

    def call(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The handler's answer; ServerError with its message when it refused or failed."""
        request_id = self._send(kind, payload)
        while True:
            answer = self._receive()
            if isinstance(answer, wire.Error):
                raise ServerError(answer.message, answer.code)
            if isinstance(answer, wire.Response) and answer.id == request_id:
                return answer.payload

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
