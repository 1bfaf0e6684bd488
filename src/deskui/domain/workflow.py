"""Ticket workflow: which action is allowed in which status, and where it leads."""

from __future__ import annotations

from deskui.domain.enums import Category, Status, TeamKind

OPEN = frozenset(s for s in Status if s.is_open)

ALLOWED_FROM: dict[str, frozenset[Status]] = {
    "comment": frozenset(Status),
    "assign": OPEN,
    "change": OPEN,
    "pend": OPEN - {Status.PENDING_CUSTOMER},
    "resume": frozenset({Status.PENDING_CUSTOMER}),
    "escalate": OPEN,
    "extend": OPEN,
    "resolve": OPEN,
    "reopen": frozenset({Status.RESOLVED, Status.CLOSED}),
    "close": frozenset({Status.RESOLVED}),
}

DISPATCH: dict[Category, TeamKind] = {
    Category.CONSULT: TeamKind.SERVICE,
    Category.HELP: TeamKind.SERVICE,
    Category.SUGGESTION: TeamKind.PRODUCT,
    Category.COMPLAINT: TeamKind.COMPLAINTS,
    Category.REPAIR: TeamKind.ENGINEERING,
}


class WorkflowError(Exception):
    """An action that the ticket's status does not allow."""


def check(action: str, status: Status) -> None:
    if status not in ALLOWED_FROM[action]:
        raise WorkflowError(f"cannot {action} a ticket that is {status.value.replace('_', ' ')}")


def status_after_assign(status: Status, has_assignee: bool) -> Status:
    if status is Status.NEW and has_assignee:
        return Status.ASSIGNED
    return status


def status_after_response(status: Status) -> Status:
    """Talking to the customer moves new/assigned work into progress."""
    return Status.IN_PROGRESS if status in (Status.NEW, Status.ASSIGNED) else status
