"""Warranty (保修期) per part kind (service-standards §7). Pure: the day is passed in.

A warranty of N months bought on day D covers D up to and including the day before the
N-month anniversary. When the anniversary day does not exist in its month (a 2024-02-29
purchase + 12 months, or 01-31 + 1 month), the anniversary rolls forward to the 1st of the
next month, so the customer keeps the whole last month: 2024-02-29 + 12 months is covered
through 2025-02-28 and out of warranty from 2025-03-01.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from deskui.domain.errors import RuleError


class PartKind(StrEnum):
    MAIN = "main"  # main unit and core parts (default 3 years)
    ACCESSORY = "accessory"  # accessories (default 1 year)
    SOFTWARE = "software"  # software (default 1 year)


DEFAULT_MONTHS: dict[PartKind, int] = {
    PartKind.MAIN: 36,
    PartKind.ACCESSORY: 12,
    PartKind.SOFTWARE: 12,
}


@dataclass(frozen=True, slots=True)
class WarrantyStatus:
    kind: PartKind
    months: int
    last_day: date  # the last day still covered
    in_warranty: bool
    days_left: int  # 0 when out of warranty


def anniversary(start: date, months: int) -> date:
    """`start` moved by `months`; a day missing in the target month rolls to the next 1st."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    if start.day > calendar.monthrange(year, month)[1]:
        return date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, start.day)


def last_covered_day(purchase: date, months: int) -> date:
    """The last day in warranty (inclusive)."""
    return anniversary(purchase, months) - timedelta(days=1)


def status(kind: PartKind, purchase: date, months: int, today: date) -> WarrantyStatus:
    """In or out of warranty on `today`, with the last covered day."""
    last = last_covered_day(purchase, months)
    inside = purchase <= today <= last if months > 0 else False
    return WarrantyStatus(kind, months, last, inside, (last - today).days + 1 if inside else 0)


def statuses(
    purchase: date,
    today: date,
    *,
    main_months: int = DEFAULT_MONTHS[PartKind.MAIN],
    accessory_months: int = DEFAULT_MONTHS[PartKind.ACCESSORY],
    software_months: int = DEFAULT_MONTHS[PartKind.SOFTWARE],
) -> list[WarrantyStatus]:
    """One status per part kind, main unit first."""
    return [
        status(PartKind.MAIN, purchase, main_months, today),
        status(PartKind.ACCESSORY, purchase, accessory_months, today),
        status(PartKind.SOFTWARE, purchase, software_months, today),
    ]


def check_purchase_date(purchase: date | None, today: date) -> date | None:
    """A purchase date cannot lie in the future (it would read as "out of warranty, ended
    2030-04-30"); `today` is the site's local date."""
    if purchase is not None and purchase > today:
        raise RuleError("the purchase date {date} is in the future", date=purchase.isoformat())
    return purchase
