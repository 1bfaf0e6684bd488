"""The wire format: each message is a 4-byte big-endian length, then that many bytes of UTF-8
JSON. A length over the limit is refused before any of it is read, so a client cannot make the
server hold more than one frame's worth of memory.
"""

from __future__ import annotations

import json
import socket
import struct
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

MAX_FRAME = 64 * 1024 * 1024  # a request carries input files (import FILE), so it is roomy
HEADER = struct.Struct(">I")


class WireError(Exception):
    """The peer sent something that is not a frame of ours; the message says what."""


class FrameTooLarge(WireError):
    pass


class Closed(WireError):
    """The peer closed the connection (cleanly between frames, or in the middle of one)."""


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Request(_Message):
    type: Literal["request"] = "request"
    id: int
    kind: str = Field(min_length=1, max_length=64)
    lang: Literal["en", "zh_CN"] = "en"  # the caller's language for the answer's messages
    payload: dict[str, Any] = Field(default_factory=dict)


class Response(_Message):
    type: Literal["response"] = "response"
    id: int
    payload: dict[str, Any] = Field(default_factory=dict)


class Error(_Message):
    """A request that failed; `code` is one of ERROR_CODES, `message` is for a person."""

    type: Literal["error"] = "error"
    id: int | None = None
    code: str
    message: str


class Event(_Message):
    """Pushed to a subscribed connection. Topics (see EVENT_TOPICS):
    - "changed": {"tickets": [ids], "event_id": newest ticket_events id}
    - "notification": {"ticket": id, "number": "SR-…", "kind": "reminder" | "escalate",
      "target": "response" | "resolution" | null, "threshold": "at_risk" | "breached" |
      "escalated" | null, "body": text, "at": ISO time, "event_id": id}
    """

    type: Literal["event"] = "event"
    topic: str
    data: dict[str, Any] = Field(default_factory=dict)


ERROR_CODES = ("bad_frame", "too_large", "unknown_kind", "refused", "failed", "internal")
EVENT_TOPICS = ("changed", "notification")
Message = Request | Response | Error | Event
_message = TypeAdapter(Request | Response | Error | Event)


def encode(message: _Message, limit: int = MAX_FRAME) -> bytes:
    body = message.model_dump_json().encode("utf-8")
    if len(body) > limit:
        raise FrameTooLarge(f"message of {len(body):,} bytes is over the {limit:,}-byte limit")
    return HEADER.pack(len(body)) + body


def send(sock: socket.socket, message: _Message, limit: int = MAX_FRAME) -> None:
    sock.sendall(encode(message, limit))


def _read_exact(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise Closed(
                "connection closed in the middle of a frame" if chunks or size != left else "closed"
            )
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame(sock: socket.socket, limit: int = MAX_FRAME) -> bytes:
    """One frame's body. Closed at a frame boundary raises Closed("closed")."""
    header = b""
    while len(header) < HEADER.size:
        chunk = sock.recv(HEADER.size - len(header))
        if not chunk:
            raise Closed("closed" if not header else "connection closed in the middle of a frame")
        header += chunk
    (size,) = HEADER.unpack(header)
    if size > limit:
        raise FrameTooLarge(f"frame of {size:,} bytes is over the {limit:,}-byte limit")
    return _read_exact(sock, size) if size else b""


def decode(body: bytes) -> Message:
    """A message from a frame's body; WireError for anything that is not one."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(f"not a JSON message: {exc}") from None
    try:
        return _message.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "message"
        raise WireError(f"not a deskui message ({where}: {first.get('msg')})") from None


def receive(sock: socket.socket, limit: int = MAX_FRAME) -> Message:
    return decode(read_frame(sock, limit))
