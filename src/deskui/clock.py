"""The one place deskui reads the real clock: the default `clock` of a desk or a service
context. Everything else is handed a clock, so tests can freeze or move it."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
