"""The service errors, defined in `deskui.domain.errors` (a client desk catches them without
importing the services); re-exported here for the services and the CLI."""

from __future__ import annotations

from deskui.domain.errors import (
    BadRequest,
    CallbackRecorded,
    Conflict,
    DatabaseUnavailable,
    InvalidAction,
    NotFound,
    PermissionDenied,
    ServerUnavailable,
    ServiceError,
)

__all__ = [
    "BadRequest",
    "CallbackRecorded",
    "Conflict",
    "DatabaseUnavailable",
    "InvalidAction",
    "NotFound",
    "PermissionDenied",
    "ServerUnavailable",
    "ServiceError",
]
