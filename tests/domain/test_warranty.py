"""Warranty end dates and boundaries (service-standards §7)."""

from __future__ import annotations

from datetime import date

import pytest

from deskui.domain.warranty import (
    PartKind,
    anniversary,
    last_covered_day,
    status,
    statuses,
)


def test_last_day_in_and_first_day_out() -> None:
    purchase = date(2025, 3, 10)
    assert last_covered_day(purchase, 12) == date(2026, 3, 9)
    assert status(PartKind.ACCESSORY, purchase, 12, date(2026, 3, 9)).in_warranty
    assert status(PartKind.ACCESSORY, purchase, 12, date(2026, 3, 9)).days_left == 1
    out = status(PartKind.ACCESSORY, purchase, 12, date(2026, 3, 10))
    assert not out.in_warranty
    assert out.days_left == 0


def test_purchase_day_itself_is_covered_and_before_it_is_not() -> None:
    purchase = date(2025, 3, 10)
    assert status(PartKind.MAIN, purchase, 36, purchase).in_warranty
    assert not status(PartKind.MAIN, purchase, 36, date(2025, 3, 9)).in_warranty


def test_leap_day_purchase_plus_twelve_months() -> None:
    purchase = date(2024, 2, 29)
    assert anniversary(purchase, 12) == date(2025, 3, 1)
    assert last_covered_day(purchase, 12) == date(2025, 2, 28)
    assert status(PartKind.SOFTWARE, purchase, 12, date(2025, 2, 28)).in_warranty
    assert not status(PartKind.SOFTWARE, purchase, 12, date(2025, 3, 1)).in_warranty


def test_leap_day_purchase_plus_forty_eight_months_lands_on_a_leap_day() -> None:
    purchase = date(2024, 2, 29)
    assert anniversary(purchase, 48) == date(2028, 2, 29)
    assert last_covered_day(purchase, 48) == date(2028, 2, 28)


def test_month_end_rolls_forward() -> None:
    assert anniversary(date(2025, 1, 31), 1) == date(2025, 3, 1)
    assert last_covered_day(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert anniversary(date(2025, 12, 31), 12) == date(2026, 12, 31)
    assert anniversary(date(2025, 11, 30), 3) == date(2026, 3, 1)


def test_statuses_per_part_kind_with_defaults() -> None:
    result = statuses(date(2024, 6, 1), date(2026, 11, 23))
    assert [s.kind for s in result] == [PartKind.MAIN, PartKind.ACCESSORY, PartKind.SOFTWARE]
    assert [s.in_warranty for s in result] == [True, False, False]
    assert result[0].last_day == date(2027, 5, 31)
    assert result[1].last_day == date(2025, 5, 31)


def test_zero_months_is_never_covered_and_negative_is_refused() -> None:
    assert not status(PartKind.SOFTWARE, date(2025, 1, 1), 0, date(2025, 1, 1)).in_warranty
    with pytest.raises(ValueError):
        anniversary(date(2025, 1, 1), -1)
