"""Import and export: round trip, bad rows explained, SLA due times around Chinese holidays."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from deskui.domain.actors import Actor
from deskui.services.context import ServiceContext
from deskui.services.exchange import export_tickets, import_tickets
from deskui.services.table_files import ImportFileError
from deskui.store.tables import Ticket

HEADER = "number,created_at,channel,category,priority,tier,customer_name,customer_phone,subject,description,status"


def write_csv(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "tickets.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def ticket_count(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        return session.execute(select(func.count()).select_from(Ticket)).scalar_one()


def export_csv(ctx: ServiceContext, actor: Actor) -> list[dict[str, str]]:
    out = io.StringIO()
    export_tickets(ctx, actor, "csv", out, unmasked=True)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


# Expected due times worked out by hand on the 2026 calendar (Mon-Fri 09:00-18:00 Shanghai):
# - Spring Festival: Feb 15-23 off, Sat Feb 14 is a make-up working day.
# - National Day: Oct 1-7 off, Sat Oct 10 is a make-up working day; Sun Sep 20 too.
HOLIDAY_CASES = [
    # created (Shanghai), priority, category, response due, resolve due
    (
        "2026-02-13T17:00:00",
        "normal",
        "help",
        "2026-02-14T17:00:00+08:00",
        "2026-02-25T17:00:00+08:00",
    ),
    (
        # a complaint's own 15 working days (sla.complaint_resolution = "replace"): 8 h on Fri
        # 13th, then 14 working days (make-up Sat Feb 14 and Feb 28 count) and 1 h: Mar 12
        "2026-02-13T10:00:00",
        "normal",
        "complaint",
        "2026-02-13T11:00:00+08:00",
        "2026-03-12T10:00:00+08:00",
    ),
    (
        "2026-09-30T16:00:00",
        "normal",
        "consult",
        "2026-10-08T16:00:00+08:00",
        "2026-10-10T16:00:00+08:00",
    ),
    (
        "2026-09-18T17:30:00",
        "normal",
        "suggestion",
        "2026-09-20T17:30:00+08:00",
        "2026-09-22T17:30:00+08:00",
    ),
    (
        "2026-02-16T23:50:00",
        "urgent",
        "repair",
        "2026-02-17T00:05:00+08:00",
        "2026-02-17T01:50:00+08:00",
    ),
    (
        "2026-10-02T08:00:00+08:00",
        "important",
        "help",
        "2026-10-02T10:00:00+08:00",
        "2026-10-03T08:00:00+08:00",
    ),
]


def test_import_then_export_gives_rule_due_times(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        f",{created},phone,{category},{priority},normal,张三,1380000{i:04d},subject {i},,"
        for i, (created, priority, category, _, _) in enumerate(HOLIDAY_CASES)
    ]
    report = import_tickets(ctx, admin, write_csv(tmp_path, *rows))
    assert report.bad == [] and report.imported == len(HOLIDAY_CASES)
    exported = {r["subject"]: r for r in export_csv(ctx, admin)}
    for i, (_, _, _, response_due, resolve_due) in enumerate(HOLIDAY_CASES):
        row = exported[f"subject {i}"]
        assert (row["response_due_at"], row["resolve_due_at"]) == (response_due, resolve_due), row[
            "created_at"
        ]


def test_round_trip_csv_json_xlsx(ctx: ServiceContext, admin: Actor, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "SR-20261101-0007,2026-11-01T09:30:00+08:00,email,consult,normal,vip,Alice Chen,13700001111,"
        '"Router, keeps dropping","It says ""offline"" [bold]x[/]",in_progress',
        ",2026-11-02 10:00,wechat,suggestion,normal,normal,李雷,,增加中文说明书,,",
    )
    assert import_tickets(ctx, admin, path).imported == 2
    first = export_csv(ctx, admin)
    assert [r["number"] for r in first] == ["SR-20261101-0007", "SR-20261102-0001"]
    assert first[0]["description"] == 'It says "offline" [bold]x[/]'
    assert first[0]["tier"] == "vip" and first[0]["status"] == "in_progress"
    assert first[1]["created_at"] == "2026-11-02T10:00:00+08:00"  # no offset: the site's zone

    # Exported CSV goes back into an empty database unchanged (numbers kept, due times recomputed).
    exported = tmp_path / "export.csv"
    export_tickets(ctx, admin, "csv", exported, unmasked=True)
    from deskui.config import Settings
    from deskui.services.accounts import add_agent
    from deskui.store.engine import make_engine
    from deskui.store.migrate import upgrade

    other_engine = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade(other_engine)
    other = ServiceContext(other_engine, Settings(db_url=str(other_engine.url)), clock=ctx.clock)
    other_admin = add_agent(other, "admin", role=admin.role)
    assert import_tickets(other, other_admin, exported).imported == 2
    assert export_csv(other, other_admin) == first

    out = tmp_path / "export.json"
    export_tickets(ctx, admin, "json", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data[0]["customer_phone"] == "137****1111"  # masked by default
    assert data[1]["subject"] == "增加中文说明书"

    xlsx = tmp_path / "export.xlsx"
    export_tickets(ctx, admin, "xlsx", xlsx)
    sheet = load_workbook(xlsx, read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "number" and values[1][0] == "SR-20261101-0007" and len(values) == 3


def test_import_xlsx(ctx: ServiceContext, admin: Actor, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["subject", "created_at", "channel", "category", "priority", "customer_phone"])
    sheet.append(
        ["摄像头无法联网", "2026-11-20T10:00:00+08:00", "app", "help", "important", 13811112222]
    )
    sheet.append(["bad", "not a date", "fax", "help", "important", None])
    path = tmp_path / "in.xlsx"
    book.save(path)
    report = import_tickets(ctx, admin, path, skip_bad=True)
    assert report.imported == 1
    assert {(b.line, b.column) for b in report.bad} == {(3, "created_at"), (3, "channel")}


def test_bad_rows_import_nothing_and_are_each_explained(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path,
        ",2026-11-01T09:30:00+08:00,phone,help,normal,normal,A,13700001111,good one,,",
        ",yesterday,phone,help,normal,normal,B,13700001112,bad date,,",
        ",2026-11-01T09:30:00+08:00,pigeon,help,normal,normal,C,13700001113,bad channel,,",
        ",2026-11-01T09:30:00+08:00,phone,help,whenever,gold,D,12ab,,,",
        "SR-1,2026-11-01T09:30:00+08:00,phone,help,normal,normal,E,13700001115,bad number,,",
        ",2026-11-01T09:30:00+08:00,phone,help,normal,normal,F,13700001116,good two,,",
    )
    report = import_tickets(ctx, admin, path)
    assert report.imported == 0 and ticket_count(ctx) == 0
    found = {(b.line, b.column) for b in report.bad}
    assert found == {
        (3, "created_at"),
        (4, "channel"),
        (5, "priority"),
        (5, "tier"),
        (5, "customer_phone"),
        (5, "subject"),
        (6, "number"),
    }
    assert all(b.reason for b in report.bad)
    assert "line 4: channel:" in str(report.bad[1])

    skipped = import_tickets(ctx, admin, path, skip_bad=True)
    assert skipped.imported == 2 and skipped.bad_lines == 4 and ticket_count(ctx) == 2


def test_duplicate_and_existing_numbers_are_bad_rows(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    row = "SR-20261101-0001,2026-11-01T09:30:00+08:00,phone,help,normal,normal,A,13700001111,x,,"
    import_tickets(ctx, admin, write_csv(tmp_path, row))
    report = import_tickets(ctx, admin, write_csv(tmp_path, row, row))
    assert [(b.line, b.reason) for b in report.bad] == [
        (2, "SR-20261101-0001 already exists"),
        (3, "SR-20261101-0001 already used on line 2"),
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (HEADER + ",colour", "unknown column(s) colour"),
        ("created_at,channel,category,priority", "missing required column(s) subject"),
    ],
)
def test_bad_header_is_refused(
    ctx: ServiceContext, admin: Actor, tmp_path: Path, header: str, message: str
) -> None:
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_tickets(ctx, admin, write_csv(tmp_path, header=header))


def test_cli_import_reports_bad_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from deskui.cli import main

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["--db", db, "init"]) == 0
    path = write_csv(
        tmp_path, ",2026-11-01T09:30:00+08:00,pigeon,help,normal,normal,C,13700001113,x,,"
    )
    assert main(["--db", db, "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "line 2: channel:" in err and "nothing imported" in err
