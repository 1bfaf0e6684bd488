"""Input schemas (pydantic): what a person or a file may hand to deskui.

Forms and imports share these rules so a ticket is valid the same way wherever it comes from.
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from typing import Annotated, Self

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

NUMBER_PATTERN = re.compile(r"^SR-\d{8}-\d{4,}$")
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


class ImportRow(BaseModel):
    """One row of a ticket import file; `created_at` without offset uses context['tz']."""

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

    _phone = field_validator("customer_phone")(lambda v: _check_phone(v.strip() if v else v))

    @field_validator("number")
    @classmethod
    def _number(cls, value: str | None) -> str | None:
        if not value:
            return None
        value = value.strip()
        if not NUMBER_PATTERN.match(value):
            raise ValueError("a ticket number looks like SR-20261123-0042")
        return value

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime, info: ValidationInfo) -> datetime:
        zone = (info.context or {}).get("tz")
        return as_aware(value, zone)

    @field_validator("channel", "category", "priority", "tier", "status", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


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
