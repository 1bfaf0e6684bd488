"""Errors a service call reports to its caller, each with a message a person can act on."""

from __future__ import annotations

from deskui.domain.rows import EventRow


class ServiceError(Exception):
    """Base class: the message is shown to the user as it is."""


class NotFound(ServiceError):
    pass


class PermissionDenied(ServiceError):
    pass


class InvalidAction(ServiceError):
    """The ticket's state does not allow this action."""


class DatabaseUnavailable(ServiceError):
    """The database could not be read or written (disk full, read-only, locked, connection
    lost, corrupt): nothing was saved, and the caller keeps what the user typed."""

    MESSAGE = "the database could not be used: {detail}; nothing was saved"

    def __init__(self, detail: str) -> None:
        super().__init__(self.MESSAGE.format(detail=detail))
        self.detail = detail


class Conflict(ServiceError):
    """Another agent changed the ticket since it was loaded; nothing was written."""

    def __init__(
        self, ticket_id: int, expected: int, current: int, changes: list[EventRow]
    ) -> None:
        who = ", ".join(sorted({c.actor or "system" for c in changes})) or "another agent"
        super().__init__(
            f"ticket changed by {who} since you opened it (version {expected} → {current})"
        )
        self.ticket_id = ticket_id
        self.expected = expected
        self.current = current
        self.changes = changes


class CallbackRecorded(Conflict):
    """Someone else recorded this callback (or an attempt at it) since it was loaded."""

    def __init__(self, ticket_id: int, by: str, version: int) -> None:
        Exception.__init__(
            self, f"this callback was just recorded by {by}; reload the callback list"
        )
        self.ticket_id = ticket_id
        self.expected = version
        self.current = version
        self.changes = []
