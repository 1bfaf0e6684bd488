"""Keep a ticket's stored SLA columns true to the policy, its pauses and extensions.

Due and warning instants are stored so "at risk", "breached" and the queue sort are index
range scans; they are recomputed here whenever something that feeds them changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from deskui.domain.sla import SlaPolicy, extended
from deskui.store.tables import Ticket


def apply_targets(policy: SlaPolicy, ticket: Ticket) -> None:
    """(Re)compute response and resolution due/warn instants from the ticket's attributes."""
    ticket.is_open = ticket.status.is_open
    for name, value in due_columns(policy, ticket).items():
        setattr(ticket, name, value)


def due_columns(policy: SlaPolicy, row: Any) -> dict[str, datetime | None]:
    """The stored SLA instants a ticket (or a plain row with its fields) should have: used by
    `apply_targets` and by the set-based recomputation after a calendar change."""
    due = policy.due_times(row.priority, row.category, row.tier, row.created_at)
    shift = timedelta(seconds=(row.paused_seconds or 0) + (row.extended_seconds or 0))
    resolve_due, resolve_warn, _calendar = extended(policy, due, shift)
    values: dict[str, datetime | None] = {
        "response_due_at": due.response_due,
        "response_warn_at": due.response_warn,
        "resolve_due_at": resolve_due,
        "resolve_warn_at": resolve_warn,
    }
    if not row.status.is_open:
        values["next_due_at"] = values["next_warn_at"] = None
    elif row.first_response_at is None:
        values["next_due_at"], values["next_warn_at"] = due.response_due, due.response_warn
    elif row.paused_at is not None:
        values["next_due_at"] = values["next_warn_at"] = None
    else:
        values["next_due_at"], values["next_warn_at"] = resolve_due, resolve_warn
    return values


def refresh_next(ticket: Ticket) -> None:
    """The target still running: response until first response, then resolution."""
    ticket.is_open = ticket.status.is_open
    if not ticket.is_open:
        ticket.next_due_at = ticket.next_warn_at = None
    elif ticket.first_response_at is None:
        ticket.next_due_at, ticket.next_warn_at = ticket.response_due_at, ticket.response_warn_at
    elif ticket.paused_at is not None:
        ticket.next_due_at = ticket.next_warn_at = None
    else:
        ticket.next_due_at, ticket.next_warn_at = ticket.resolve_due_at, ticket.resolve_warn_at


def paused_business_seconds(policy: SlaPolicy, ticket: Ticket, until: datetime) -> int:
    """Business time that passed while the ticket waited on the customer."""
    if ticket.paused_at is None:
        return 0
    due = policy.due_times(ticket.priority, ticket.category, ticket.tier, ticket.created_at)
    calendar = policy.resolution_calendar(due)
    return int(calendar.elapsed(ticket.paused_at, until).total_seconds())
