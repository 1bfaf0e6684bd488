"""Errors a service call reports to its caller, each with a message a person can act on."""

from __future__ import annotations

from deskui.domain.rows import EventRow
from deskui.i18n import N_


class ServiceError(Exception):
    """Base class: a message a person can act on, as an id and its parameters.

    `message_id` is the English template (the catalogue id) and `params` fill its
    `{placeholders}`: `str(exc)` is the English text, `deskui.i18n.describe(exc)` the text in
    the user's language. Both attributes travel as they are (a server sends them to its client).
    """

    def __init__(self, message_id: str = "", /, **params: object) -> None:
        self.message_id = message_id
        self.params = params
        super().__init__(message_id.format(**params) if params else message_id)


class NotFound(ServiceError):
    pass


class PermissionDenied(ServiceError):
    pass


class InvalidAction(ServiceError):
    """The ticket's state does not allow this action."""


class DatabaseUnavailable(ServiceError):
    """The database could not be read or written (disk full, read-only, locked, connection
    lost, corrupt): nothing was saved, and the caller keeps what the user typed."""

    MESSAGE = N_("the database could not be used: {detail}; nothing was saved")

    def __init__(self, detail: str) -> None:
        super().__init__(self.MESSAGE, detail=detail)
        self.detail = detail


class Conflict(ServiceError):
    """Another agent changed the ticket since it was loaded; nothing was written."""

    def __init__(
        self, ticket_id: int, expected: int, current: int, changes: list[EventRow]
    ) -> None:
        who = ", ".join(sorted({c.actor or "system" for c in changes}))
        if who:
            super().__init__(
                N_("ticket changed by {who} since you opened it (version {expected} → {current})"),
                who=who,
                expected=expected,
                current=current,
            )
        else:
            super().__init__(
                N_(
                    "ticket changed by someone else since you opened it "
                    "(version {expected} → {current})"
                ),
                expected=expected,
                current=current,
            )
        self.ticket_id = ticket_id
        self.expected = expected
        self.current = current
        self.changes = changes


class CallbackRecorded(Conflict):
    """Someone else recorded this callback (or an attempt at it) since it was loaded."""

    def __init__(self, ticket_id: int, by: str, version: int) -> None:
        ServiceError.__init__(
            self, N_("this callback was just recorded by {by}; reload the callback list"), by=by
        )
        self.ticket_id = ticket_id
        self.expected = version
        self.current = version
        self.changes = []
