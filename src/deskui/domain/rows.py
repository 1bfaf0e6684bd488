"""Plain rows the store returns and every layer above reads: no SQLAlchemy in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from deskui.domain.enums import (
    Category,
    Channel,
    ComplaintType,
    EventKind,
    Priority,
    Role,
    Status,
    TeamKind,
    Tier,
)


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    ticket_id: int | None
    at: datetime
    kind: EventKind
    actor: str | None
    internal: bool
    body: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class CustomerRow:
    id: int
    name: str
    phone: str | None
    email: str | None
    region: str | None
    address: str | None
    tier: Tier


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: int
    product_model: str
    product_name: str
    serial: str
    purchase_date: date | None
    proof_of_purchase: str | None
    warranty_main_months: int
    warranty_accessory_months: int
    warranty_software_months: int


@dataclass(frozen=True, slots=True)
class AgentRow:
    id: int
    username: str
    display_name: str
    role: Role
    team_id: int | None
    team_name: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class TicketDetail:
    id: int
    number: str
    version: int
    channel: Channel
    category: Category
    complaint_type: ComplaintType | None
    priority: Priority
    tier: Tier
    status: Status
    subject: str
    description: str
    customer_request: str
    solution: str | None
    customer: CustomerRow
    device: DeviceRow | None
    team_id: int | None
    team_name: str | None
    assignee_id: int | None
    assignee_name: str | None
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    response_due_at: datetime
    response_warn_at: datetime
    resolve_due_at: datetime
    resolve_warn_at: datetime
    paused_at: datetime | None
    paused_seconds: int
    extended_seconds: int
    escalation_level: int
    first_contact_resolved: bool | None
    reopen_count: int
    events: tuple[EventRow, ...]

    @property
    def last_event_id(self) -> int:
        return self.events[-1].id if self.events else 0


@dataclass(frozen=True, slots=True)
class CallbackRow:
    id: int
    ticket_id: int
    number: str
    category: Category
    subject: str
    customer_name: str
    customer_phone: str | None
    due_at: datetime
    done_at: datetime | None
    attempts: int
    reached: bool | None
    solved: bool | None
    satisfaction: int | None
    skipped_at: datetime | None = None  # closed before the callback was made
    skip_reason: str | None = None


@dataclass(frozen=True, slots=True)
class TeamRow:
    id: int
    name: str
    kind: TeamKind


@dataclass(frozen=True, slots=True)
class ProductRow:
    id: int
    model: str
    name: str
    warranty_main_months: int
    warranty_accessory_months: int
    warranty_software_months: int


@dataclass(frozen=True, slots=True)
class Names:
    """Display names for the team and agent ids a ticket's timeline mentions."""

    teams: dict[int, str] = field(default_factory=dict)
    agents: dict[int, str] = field(default_factory=dict)
