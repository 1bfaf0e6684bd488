"""Repair rules (service-standards §7), with answers worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from deskui.domain.repairs import (
    FeeKind,
    FeeLine,
    PartKind,
    PartLine,
    PastRepair,
    RepairStatus,
    ReplacementCondition,
    WarrantyTerms,
    fee_totals,
    is_paid,
    money,
    normalise_fault,
    part_charged,
    repair_in_warranty,
    repeat_fault,
    replacement_check,
    work_blocked_reason,
)

TERMS = WarrantyTerms()  # 36 / 12 / 12


# -- warranty for a repair ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("purchase", "repair_day", "kind", "inside"),
    [
        # 36 months from 2023-05-10: covered through 2026-05-09
        (date(2023, 5, 10), date(2026, 5, 9), PartKind.MAIN, True),
        (date(2023, 5, 10), date(2026, 5, 10), PartKind.MAIN, False),
        (date(2023, 5, 10), date(2023, 5, 10), PartKind.MAIN, True),  # the purchase day itself
        (date(2023, 5, 10), date(2023, 5, 9), PartKind.MAIN, False),  # before the purchase
        # accessories: 12 months
        (date(2025, 1, 31), date(2026, 1, 30), PartKind.ACCESSORY, True),
        (date(2025, 1, 31), date(2026, 1, 31), PartKind.ACCESSORY, False),
        # leap-day purchase: 2025-02-29 does not exist, the anniversary rolls to 03-01
        (date(2024, 2, 29), date(2025, 2, 28), PartKind.SOFTWARE, True),
        (date(2024, 2, 29), date(2025, 3, 1), PartKind.SOFTWARE, False),
        (date(2024, 2, 29), date(2027, 2, 28), PartKind.MAIN, True),
        (date(2024, 2, 29), date(2027, 3, 1), PartKind.MAIN, False),
    ],
)
def test_repair_warranty_boundaries(
    purchase: date, repair_day: date, kind: PartKind, inside: bool
) -> None:
    assert repair_in_warranty(purchase, TERMS, repair_day, kind) is inside


def test_no_purchase_date_or_zero_months_is_out_of_warranty() -> None:
    assert repair_in_warranty(None, TERMS, date(2026, 1, 1)) is False
    no_cover = WarrantyTerms(main_months=0)
    assert repair_in_warranty(date(2026, 1, 1), no_cover, date(2026, 1, 1)) is False


def test_product_months_are_used() -> None:
    long = WarrantyTerms(main_months=60)
    assert repair_in_warranty(date(2021, 6, 1), long, date(2026, 5, 31)) is True
    assert repair_in_warranty(date(2021, 6, 1), long, date(2026, 6, 1)) is False


def test_part_charged_by_its_own_kind() -> None:
    day = date(2026, 3, 1)
    bought = date(2024, 6, 1)  # main in warranty (to 2027-05-31), accessory out (to 2025-05-31)
    board = PartLine("主板 main board", PartKind.MAIN, 1, Decimal("300"))
    charger = PartLine("充电器 charger", PartKind.ACCESSORY, 1, Decimal("49.90"))
    assert part_charged(board, bought, TERMS, day) is False
    assert part_charged(charger, bought, TERMS, day) is True
    forced = PartLine("screen", PartKind.MAIN, 1, Decimal("10"), charged=True)  # misuse damage
    assert part_charged(forced, bought, TERMS, day) is True


# -- money ----------------------------------------------------------------------------------------
def test_money_is_decimal_with_two_places_never_float() -> None:
    assert money("12.345") == Decimal("12.35")  # half up
    assert money(7) == Decimal("7.00")
    assert money(Decimal("0.1")) + money(Decimal("0.2")) == Decimal("0.30")
    with pytest.raises(TypeError):
        money(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        money("-1")
    with pytest.raises(ValueError):
        money("abc")
    with pytest.raises(ValueError):
        money("NaN")
    with pytest.raises(TypeError):
        FeeLine(FeeKind.LABOUR, 1.5)  # type: ignore[arg-type]


def test_fee_totals_by_kind() -> None:
    fees = [
        FeeLine(FeeKind.LABOUR, Decimal("120.00")),
        FeeLine(FeeKind.MATERIALS, Decimal("35.50")),
        FeeLine(FeeKind.LABOUR, Decimal("80.25")),
        FeeLine(FeeKind.TRANSPORT, Decimal("0.10")),
        FeeLine(FeeKind.TRANSPORT, Decimal("0.20")),
    ]
    totals = fee_totals(fees)
    assert totals == {
        FeeKind.LABOUR: Decimal("200.25"),
        FeeKind.MATERIALS: Decimal("35.50"),
        FeeKind.TRANSPORT: Decimal("0.30"),
        FeeKind.OTHER: Decimal("0.00"),
    }
    assert sum(totals.values()) == Decimal("236.05")


# -- quote before a paid repair --------------------------------------------------------------------
def test_quote_before_paid_repair() -> None:
    assert is_paid(True) is False
    assert is_paid(False) is True
    assert is_paid(True, quoted=True) is True
    charged = PartLine("charger", PartKind.ACCESSORY, 1, Decimal("49.90"))
    free = PartLine("cable", PartKind.ACCESSORY, 1, Decimal("0"))
    assert is_paid(True, charged_parts=[charged]) is True
    assert is_paid(True, charged_parts=[free]) is False
    assert work_blocked_reason(paid=False, quote_accepted=False) is None
    assert work_blocked_reason(paid=True, quote_accepted=True) is None
    reason = work_blocked_reason(paid=True, quote_accepted=False)
    assert reason is not None and "quote" in str(reason)


# -- repeat fault ------------------------------------------------------------------------------------
def _past(
    rid: int,
    done_on: date | None,
    *,
    code: str | None = "E21",
    diagnosis: str | None = "compressor relay burnt",
    in_warranty: bool = True,
    status: RepairStatus = RepairStatus.DONE,
) -> PastRepair:
    return PastRepair(rid, status, in_warranty, code, diagnosis, done_on)


def test_normalise_fault() -> None:
    assert normalise_fault("  Ｅ２１ ") == "e21"  # full-width
    assert normalise_fault("Compressor-relay,  BURNT!") == "compressor relay burnt"
    assert normalise_fault(None) == ""


def test_repeat_fault_within_90_days_of_an_in_warranty_repair() -> None:
    today = date(2026, 6, 30)
    history = [_past(1, date(2026, 4, 1))]  # 90 days before 2026-06-30
    found = repeat_fault(history, fault_code="e-21", diagnosis="other words", today=today)
    assert found is not None and found.repair_id == 1
    # day 91 is too late
    late = [_past(1, date(2026, 3, 31))]
    assert repeat_fault(late, fault_code="E21", diagnosis=None, today=today) is None


def test_repeat_fault_needs_same_fault_done_and_in_warranty() -> None:
    today = date(2026, 6, 30)
    day = date(2026, 6, 1)
    assert repeat_fault([_past(1, day)], fault_code="E30", diagnosis=None, today=today) is None
    paid = [_past(1, day, in_warranty=False)]
    assert repeat_fault(paid, fault_code="E21", diagnosis=None, today=today) is None
    cancelled = [_past(1, None, status=RepairStatus.CANCELLED)]
    assert repeat_fault(cancelled, fault_code="E21", diagnosis=None, today=today) is None
    # without codes on both sides, the normalised diagnoses decide
    uncoded = [_past(1, day, code=None)]
    assert (
        repeat_fault(uncoded, fault_code=None, diagnosis="Compressor relay  burnt.", today=today)
        is not None
    )
    assert repeat_fault(uncoded, fault_code=None, diagnosis="door seal", today=today) is None
    # the newest matching repair is reported
    two = [_past(1, date(2026, 5, 1)), _past(2, date(2026, 6, 10))]
    found = repeat_fault(two, fault_code="E21", diagnosis=None, today=today)
    assert found is not None and found.repair_id == 2


# -- replacement ------------------------------------------------------------------------------------
def test_replacement_conditions() -> None:
    quality = replacement_check(quality_defect=True)
    assert quality.allowed and quality.condition is ReplacementCondition.QUALITY_DEFECT
    lost = replacement_check(function_lost_after_repair=True)
    assert lost.allowed and lost.condition is ReplacementCondition.LOSS_OF_FUNCTION
    repeat = replacement_check(repeat=_past(7, date(2026, 6, 1)))
    assert repeat.allowed and repeat.condition is ReplacementCondition.REPEAT_FAULT
    assert "#7" in repeat.reason and "2026-06-01" in repeat.reason
    refused = replacement_check()
    assert not refused.allowed and refused.condition is None
    assert "no replacement condition" in refused.reason
