"""ORM tables (SQLAlchemy 2 typed mapping). Timestamps are aware and stored in UTC."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from deskui.domain.enums import (
    Category,
    Channel,
    ComplaintType,
    EventKind,
    Priority,
    Role,
    SlaTarget,
    Status,
    TeamKind,
    Tier,
)
from deskui.store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = BigInteger().with_variant(Integer, "sqlite")  # SQLite needs INTEGER for a rowid key


def _enum(kind: type[StrEnum]) -> Enum:
    """Enums as short strings with a CHECK, identical on SQLite and PostgreSQL."""
    return Enum(
        kind,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        name=kind.__name__.lower(),
    )


class PriorityRank(TypeDecorator[Priority]):
    """Priority stored as its rank (0 urgent .. 2 normal) so it sorts and indexes right."""

    impl = SmallInteger
    cache_ok = True
    _by_rank = {p.rank: p for p in Priority}

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        return None if value is None else Priority(value).rank

    def process_result_value(self, value: Any, dialect: Any) -> Priority | None:
        return None if value is None else self._by_rank[value]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[TeamKind] = mapped_column(_enum(TeamKind))


class Agent(Base):
    __tablename__ = "agents"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role] = mapped_column(_enum(Role))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(60))
    address: Mapped[str | None] = mapped_column(String(200))
    tier: Mapped[Tier] = mapped_column(_enum(Tier), default=Tier.NORMAL)


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    model: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    warranty_main_months: Mapped[int] = mapped_column(SmallInteger, default=36)
    warranty_accessory_months: Mapped[int] = mapped_column(SmallInteger, default=12)
    warranty_software_months: Mapped[int] = mapped_column(SmallInteger, default=12)


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    serial: Mapped[str] = mapped_column(String(64), index=True)
    purchase_date: Mapped[date | None] = mapped_column(Date)
    proof_of_purchase: Mapped[str | None] = mapped_column(String(120))


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    category: Mapped[Category] = mapped_column(_enum(Category))
    complaint_type: Mapped[ComplaintType | None] = mapped_column(_enum(ComplaintType))
    priority: Mapped[Priority] = mapped_column(PriorityRank)
    tier: Mapped[Tier] = mapped_column(_enum(Tier))
    status: Mapped[Status] = mapped_column(_enum(Status))
    is_open: Mapped[bool] = mapped_column(Boolean)
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    customer_request: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str | None] = mapped_column(Text)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_at: Mapped[datetime | None]
    response_due_at: Mapped[datetime] = mapped_column(index=True)
    response_warn_at: Mapped[datetime]
    resolve_due_at: Mapped[datetime] = mapped_column(index=True)
    resolve_warn_at: Mapped[datetime]
    # The next target still running (response, then resolution); NULL when paused or done.
    next_due_at: Mapped[datetime | None]
    next_warn_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    extended_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    escalation_level: Mapped[int] = mapped_column(SmallInteger, default=0)
    first_contact_resolved: Mapped[bool | None] = mapped_column(Boolean)
    reopen_count: Mapped[int] = mapped_column(SmallInteger, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index(None, "is_open", "next_due_at", "id"),
        Index(None, "created_at", "id"),
        Index(None, "assignee_id", "is_open", "next_due_at"),
        Index(None, "team_id", "is_open", "next_due_at"),
        Index(None, "status", "next_due_at"),
        Index(None, "category", "is_open", "next_due_at"),
        Index(None, "tier", "is_open", "next_due_at"),
        Index(None, "priority", "is_open", "next_due_at"),
        Index(None, "channel", "is_open", "next_due_at"),
        Index(None, "is_open", "created_at", "id"),
        Index(None, "is_open", "response_warn_at"),
        Index(None, "is_open", "resolve_warn_at"),
    )
    # Every UPDATE carries "WHERE version = :loaded", so a concurrent edit is detected.
    __mapper_args__ = {"version_id_col": version}


class TicketEvent(Base):
    """Append-only timeline and audit trail; its newest id is the cheap change marker."""

    __tablename__ = "ticket_events"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    at: Mapped[datetime] = mapped_column(index=True)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind))
    internal: Mapped[bool] = mapped_column(Boolean, default=True)
    body: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]

    __table_args__ = (Index(None, "ticket_id", "id"), Index(None, "actor_id", "at"))


class Callback(Base):
    __tablename__ = "callbacks"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    reached: Mapped[bool | None] = mapped_column(Boolean)
    solved: Mapped[bool | None] = mapped_column(Boolean)
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    notes: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    # Closed before the callback was made: when, and the reason given (counts as not done).
    skipped_at: Mapped[datetime | None]
    skip_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(
            "satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="satisfaction"
        ),
        Index(None, "done_at", "due_at"),
    )


class TicketCounter(Base):
    """Last number handed out per day; bumped inside the intake transaction."""

    __tablename__ = "ticket_counters"
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class SlaNotice(Base):
    """One row per ticket, target and threshold: makes reminders happen exactly once."""

    __tablename__ = "sla_notices"
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    target: Mapped[SlaTarget] = mapped_column(_enum(SlaTarget), primary_key=True)
    threshold: Mapped[str] = mapped_column(String(16), primary_key=True)
    at: Mapped[datetime]


import deskui.store.calendar_tables  # noqa: E402  (registers the calendar tables on Base)
import deskui.store.repair_tables  # noqa: E402  (registers the repair tables on Base)
import deskui.store.site_tables  # noqa: E402,F401  (registers the site policy tables on Base)
