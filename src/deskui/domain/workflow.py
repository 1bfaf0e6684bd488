"""Ticket workflow: which action is allowed in which status, and where it leads."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from deskui.domain.calendar import Calendar
from deskui.domain.enums import Category, Status, TeamKind
from deskui.domain.errors import N_, RuleError

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


# What each action's refusal says, a whole sentence each ({status} is named in the language).
REFUSED: dict[str, str] = {
    "comment": N_("cannot comment on a ticket that is {status}"),
    "assign": N_("cannot assign a ticket that is {status}"),
    "change": N_("cannot change a ticket that is {status}"),
    "pend": N_("cannot put a ticket that is {status} on hold for the customer"),
    "resume": N_("cannot resume a ticket that is {status}"),
    "escalate": N_("cannot escalate a ticket that is {status}"),
    "extend": N_("cannot extend a ticket that is {status}"),
    "resolve": N_("cannot resolve a ticket that is {status}"),
    "reopen": N_("cannot reopen a ticket that is {status}"),
    "close": N_("cannot close a ticket that is {status}"),
}


class WorkflowError(RuleError):
    """An action that the ticket's status does not allow."""


def check(action: str, status: Status) -> None:
    if status not in ALLOWED_FROM[action]:
        raise WorkflowError(REFUSED[action], status=status)


def status_after_assign(status: Status, has_assignee: bool) -> Status:
    if status is Status.NEW and has_assignee:
        return Status.ASSIGNED
    return status


def status_after_response(status: Status) -> Status:
    """Talking to the customer moves new/assigned work into progress."""
    return Status.IN_PROGRESS if status in (Status.NEW, Status.ASSIGNED) else status


# -- first-contact resolution -------------------------------------------------------------------
def first_contact(claimed: bool, reopen_count: int) -> bool:
    """一次性解决 means solved without the customer coming back: a ticket that was ever
    reopened cannot be claimed as solved at first contact."""
    if claimed and reopen_count > 0:
        raise WorkflowError(
            "a reopened ticket cannot be solved at first contact (一次性解决): answer no"
        )
    return claimed


# -- callbacks (回访) ---------------------------------------------------------------------------
CallbackStep = Literal["retry", "close", "reopen", "none"]


def close_reason(pending_callback: bool, reason: str) -> str:
    """Closing before the callback is made needs a reason (it is recorded on the callback and
    counts as not done in the callback completion KPI)."""
    reason = reason.strip()
    if pending_callback and not reason:
        raise WorkflowError(
            "the callback (回访) has not been made: closing before it needs a reason"
        )
    return reason


def after_callback(status: Status, *, reached: bool, solved: bool | None) -> CallbackStep:
    """What a recorded callback does to its ticket: not reached → retry later; solved → close
    (unless already closed: "Closed" is logged once); not solved → reopen."""
    if not reached:
        return "retry"
    if solved:
        return "none" if status is Status.CLOSED else "close"
    return "reopen"


def callback_retry_at(now: datetime, retry_hours: float, calendar: Calendar) -> datetime:
    """When to call again: `retry_hours` on, moved to the next working instant of the business
    calendar when that falls outside working hours (nobody calls customers at 20:16)."""
    return calendar.next_working(now + timedelta(hours=retry_hours))
