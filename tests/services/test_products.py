"""Product catalogue import (CSV/XLSX, upsert by model) and devices."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from deskui.domain.actors import Actor
from deskui.domain.enums import Role
from deskui.services.accounts import add_agent
from deskui.services.context import ServiceContext
from deskui.services.errors import InvalidAction, PermissionDenied
from deskui.services.products import (
    add_device,
    add_product,
    import_products,
    product_by_model,
    products,
)
from deskui.services.table_files import ImportFileError
from deskui.services.tickets import TicketService

GOOD_AND_BAD = (
    "model,name,warranty_main_months,warranty_accessory_months,warranty_software_months\n"
    "AC-100,Air conditioner,36,12,12\n"  # line 2
    "FR-200,Fridge,,,\n"  # line 3: defaults
    ",No model,36,12,12\n"  # line 4: model missing
    "WM-300,Washer,abc,12,-1\n"  # line 5: two bad columns
    "ac-100,Duplicate,36,12,12\n"  # line 6: model given twice (case-insensitive)
    "\n"
    "TV-400,Television,24,6,6\n"  # line 8
)


def _csv(tmp_path: Path, text: str, name: str = "products.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_rows_reported_and_nothing_written(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    report = import_products(ctx, admin, _csv(tmp_path, GOOD_AND_BAD))
    assert report.imported == 0
    assert [str(b) for b in report.bad] == [
        "line 4: model: is required",
        "line 5: warranty_main_months: 'abc' is not a whole number of months",
        "line 5: warranty_software_months: must be between 0 and 240 months",
        "line 6: model: ac-100 already given on line 2",
    ]
    assert report.bad_lines == 3
    assert products(ctx) == []


def test_skip_bad_imports_the_good_rows_with_defaults(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    report = import_products(ctx, admin, _csv(tmp_path, GOOD_AND_BAD), skip_bad=True)
    assert report.imported == 3
    assert [
        (p.model, p.warranty_main_months, p.warranty_accessory_months) for p in products(ctx)
    ] == [
        ("AC-100", 36, 12),
        ("FR-200", 36, 12),
        ("TV-400", 24, 6),
    ]


def test_import_upserts_by_model(ctx: ServiceContext, admin: Actor, tmp_path: Path) -> None:
    add_product(ctx, admin, model="AC-100", name="Old name", warranty_main_months=12)
    report = import_products(
        ctx, admin, _csv(tmp_path, "model,name,warranty_main_months\nAC-100,Air conditioner,60\n")
    )
    assert report.imported == 1 and not report.bad
    found = product_by_model(ctx, "AC-100")
    assert (found.name, found.warranty_main_months, found.warranty_software_months) == (
        "Air conditioner",
        60,
        12,
    )
    assert len(products(ctx)) == 1


def test_xlsx_import(ctx: ServiceContext, admin: Actor, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Model", "Name", "warranty_main_months"])
    sheet.append(["AC-100", "Air conditioner", 36])
    sheet.append(["FR-200", "Fridge", 24.5])  # line 3: not whole
    path = tmp_path / "products.xlsx"
    book.save(path)
    report = import_products(ctx, admin, path, skip_bad=True)
    assert report.imported == 1
    assert [str(b) for b in report.bad] == [
        "line 3: warranty_main_months: must be a whole number of months"
    ]


def test_file_errors_and_permissions(ctx: ServiceContext, admin: Actor, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="unknown column"):
        import_products(ctx, admin, _csv(tmp_path, "model,name,colour\nA,B,red\n"))
    with pytest.raises(ImportFileError, match="missing required column"):
        import_products(ctx, admin, _csv(tmp_path, "model\nA\n"))
    with pytest.raises(ImportFileError, match=r"only \.csv"):
        import_products(ctx, admin, _csv(tmp_path, "x", name="p.pdf"))
    agent = add_agent(ctx, "agent1", role=Role.AGENT, team="Customer Service")
    with pytest.raises(PermissionDenied):
        import_products(ctx, agent, _csv(tmp_path, "model,name\nA,B\n"))
    with pytest.raises(InvalidAction, match="warranty_main_months"):
        add_product(ctx, admin, model="X", name="Y", warranty_main_months=-3)


def test_add_device(ctx: ServiceContext, admin: Actor) -> None:
    from deskui.domain.enums import Category, Channel, Priority
    from deskui.domain.schemas import IntakeForm

    add_product(ctx, admin, model="AC-100", name="Air conditioner", warranty_accessory_months=24)
    ticket = TicketService(ctx).intake(
        admin,
        IntakeForm(
            customer_name="王芳",
            customer_phone="13812345678",
            channel=Channel.PHONE,
            category=Category.REPAIR,
            priority=Priority.NORMAL,
            subject="new device",
        ),
    )
    device = add_device(
        ctx,
        admin,
        customer_id=ticket.customer.id,
        model="AC-100",
        serial=" SN-9 ",
        purchase_date=date(2026, 1, 2),
    )
    assert (device.product_model, device.serial, device.warranty_accessory_months) == (
        "AC-100",
        "SN-9",
        24,
    )
    with pytest.raises(InvalidAction, match="unknown product model"):
        add_device(ctx, admin, customer_id=ticket.customer.id, model="NOPE")
    with pytest.raises(InvalidAction, match="future"):
        add_device(
            ctx,
            admin,
            customer_id=ticket.customer.id,
            model="AC-100",
            purchase_date=date(2027, 1, 1),
        )
