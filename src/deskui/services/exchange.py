"""Import and export of tickets as CSV, JSON or XLSX.

Imports validate every row with pydantic first and write nothing unless all rows are good
(or `skip_bad` is given); writes are bulk inserts so 100k rows take seconds, not minutes.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from deskui.domain.actors import Action, Actor
from deskui.domain.enums import EventKind, Status
from deskui.domain.privacy import mask_phone
from deskui.domain.schemas import IMPORT_COLUMNS, REQUIRED_IMPORT_COLUMNS, ImportRow
from deskui.domain.text_safety import (
    FORMULA_TRIGGERS,
    json_escape_unsafe,
    neutralise_formula,
    xlsx_text,
)
from deskui.domain.workflow import DISPATCH
from deskui.services.audit import refuse
from deskui.services.context import ServiceContext
from deskui.services.errors import ServiceError
from deskui.services.table_files import Columns, read_rows
from deskui.store.tables import Customer, Team, Ticket, TicketCounter, TicketEvent

EXPORT_COLUMNS: tuple[str, ...] = (
    "number",
    "created_at",
    "channel",
    "category",
    "complaint_type",
    "priority",
    "tier",
    "status",
    "customer_name",
    "customer_phone",
    "subject",
    "description",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "response_due_at",
    "resolve_due_at",
    "escalation_level",
)
# Export-only columns an import accepts and ignores: they are recomputed from the rules.
DERIVED_COLUMNS = frozenset(EXPORT_COLUMNS) - frozenset(IMPORT_COLUMNS)
CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.reason}"


MAX_REPORTED = 1_000  # problems kept for the report; the count goes on


@dataclass
class ImportReport:
    """What an import found: bad rows (each with line, column and reason; the first
    `MAX_REPORTED` kept), warnings that did not stop a row, and how many were imported."""

    imported: int = 0
    bad: list[BadRow] = field(default_factory=list)
    warnings: list[BadRow] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    _lines: set[int] = field(default_factory=set, repr=False)
    more: int = 0

    def add(self, line: int, column: str, reason: str) -> None:
        self._lines.add(line)
        if len(self.bad) < MAX_REPORTED:
            self.bad.append(BadRow(line, column, reason))
        else:
            self.more += 1

    @property
    def bad_lines(self) -> int:
        return len(self._lines) or len({b.line for b in self.bad})


# -- reading files --------------------------------------------------------------------------
TICKET_COLUMNS = Columns(
    IMPORT_COLUMNS, REQUIRED_IMPORT_COLUMNS, DERIVED_COLUMNS, frozenset({"description"})
)
_NUMBER_COLUMNS = ("number", "customer_phone")
_TEXT_COLUMNS = ("subject", "description", "customer_name")


def _phone_from_number(value: int | float) -> str:
    """A phone a spreadsheet stored as a number: taken only when nothing can have been lost
    (a whole 11-digit mobile number starting with 1); a leading 0 or + is gone otherwise."""
    if isinstance(value, float) and not value.is_integer():
        raise ValueError("stored as a number with a fraction; format the column as text")
    digits = str(int(value))
    if len(digits) == 11 and digits.startswith("1"):
        return digits
    raise ValueError(
        f"stored as the number {digits}, which may have lost a leading 0 or +; format the "
        "column as text and type the number again"
    )


def _clean(raw: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Cells as the schema takes them, and (column, reason) for those it cannot."""
    data: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for key, value in raw.items():
        if key in DERIVED_COLUMNS or not key:
            continue
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                continue
        elif (
            key == "customer_phone"
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            try:
                value = _phone_from_number(value)
            except ValueError as exc:
                problems.append((key, str(exc)))
                continue
        elif (
            key in _TEXT_COLUMNS and isinstance(value, int | float) and not isinstance(value, bool)
        ):
            # A spreadsheet turns a typed "123" into a number; as text it is what was typed.
            value = (
                str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
            )
        elif key in _NUMBER_COLUMNS and not isinstance(value, str):
            value = str(value)
        data[key] = value
    return data, problems


def _pydantic_problems(exc: ValidationError) -> list[tuple[str, str]]:
    found = []
    for error in exc.errors():
        column = ".".join(str(p) for p in error["loc"])
        reason = error["msg"].removeprefix("Value error, ")
        if not column and ": " in reason and reason.split(": ", 1)[0] in IMPORT_COLUMNS:
            column, reason = reason.split(": ", 1)
        found.append((column or "row", reason))
    return found


def validate_file(
    path: Path, ctx: ServiceContext, *, encoding: str | None = None
) -> tuple[list[tuple[int, ImportRow]], ImportReport]:
    """Every row checked; numbers must be new, in the file and in the database."""
    report = ImportReport()
    good: list[tuple[int, ImportRow]] = []
    seen: dict[str, int] = {}
    context = {"tz": ctx.site.zone}
    for raw in read_rows(path, TICKET_COLUMNS, encoding=encoding):
        line = raw.line
        data, problems = _clean(raw.values)
        problems = raw.problems + problems
        try:
            row = ImportRow.model_validate(data, context=context)
        except ValidationError as exc:
            unreadable = {column for column, _ in problems}  # no "required" for those again
            problems += [(c, r) for c, r in _pydantic_problems(exc) if c not in unreadable]
            row = None
        if problems or row is None:
            for column, reason in problems:
                report.add(line, column, reason)
            continue
        if row.number and row.number in seen:
            report.add(line, "number", f"{row.number} already used on line {seen[row.number]}")
            continue
        if row.number:
            seen[row.number] = line
        good.append((line, row))
    if seen:
        with ctx.read() as session:
            taken = set()
            numbers = list(seen)
            for start in range(0, len(numbers), 900):
                batch = numbers[start : start + 900]
                taken |= set(
                    session.execute(select(Ticket.number).where(Ticket.number.in_(batch))).scalars()
                )
        if taken:
            for line, row in good:
                if row.number in taken:
                    report.add(line, "number", f"{row.number} already exists")
            good = [(line, row) for line, row in good if row.number not in taken]
    report.bad.sort(key=lambda b: b.line)
    _name_warnings(ctx, good, report)
    return good, report


def _name_warnings(
    ctx: ServiceContext, good: list[tuple[int, ImportRow]], report: ImportReport
) -> None:
    """One phone is one customer: a row giving a known phone with another name is filed
    under the customer who has that phone already (in the database, else the file's first
    row), and reported, so somebody can check it."""
    first: dict[str, tuple[str, int]] = {}
    for line, row in good:
        if row.customer_phone and row.customer_phone not in first:
            first[row.customer_phone] = (row.customer_name or ANONYMOUS, line)
    known: dict[str, str] = {}
    phones = sorted(first)
    with ctx.read() as session:
        for start in range(0, len(phones), 900):
            batch = phones[start : start + 900]
            for phone, name in session.execute(
                select(Customer.phone, Customer.name)
                .where(Customer.phone.in_(batch))
                .order_by(Customer.id.desc())
            ):
                known[phone] = name
    for line, row in good:
        phone = row.customer_phone
        if not phone or not row.customer_name:
            continue
        if phone in known:
            owner, where = known[phone], "on file"
        else:
            owner, first_line = first[phone]
            where = f"on line {first_line}"
        if owner != row.customer_name and len(report.warnings) < MAX_REPORTED:
            report.warnings.append(
                BadRow(
                    line,
                    "customer_name",
                    f"phone {mask_phone(phone)} belongs to {owner!r} ({where}); the ticket is "
                    f"filed under {owner!r}, not {row.customer_name!r}",
                )
            )


# -- writing -------------------------------------------------------------------------------
def import_tickets(
    ctx: ServiceContext,
    actor: Actor,
    path: Path,
    *,
    skip_bad: bool = False,
    encoding: str | None = None,
) -> ImportReport:
    """Import a file; with bad rows and no `skip_bad`, nothing is written. Each ticket gets
    its `created` event (and `resolve`/`close` events at the times the file gives)."""
    if not actor.may(Action.IMPORT):
        raise refuse(
            ctx, actor, "import", "your role ({role}) may not import tickets", role=actor.role
        )
    good, report = validate_file(path, ctx, encoding=encoding)
    if report.bad and not skip_bad:
        return report

    def work(session: Session) -> int:
        teams = _teams_by_kind(session)
        customers = _customer_ids(session, [row for _, row in good])
        now = ctx.now()
        numbers = _assign_numbers(session, [row for _, row in good], ctx)
        conn = session.connection()
        for start in range(0, len(good), CHUNK):
            chunk = good[start : start + CHUNK]
            values = [
                _ticket_values(ctx, row, numbers[start + i], customers, teams, now)
                for i, (_, row) in enumerate(chunk)
            ]
            conn.execute(Ticket.__table__.insert(), values)
            ids = dict(
                conn.execute(
                    select(Ticket.number, Ticket.id).where(
                        Ticket.number.in_(numbers[start : start + len(chunk)])
                    )
                ).all()
            )
            events = _history_events(
                [(ids[numbers[start + i]], row) for i, (_, row) in enumerate(chunk)],
                actor.id,
                path.name,
            )
            conn.execute(TicketEvent.__table__.insert(), events)
        session.add(
            TicketEvent(
                ticket_id=None,
                actor_id=actor.id,
                at=now,
                kind=EventKind.IMPORT,
                body=path.name,
                after={"rows": len(good), "bad_rows": report.bad_lines},
            )
        )
        return len(good)

    report.imported = ctx.write(work) if good else 0
    return report


def _history_events(
    tickets: list[tuple[int, ImportRow]], actor_id: int, source: str
) -> list[dict[str, Any]]:
    """The timeline an imported ticket brings: created, and resolved/closed when it was."""
    events: list[dict[str, Any]] = []
    for ticket_id, row in tickets:
        base = {"ticket_id": ticket_id, "actor_id": actor_id, "internal": True, "before": None}
        events.append(
            {
                **base,
                "at": row.created_at,
                "kind": EventKind.CREATED,
                "body": row.subject,
                "after": {"imported_from": source, "status": row.status.value},
            }
        )
        if row.resolved_at is not None:
            events.append(
                {
                    **base,
                    "at": row.resolved_at,
                    "kind": EventKind.RESOLVE,
                    "body": "",
                    "after": None,
                }
            )
        if row.closed_at is not None:
            events.append(
                {**base, "at": row.closed_at, "kind": EventKind.CLOSE, "body": "", "after": None}
            )
    return events


def _teams_by_kind(session: Session) -> dict[str, int]:
    found: dict[str, int] = {}
    for team_id, kind in session.execute(select(Team.id, Team.kind).order_by(Team.id)):
        found.setdefault(kind.value, team_id)
    return found


ANONYMOUS = "匿名 Anonymous"


def _customer_key(row: ImportRow) -> tuple[str, str | None]:
    return (row.customer_name or ANONYMOUS, row.customer_phone)


def _customer_ids(session: Session, rows: list[ImportRow]) -> dict[tuple[str, str | None], int]:
    """Reuse customers by phone; create the others with one multi-row insert."""
    keys: dict[tuple[str, str | None], ImportRow] = {}
    for row in rows:
        keys.setdefault(_customer_key(row), row)
    phones = sorted({phone for _, phone in keys if phone})
    by_phone: dict[str, int] = {}
    for start in range(0, len(phones), 900):
        batch = phones[start : start + 900]
        found = session.execute(
            select(func.min(Customer.id), Customer.phone)
            .where(Customer.phone.in_(batch))
            .group_by(Customer.phone)
        ).all()
        by_phone.update({phone: cid for cid, phone in found})
    new: dict[tuple[str, str | None], ImportRow] = {}
    new_phones: set[str] = set()
    for key, row in keys.items():
        phone = key[1]
        if phone and (phone in by_phone or phone in new_phones):
            continue  # one customer per phone number
        if phone:
            new_phones.add(phone)
        new[key] = row
    if new:
        # Match the returned rows by (name, phone), unique among the new ones, so the
        # insert can run in batches instead of row by row.
        created = session.execute(
            insert(Customer).returning(Customer.id, Customer.name, Customer.phone),
            [
                {"name": name, "phone": phone, "tier": row.tier}
                for (name, phone), row in new.items()
            ],
        ).all()
        for cid, name, phone in created:
            by_phone[phone if phone else f"name:{name}"] = cid
    return {
        (name, phone): by_phone[phone] if phone else by_phone[f"name:{name}"]
        for name, phone in keys
    }


def _assign_numbers(session: Session, rows: list[ImportRow], ctx: ServiceContext) -> list[str]:
    """Given numbers are kept (and counters moved past them); others are handed out per day."""
    zone = ctx.site.zone
    wanted: Counter[str] = Counter()
    floors: dict[str, int] = {}
    for row in rows:
        if row.number:
            day, seq = row.number[3:11], int(row.number[12:])
            floors[day] = max(floors.get(day, 0), seq)
        else:
            wanted[row.created_at.astimezone(zone).strftime("%Y%m%d")] += 1
    days = set(wanted) | set(floors)
    current = dict(
        session.execute(
            select(TicketCounter.day, TicketCounter.last).where(TicketCounter.day.in_(days))
        ).all()
    )
    next_seq: dict[str, int] = {}
    for day in days:
        start = max(current.get(day, 0), floors.get(day, 0))
        next_seq[day] = start + 1
        last = start + wanted.get(day, 0)
        if day in current:
            session.execute(update(TicketCounter).where(TicketCounter.day == day).values(last=last))
        else:
            session.add(TicketCounter(day=day, last=last))
    session.flush()
    numbers = []
    for row in rows:
        if row.number:
            numbers.append(row.number)
            continue
        day = row.created_at.astimezone(zone).strftime("%Y%m%d")
        numbers.append(f"SR-{day}-{next_seq[day]:04d}")
        next_seq[day] += 1
    return numbers


def _ticket_values(
    ctx: ServiceContext,
    row: ImportRow,
    number: str,
    customers: dict[tuple[str, str | None], int],
    teams: dict[str, int],
    now: datetime,
) -> dict[str, Any]:
    due = ctx.policy.due_times(row.priority, row.category, row.tier, row.created_at)
    is_open = row.status.is_open
    responded = row.status not in (Status.NEW, Status.ASSIGNED)
    next_due = next_warn = None
    if is_open and not responded:
        next_due, next_warn = due.response_due, due.response_warn
    elif is_open and row.status is not Status.PENDING_CUSTOMER:
        next_due, next_warn = due.resolve_due, due.resolve_warn
    return {
        "number": number,
        "channel": row.channel,
        "category": row.category,
        "complaint_type": None,
        "priority": row.priority,
        "tier": row.tier,
        "status": row.status,
        "is_open": is_open,
        "subject": row.subject,
        "description": row.description,
        "customer_request": "",
        "customer_id": customers[_customer_key(row)],
        "team_id": teams.get(DISPATCH[row.category].value),
        "created_at": row.created_at,
        "updated_at": now,
        "first_response_at": row.first_response_at,
        "resolved_at": row.resolved_at,
        "closed_at": row.closed_at,
        "paused_at": now if row.status is Status.PENDING_CUSTOMER else None,
        "response_due_at": due.response_due,
        "response_warn_at": due.response_warn,
        "resolve_due_at": due.resolve_due,
        "resolve_warn_at": due.resolve_warn,
        "next_due_at": next_due,
        "next_warn_at": next_warn,
        "paused_seconds": 0,
        "extended_seconds": 0,
        "escalation_level": 0,
        "reopen_count": 0,
        "version": 1,
    }


# -- export --------------------------------------------------------------------------------
def _export_rows(ctx: ServiceContext, *, unmasked: bool) -> Iterator[dict[str, Any]]:
    """Stream tickets in number order without holding them all in memory."""
    zone = ctx.site.zone
    cols = [getattr(Ticket, c) for c in EXPORT_COLUMNS if hasattr(Ticket, c)]
    stmt = (
        select(*cols, Customer.name.label("customer_name"), Customer.phone.label("customer_phone"))
        .join(Customer, Customer.id == Ticket.customer_id)
        .order_by(Ticket.id)
        .execution_options(yield_per=2_000)
    )
    with ctx.read() as session:
        for row in session.execute(stmt).mappings():
            out: dict[str, Any] = {}
            for column in EXPORT_COLUMNS:
                value = row[column]
                if isinstance(value, datetime):
                    value = value.astimezone(zone).isoformat()
                elif hasattr(value, "value"):
                    value = value.value
                out[column] = value
            if not unmasked:
                out["customer_phone"] = mask_phone(out["customer_phone"])
            yield out


def export_tickets(
    ctx: ServiceContext, actor: Actor, fmt: str, out: IO[str] | Path, *, unmasked: bool = False
) -> int:
    """Write every ticket; personal data is masked unless the role may see it and asked to."""
    if not actor.may(Action.EXPORT):
        raise refuse(
            ctx, actor, "export", "your role ({role}) may not export tickets", role=actor.role
        )
    if unmasked and not actor.may(Action.MANAGE) and actor.role.value != "supervisor":
        raise refuse(
            ctx, actor, "export", "only supervisors and admins may export unmasked personal data"
        )
    rows = _export_rows(ctx, unmasked=unmasked)
    if fmt == "xlsx":
        if not isinstance(out, Path):
            raise ServiceError("an XLSX export needs --out FILE")
        count = _write_xlsx(rows, out)
    else:
        handle = out.open("w", newline="", encoding="utf-8") if isinstance(out, Path) else out
        try:
            count = _write_csv(rows, handle) if fmt == "csv" else _write_json(rows, handle)
        finally:
            if isinstance(out, Path):
                handle.close()

    def audit(session: Session) -> None:
        session.add(
            TicketEvent(
                ticket_id=None,
                actor_id=actor.id,
                at=ctx.now(),
                kind=EventKind.EXPORT,
                body=fmt,
                after={"rows": count, "unmasked": unmasked},
            )
        )

    ctx.write(audit)
    return count


def _write_csv(rows: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    """Text cells that a spreadsheet would run (= + - @ tab CR first) get a leading '."""
    writer = csv.DictWriter(handle, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(
            {k: neutralise_formula(v) if isinstance(v, str) else v for k, v in row.items()}
        )
        count += 1
    return count


def _write_json(rows: Iterable[dict[str, Any]], handle: IO[str]) -> int:
    count = 0
    handle.write("[")
    for row in rows:
        text = json_escape_unsafe(json.dumps(row, ensure_ascii=False))
        handle.write(("," if count else "") + "\n  " + text)
        count += 1
    handle.write("\n]\n")
    return count


def text_cell(sheet: Any, value: Any) -> Any:
    """A write-only cell; text is always text (never a formula) and holds no character XML
    forbids, so a customer's "=HYPERLINK(…)" is shown, not run, and nothing aborts."""
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=xlsx_text(value))
    cell.data_type = "s"
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True  # Excel's own mark for "this is text"
    return cell


def _write_xlsx(rows: Iterable[dict[str, Any]], path: Path) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("tickets")
    sheet.append(list(EXPORT_COLUMNS))
    count = 0
    for row in rows:
        sheet.append([text_cell(sheet, row[c]) for c in EXPORT_COLUMNS])
        count += 1
    book.save(path)
    return count
