"""The product catalogue (models and their warranty months) and customers' devices.

`import_products` reads CSV or XLSX with the columns
`model,name,warranty_main_months,warranty_accessory_months,warranty_software_months`
(the month columns may be left out or blank: 36 / 12 / 12). Rows are matched by model:
a known model is updated, a new one added. Like the ticket import, every bad row is reported
with its line, column and reason, and nothing is written unless all rows are good (or
`skip_bad` is given).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskui.domain.actors import Action, Actor
from deskui.domain.enums import EventKind
from deskui.domain.rows import DeviceRow, ProductRow
from deskui.domain.text_safety import lookalike_digit
from deskui.domain.warranty import DEFAULT_MONTHS, PartKind, check_purchase_date
from deskui.services.context import ServiceContext
from deskui.services.errors import InvalidAction, NotFound, PermissionDenied
from deskui.services.exchange import ImportReport
from deskui.services.table_files import Columns, read_rows
from deskui.store.tables import Customer, Device, Product, TicketEvent

PRODUCT_COLUMNS: tuple[str, ...] = (
    "model",
    "name",
    "warranty_main_months",
    "warranty_accessory_months",
    "warranty_software_months",
)
REQUIRED_PRODUCT_COLUMNS = ("model", "name")
MONTH_COLUMNS = {
    "warranty_main_months": DEFAULT_MONTHS[PartKind.MAIN],
    "warranty_accessory_months": DEFAULT_MONTHS[PartKind.ACCESSORY],
    "warranty_software_months": DEFAULT_MONTHS[PartKind.SOFTWARE],
}
MAX_MONTHS = 240


@dataclass(frozen=True, slots=True)
class ProductInput:
    model: str
    name: str
    warranty_main_months: int = MONTH_COLUMNS["warranty_main_months"]
    warranty_accessory_months: int = MONTH_COLUMNS["warranty_accessory_months"]
    warranty_software_months: int = MONTH_COLUMNS["warranty_software_months"]


def _product_row(p: Product) -> ProductRow:
    return ProductRow(
        p.id,
        p.model,
        p.name,
        p.warranty_main_months,
        p.warranty_accessory_months,
        p.warranty_software_months,
    )


def _check_months(value: Any, column: str) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return MONTH_COLUMNS[column]
    if isinstance(value, bool):
        raise ValueError("must be a whole number of months")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a whole number of months")
        value = int(value)
    if problem := lookalike_digit(str(value)):
        raise ValueError(problem)
    try:
        months = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number of months") from None
    if not 0 <= months <= MAX_MONTHS:
        raise ValueError(f"must be between 0 and {MAX_MONTHS} months")
    return months


def _validate(raw: dict[str, Any]) -> tuple[ProductInput | None, list[tuple[str, str]]]:
    """(the product, or None; [(column, reason)])."""
    errors: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    for column, limit in (("model", 60), ("name", 120)):
        text = raw.get(column)
        text = "" if text is None else str(text).strip()
        if not text:
            errors.append((column, "is required"))
        elif len(text) > limit:
            errors.append((column, f"longer than {limit} characters"))
        values[column] = text
    for column in MONTH_COLUMNS:
        try:
            values[column] = _check_months(raw.get(column), column)
        except ValueError as exc:
            errors.append((column, str(exc)))
    return (None if errors else ProductInput(**values)), errors


PRODUCT_FILE = Columns(PRODUCT_COLUMNS, REQUIRED_PRODUCT_COLUMNS)


def validate_products(
    path: Path, *, encoding: str | None = None
) -> tuple[list[ProductInput], ImportReport]:
    report = ImportReport()
    good: list[ProductInput] = []
    seen: dict[str, int] = {}
    for raw in read_rows(path, PRODUCT_FILE, encoding=encoding):
        line = raw.line
        product, errors = _validate(raw.values)
        unreadable = {column for column, _ in raw.problems}
        errors = raw.problems + [(c, r) for c, r in errors if c not in unreadable]
        for column, reason in errors:
            report.add(line, column, reason)
        if product is None or errors:
            continue
        key = product.model.casefold()
        if key in seen:
            report.add(line, "model", f"{product.model} already given on line {seen[key]}")
            continue
        seen[key] = line
        good.append(product)
    return good, report


def _upsert(session: Session, item: ProductInput) -> tuple[Product, bool]:
    product = session.execute(select(Product).where(Product.model == item.model)).scalar()
    created = product is None
    if product is None:
        product = Product(model=item.model)
        session.add(product)
    product.name = item.name
    product.warranty_main_months = item.warranty_main_months
    product.warranty_accessory_months = item.warranty_accessory_months
    product.warranty_software_months = item.warranty_software_months
    session.flush()
    return product, created


def import_products(
    ctx: ServiceContext,
    actor: Actor,
    path: Path,
    skip_bad: bool = False,
    *,
    encoding: str | None = None,
) -> ImportReport:
    """Upsert the catalogue from a file; `imported` counts the rows written (new or updated)."""
    if not actor.may(Action.IMPORT):
        raise PermissionDenied("your role ({role}) may not import products", role=actor.role)
    path = Path(path)
    good, report = validate_products(path, encoding=encoding)
    if report.bad and not skip_bad:
        return report

    def work(session: Session) -> int:
        created = sum(_upsert(session, item)[1] for item in good)
        session.add(
            TicketEvent(
                ticket_id=None,
                actor_id=actor.id,
                at=ctx.now(),
                kind=EventKind.IMPORT,
                body=f"products: {path.name}",
                after={
                    "products": len(good),
                    "new": created,
                    "updated": len(good) - created,
                    "bad_rows": report.bad_lines,
                },
            )
        )
        return len(good)

    report.imported = ctx.write(work) if good else 0
    return report


def add_product(
    ctx: ServiceContext,
    actor: Actor,
    *,
    model: str,
    name: str,
    warranty_main_months: int = MONTH_COLUMNS["warranty_main_months"],
    warranty_accessory_months: int = MONTH_COLUMNS["warranty_accessory_months"],
    warranty_software_months: int = MONTH_COLUMNS["warranty_software_months"],
) -> ProductRow:
    """Add a model to the catalogue, or update the one with that model."""
    if not actor.may(Action.IMPORT):
        raise PermissionDenied(
            "your role ({role}) may not change the product catalogue", role=actor.role
        )
    item, errors = _validate(
        {
            "model": model,
            "name": name,
            "warranty_main_months": warranty_main_months,
            "warranty_accessory_months": warranty_accessory_months,
            "warranty_software_months": warranty_software_months,
        }
    )
    if item is None:
        problems = "; ".join(f"{column}: {reason}" for column, reason in errors)
        raise InvalidAction("the product is not valid: {problems}", problems=problems)
    return ctx.write(lambda session: _product_row(_upsert(session, item)[0]))


def products(ctx: ServiceContext) -> list[ProductRow]:
    with ctx.read() as session:
        return [
            _product_row(p)
            for p in session.execute(select(Product).order_by(Product.model)).scalars()
        ]


def product_by_model(ctx: ServiceContext, model: str) -> ProductRow:
    with ctx.read() as session:
        found = session.execute(select(Product).where(Product.model == model.strip())).scalar()
        if found is None:
            raise NotFound("no product model {model!r}", model=model)
        return _product_row(found)


def _device_row(device: Device, product: Product) -> DeviceRow:
    return DeviceRow(
        id=device.id,
        product_model=product.model,
        product_name=product.name,
        serial=device.serial,
        purchase_date=device.purchase_date,
        proof_of_purchase=device.proof_of_purchase,
        warranty_main_months=product.warranty_main_months,
        warranty_accessory_months=product.warranty_accessory_months,
        warranty_software_months=product.warranty_software_months,
    )


def add_device(
    ctx: ServiceContext,
    actor: Actor,
    *,
    customer_id: int,
    model: str,
    serial: str = "",
    purchase_date: date | None = None,
    proof_of_purchase: str | None = None,
) -> DeviceRow:
    """Register a customer's device of a catalogue model."""
    if not actor.may(Action.INTAKE):
        raise PermissionDenied("your role ({role}) may not register devices", role=actor.role)
    try:
        check_purchase_date(purchase_date, ctx.now().astimezone(ctx.site.zone).date())
    except ValueError as exc:
        raise InvalidAction.carrying(exc) from None

    def work(session: Session) -> DeviceRow:
        if session.get(Customer, customer_id) is None:
            raise NotFound("no customer with id {customer_id}", customer_id=customer_id)
        product = session.execute(select(Product).where(Product.model == model.strip())).scalar()
        if product is None:
            raise InvalidAction("unknown product model {model!r}", model=model)
        device = Device(
            customer_id=customer_id,
            product_id=product.id,
            serial=serial.strip(),
            purchase_date=purchase_date,
            proof_of_purchase=proof_of_purchase,
        )
        session.add(device)
        session.flush()
        return _device_row(device, product)

    return ctx.write(work)


def devices_of(ctx: ServiceContext, customer_id: int) -> list[DeviceRow]:
    with ctx.read() as session:
        return [
            _device_row(d, p)
            for d, p in session.execute(
                select(Device, Product)
                .join(Product, Product.id == Device.product_id)
                .where(Device.customer_id == customer_id)
                .order_by(Device.id)
            )
        ]
