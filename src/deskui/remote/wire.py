"""The wire format: each message is a 4-byte big-endian length, then that many bytes of UTF-8
JSON. A length over the limit is refused before any of it is read, so a client cannot make the
server hold more than one frame's worth of memory.

Bulk data (an output or input file, a command's long output) never rides in one frame: it goes
as `Chunk` frames of at most `chunk_size(limit)` bytes each, ahead of the message they belong
to, so neither side holds more than a chunk of it.
"""

from __future__ import annotations

import base64
import binascii
import json
import socket
import struct
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    TypeAdapter,
    ValidationError,
)

MAX_FRAME = 64 * 1024 * 1024  # a request may still carry a small input file inline
HEADER = struct.Struct(">I")
CHUNK = 1 << 20  # bytes of bulk data in one Chunk frame, at most
_CHUNK_OVERHEAD = 512  # a Chunk frame's JSON around its base64 data


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


def _from_base64(value: Any) -> bytes:
    """From JSON: strict base64 text (a stray character is an error, not skipped); from
    Python: the bytes themselves."""
    if isinstance(value, bytes):
        return value
    if not isinstance(value, str):
        raise ValueError("data must be base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("data is not base64") from None


Base64Data = Annotated[
    bytes,
    PlainValidator(_from_base64),
    PlainSerializer(lambda data: base64.b64encode(data).decode("ascii"), return_type=str),
]
# What a chunk carries: "file:DEST" an output file (or, from a client, an input file) by its
# argument's name, "text:stdout" / "text:stderr" a command's printed text as UTF-8,
# "bytes:stdout" / "bytes:stderr" what it wrote to the stream's binary buffer.
CHUNK_KEY = r"^(file:[a-z][a-z0-9_]{0,31}|(text|bytes):(stdout|stderr))$"


class Chunk(_Message):
    """A piece of bulk data for request `id`; `seq` counts the pieces of each key from 0, so a
    lost or repeated piece is seen. The message it belongs to follows its last chunk."""

    type: Literal["chunk"] = "chunk"
    id: int
    key: str = Field(pattern=CHUNK_KEY)
    seq: int = Field(ge=0)
    data: Base64Data


def chunk_size(limit: int = MAX_FRAME) -> int:
    """The most bytes of data a Chunk may carry so that its frame stays within `limit`."""
    return max(1, min(CHUNK, (limit - _CHUNK_OVERHEAD) // 4 * 3))


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
Message = Request | Response | Error | Event | Chunk
_message: TypeAdapter[Message] = TypeAdapter(
    Annotated[Request | Response | Error | Event | Chunk, Field(discriminator="type")]
)


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
