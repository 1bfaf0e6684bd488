"""Errors a service call reports to its caller, each with a message a person can act on.

They live in the domain so that a desk talking to a server (no SQLAlchemy, no services)
catches the same classes; `deskui.services.errors` re-exports them. Each carries its message
as a catalogue id and parameters (`message_id`, `params`), translated where it is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from deskui.domain.rows import EventRow


def N_(message: str) -> str:
    return message


class RuleError(ValueError):
    """A rule of the domain says no (a date in the future, an action the status forbids), as a
    message id and its parameters, so the service that raises it on keeps the user's language.
    A ValueError, so pydantic validators report it as they do any other."""

    def __init__(self, message_id: str, /, **params: object) -> None:
        self.message_id = message_id
        self.params = params
        super().__init__(message_id.format(**params) if params else message_id)


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

    @classmethod
    def carrying(cls, problem: BaseException) -> Self:
        """This error with `problem`'s message: its id and parameters when it has them (a
        `RuleError`, a ServiceError), else its text as it is."""
        message_id = getattr(problem, "message_id", None)
        if isinstance(message_id, str) and message_id:
            return cls(message_id, **dict(getattr(problem, "params", None) or {}))
        return cls("{detail}", detail=str(problem))


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


class ServerUnavailable(ServiceError):
    """The deskui server could not be reached (not running, restarting, connection lost):
    nothing was saved, and the desk keeps what the user typed until it is back."""

    MESSAGE = N_("the deskui server could not be reached: {detail}; nothing was saved")

    def __init__(self, detail: str) -> None:
        super().__init__(self.MESSAGE, detail=detail)
        self.detail = detail


class BadRequest(ServiceError):
    """A call the API does not offer, or whose parameters do not fit it (a client bug or a
    version mismatch, never the user's input)."""


class ReportError(ServiceError):
    """A report request the user can fix (a malformed month, quarter or week)."""


class CalendarConflict(ServiceError):
    """The calendar changed between showing the changes and applying them."""
