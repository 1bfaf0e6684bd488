"""Input schemas (pydantic): what a person or a file may hand to deskui.

Forms and imports share these rules so a ticket is valid the same way wherever it comes from.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from deskui.domain.enums import Category, Channel, ComplaintType, Priority, Status, Tier
from deskui.domain.text_safety import lookalike_digit

NUMBER_PATTERN = re.compile(r"^SR-[0-9]{8}-[0-9]{4,}$")
# An imported number: a real day, and a sequence that fits the database's integer columns.
IMPORT_NUMBER_PATTERN = re.compile(r"^SR-([0-9]{8})-([0-9]{4,8})$")
FIRST_YEAR, LAST_YEAR = 1970, 2100  # imported dates outside these years are typing errors
_BARE_NUMBER = re.compile(r"^\s*[+-]?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?\s*$")
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]


def _check_phone(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not PHONE_PATTERN.match(value):
        raise ValueError("a phone number has 5-20 digits, optionally with +, spaces or dashes")
    return value


def as_aware(value: datetime, zone: tzinfo | None) -> datetime:
    """A timestamp without an offset is read in the site's configured time zone."""
    if value.tzinfo is not None:
        return value
    if zone is None:
        raise ValueError("a time without a UTC offset needs the site time zone")
    return value.replace(tzinfo=zone)


