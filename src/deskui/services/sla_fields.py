"""Keep a ticket's stored SLA columns true to the policy, its pauses and extensions.

Due and warning instants are stored so "at risk", "breached" and the queue sort are index
range scans; they are recomputed here whenever something that feeds them changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from deskui.domain.sla import SlaPolicy, extended
from deskui.store.tables import Ticket


def apply_targets(policy: SlaPolicy, ticket: Ticket) -> None:
    """(Re)compute response and resolution due/warn instants from the ticket's attributes."""
    due = policy.due_times(ticket.priority, ticket.category, ticket.tier, ticket.created_at)
    ticket.response_due_at = due.response_due
    ticket.response_warn_at = due.response_warn
    shift = timedelta(seconds=(ticket.paused_seconds or 0) + (ticket.extended_seconds or 0))
    ticket.resolve_due_at, ticket.resolve_warn_at, _ = extended(policy, due, shift)
    refresh_next(ticket)


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