class CustomerFields(BaseModel):
    """Who asked: the name may be anonymous, but then a contact is needed."""

    model_config = ConfigDict(extra="forbid")
    customer_name: Name = ""
    customer_phone: str | None = None
    customer_email: str | None = None
    region: Name | None = None
    tier: Tier = Tier.NORMAL

    _phone = field_validator("customer_phone")(lambda v: _check_phone(v.strip() if v else v))

    @field_validator("customer_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if not value:
            return None
        value = value.strip()
        if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", value):
            raise ValueError("not an email address")
        return value


class IntakeForm(CustomerFields):
    """Everything an agent records at intake (service-standards §1)."""

    customer_id: int | None = None
    channel: Channel
    category: Category
    complaint_type: ComplaintType | None = None
    priority: Priority
    subject: Subject
    description: Text = ""
    customer_request: Text = ""
    received_at: datetime | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    device_id: int | None = None
    product_model: Text | None = None
    serial: Text | None = None
    purchase_date: date | None = None
    proof_of_purchase: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.category is Category.COMPLAINT and self.complaint_type is None:
            raise ValueError("complaint_type: a complaint needs its sub-type")
        if self.category is not Category.COMPLAINT and self.complaint_type is not None:
            raise ValueError("complaint_type: only complaints have a sub-type")
        if self.customer_id is None and not (self.customer_name or self.customer_phone):
            raise ValueError("customer_name: give a name or a phone number (name may be anonymous)")
        if self.serial and not self.product_model and self.device_id is None:
            raise ValueError("product_model: a serial number needs the product model")
        return self


def _import_time(value: Any) -> Any:
    """Before parsing: a bare number is not taken as a Unix time, nor look-alike digits."""
    if isinstance(value, bool | int | float) or (
        isinstance(value, str) and _BARE_NUMBER.match(value)
    ):
        raise ValueError("give a date and time like 2026-11-23 10:00, not a number")
    if isinstance(value, str) and (problem := lookalike_digit(value)):
        raise ValueError(problem)
    return value


def _checked_time(value: datetime, zone: tzinfo | None) -> datetime:
    """In 1970-2100, and (without an offset) a local time that exists in the site's zone."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"the year {value.year} is outside {FIRST_YEAR}-{LAST_YEAR}")
    if value.tzinfo is None and zone is not None:
        aware = value.replace(tzinfo=zone)
        if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
            raise ValueError(
                f"{value:%Y-%m-%d %H:%M} does not exist in {zone} (the clocks were moved "
                "forward); give the time with its UTC offset"
            )
    aware = as_aware(value, zone)
    if not FIRST_YEAR <= aware.astimezone(UTC).year <= LAST_YEAR:
        raise ValueError(f"outside the years {FIRST_YEAR}-{LAST_YEAR}")
    return aware


class ImportRow(BaseModel):
    """One row of a ticket import file; times without an offset use context['tz'].

    History columns (first response, resolved, closed) let a resolved or closed ticket keep
    when it was resolved, so KPIs and reports count it; they must follow each other in time.
    """

    model_config = ConfigDict(extra="forbid")
    number: str | None = None
    created_at: datetime
    channel: Channel
    category: Category
    priority: Priority
    tier: Tier = Tier.NORMAL
    customer_name: Name = ""
    customer_phone: str | None = None
    subject: Subject
    description: Text = ""
    status: Status = Status.NEW
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None

    @field_validator("customer_phone", mode="before")
    @classmethod
    def _phone_digits(cls, value: object) -> object:
        if isinstance(value, str) and (problem := lookalike_digit(value)):
            raise ValueError(problem)
        return value

    _phone = field_validator("customer_phone")(lambda v: _check_phone(v.strip() if v else v))

    @field_validator("number")
    @classmethod
    def _number(cls, value: str | None) -> str | None:
        if not value:
            return None
        value = value.strip()
        if problem := lookalike_digit(value):
            raise ValueError(problem)
        match = IMPORT_NUMBER_PATTERN.match(value)
        if not match:
            raise ValueError(
                "a ticket number looks like SR-20261123-0042 (4 to 8 digits at the end)"
            )
        try:
            day = datetime.strptime(match.group(1), "%Y%m%d")
        except ValueError:
            raise ValueError(f"{match.group(1)} in the number is not a date") from None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(
                f"the year {day.year} in the number is outside {FIRST_YEAR}-{LAST_YEAR}"
            )
        return value

    _times_before = field_validator(
        "created_at", "first_response_at", "resolved_at", "closed_at", mode="before"
    )(_import_time)

    @field_validator("created_at", "first_response_at", "resolved_at", "closed_at")
    @classmethod
    def _aware(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None:
            return None
        return _checked_time(value, (info.context or {}).get("tz"))

    @field_validator("channel", "category", "priority", "tier", "status", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _history(self) -> Self:
        done = self.status in (Status.RESOLVED, Status.CLOSED)
        if done and self.resolved_at is None:
            raise ValueError(f"resolved_at: a {self.status.value} ticket needs resolved_at")
        if self.status is Status.CLOSED and self.closed_at is None:
            raise ValueError("closed_at: a closed ticket needs closed_at")
        if not done and self.resolved_at is not None:
            raise ValueError("resolved_at: only resolved or closed tickets have one")
        if self.status is not Status.CLOSED and self.closed_at is not None:
            raise ValueError("closed_at: only closed tickets have one")
        order = [
            ("first_response_at", self.first_response_at),
            ("resolved_at", self.resolved_at),
            ("closed_at", self.closed_at),
        ]
        for name, at in order:
            if at is not None and at < self.created_at:
                raise ValueError(f"{name}: earlier than created_at")
        if self.resolved_at and self.closed_at and self.closed_at < self.resolved_at:
            raise ValueError("closed_at: earlier than resolved_at")
        return self


IMPORT_COLUMNS: tuple[str, ...] = tuple(ImportRow.model_fields)
REQUIRED_IMPORT_COLUMNS: tuple[str, ...] = tuple(
    name for name, f in ImportRow.model_fields.items() if f.is_required()
)


class ResolveForm(BaseModel):
    """A solution must be concrete steps, not "please try again" (service-standards §5)."""

    model_config = ConfigDict(extra="forbid")
    solution: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10)]
    first_contact: bool


class CallbackForm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reached: bool
    solved: bool | None = None
    satisfaction: int | None = Field(None, ge=1, le=5)
    notes: Text = ""

    @model_validator(mode="after")
    def _reached_needs_answers(self) -> Self:
        if self.reached and self.solved is None:
            raise ValueError("solved: say whether the problem is solved")
        return self
