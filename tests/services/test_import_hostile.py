"""Import of what real offices and attackers produce: encodings, oversized and hostile cells,
bombs and damaged files, impossible values; each problem named by line, column and reason,
nothing written on refusal, and imported history counted by the KPIs."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select

from deskui.config import Settings
from deskui.domain.actors import Actor
from deskui.domain.enums import EventKind
from deskui.services.context import ServiceContext
from deskui.services.exchange import import_tickets
from deskui.services.table_files import ImportFileError
from deskui.store.kpi import Range, mttr_hours, response
from deskui.store.tables import Customer, Ticket, TicketEvent
from site_testing import set_site

HEADER = "created_at,channel,category,priority,customer_name,customer_phone,subject,description"
GOOD = "2026-11-02 10:00,phone,help,normal,张三,13800001111,路由器频繁掉线,详细描述"


def counts(ctx: ServiceContext) -> tuple[int, int, int]:
    with ctx.read() as session:
        return tuple(  # type: ignore[return-value]
            session.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (Ticket, Customer, TicketEvent)
        )


def write(tmp_path: Path, data: bytes, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def problems(ctx: ServiceContext, admin: Actor, path: Path) -> set[tuple[int, str]]:
    before = counts(ctx)
    report = import_tickets(ctx, admin, path)
    assert report.imported == 0 and counts(ctx) == before  # nothing written on refusal
    assert all(b.reason for b in report.bad)
    return {(b.line, b.column) for b in report.bad}


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]
)
def test_encodings_are_detected(
    ctx: ServiceContext, admin: Actor, tmp_path: Path, encoding: str
) -> None:
    text = f"{HEADER}\n{GOOD}\n"
    if encoding.startswith("utf-16"):  # Excel's "Unicode text": tab separated
        text = text.replace(",", "\t")
    report = import_tickets(ctx, admin, write(tmp_path, text.encode(encoding)))
    assert report.bad == [] and report.imported == 1
    with ctx.read() as session:
        assert session.execute(select(Ticket.subject)).scalar_one() == "路由器频繁掉线"


def test_forced_encoding_and_an_undecodable_file(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    mixed = HEADER.encode() + b"\n" + GOOD.encode("gbk") + b"\n" + b"\xff\xfe\xfd\x80\n"
    with pytest.raises(ImportFileError, match=r"line 3: .* --encoding"):
        import_tickets(ctx, admin, write(tmp_path, mixed))
    row = "2026-11-02 10:00,phone,help,normal,José,13800001111,Café router,"
    latin = write(tmp_path, f"{HEADER}\n{row}\n".encode("latin-1"))
    assert import_tickets(ctx, admin, latin, encoding="latin-1").imported == 1
    with pytest.raises(ImportFileError, match="--encoding klingon: unknown"):
        import_tickets(ctx, admin, latin, encoding="klingon")
    assert counts(ctx)[0] == 1


def test_oversized_fields_are_named_not_crashed(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    rows = [
        GOOD.replace("详细描述", "x" * 40_000),  # longer than a spreadsheet cell
        GOOD.replace("路由器频繁掉线", "y" * 201),  # longer than a subject
        GOOD.replace("详细描述", "z" * 131_073),  # past csv's own limit
    ]
    path = write(tmp_path, "\n".join([HEADER, *rows]).encode())
    assert problems(ctx, admin, path) == {(2, "description"), (3, "subject"), (4, "description")}
    huge = write(tmp_path, (HEADER + "\n" + GOOD.replace("详细描述", "w" * 1_100_000)).encode())
    with pytest.raises(ImportFileError, match="line 2: cannot read CSV"):
        import_tickets(ctx, admin, huge)


def test_dates_numbers_digits_and_controls(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    header = "number," + HEADER
    rows = [
        ",9999-12-31T23:59:59" + GOOD[16:],
        ",0001-01-01" + GOOD[16:],
        ",-1" + GOOD[16:],
        ",1700000000" + GOOD[16:],
        ",5138-01-01 00:00" + GOOD[16:],
        "SR-20261123-9223372036854775808," + GOOD,
        "SR-20261399-0001," + GOOD,
        "SR-２０２６1123-0001," + GOOD,
        "," + GOOD.replace("13800001111", "１３８００００１１１１"),
        "," + GOOD.replace("13800001111", "١٣٨٠٠٠٠١١١١"),
        "," + GOOD.replace("张三", "张\x00三"),
        "," + GOOD.replace("路由器", "\x1b]52;c;aGk=\x07"),
        "," + GOOD.replace("详细描述", '"two\nlines\tand a tab"'),  # fine in a description
    ]
    path = write(tmp_path, "\n".join([header, *rows]).encode())
    report = import_tickets(ctx, admin, path)
    found = {(b.line, b.column): b.reason for b in report.bad}
    assert set(found) == {
        (2, "created_at"),
        (3, "created_at"),
        (4, "created_at"),
        (5, "created_at"),
        (6, "created_at"),
        (7, "number"),
        (8, "number"),
        (9, "number"),
        (10, "customer_phone"),
        (11, "customer_phone"),
        (12, "customer_name"),
        (13, "subject"),
    }
    assert "look-alike digit" in found[(10, "customer_phone")]
    assert "not a number" in found[(4, "created_at")]
    assert r"\x00" in found[(12, "customer_name")] and r"\x1b" in found[(13, "subject")]
    assert counts(ctx)[0] == 0
    assert import_tickets(ctx, admin, path, skip_bad=True).imported == 1


def test_values_in_unnamed_columns(ctx: ServiceContext, admin: Actor, tmp_path: Path) -> None:
    rows = [GOOD + ",stray", GOOD + ",,", GOOD]
    path = write(tmp_path, "\n".join([HEADER + ",", *rows]).encode())
    assert problems(ctx, admin, path) == {(2, "column I")}


def test_dst_gap_is_refused(engine: Engine, clock: Any, admin: Actor, tmp_path: Path) -> None:
    ctx = ServiceContext(engine, Settings(db_url=str(engine.url)), clock=clock)
    set_site(ctx, tz="Europe/Berlin")
    rows = [
        GOOD.replace("2026-11-02 10:00", "2026-03-29 02:30"),  # clocks jump 02:00 -> 03:00
        GOOD.replace("2026-11-02 10:00", "2026-03-29 02:30+01:00"),  # an offset: fine
    ]
    path = write(tmp_path, "\n".join([HEADER, *rows]).encode())
    report = import_tickets(ctx, admin, path)
    assert [(b.line, b.column) for b in report.bad] == [(2, "created_at")]
    assert "does not exist in Europe/Berlin" in report.bad[0].reason


def test_xlsx_phones_dates_and_bombs(ctx: ServiceContext, admin: Actor, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    base = ["2026-11-02 10:00", "phone", "help", "normal", "张三"]
    sheet.append([*base, 13811112222, "integer mobile: exact", ""])
    sheet.append([*base[:4], "李四", 2161234567, "lost its leading 0", ""])
    sheet.append([*base[:4], "王五", 13811113333.5, "a fraction", ""])
    sheet.append([datetime(2200, 1, 1), *base[1:], "13811114444", "a date cell in 2200", ""])
    sheet.append([datetime(2026, 11, 2, 10), *base[1:4], 8848, "13811115555", 12345, 3.5])
    path = tmp_path / "in.xlsx"
    book.save(path)
    report = import_tickets(ctx, admin, path, skip_bad=True)
    assert {(b.line, b.column) for b in report.bad} == {
        (3, "customer_phone"),
        (4, "customer_phone"),
        (5, "created_at"),
    }
    assert report.imported == 2
    with ctx.read() as session:
        texts = session.execute(
            select(Ticket.subject, Ticket.description).order_by(Ticket.id)
        ).all()
    assert [tuple(t) for t in texts] == [("integer mobile: exact", ""), ("12345", "3.5")]

    # A 5 KB workbook with one cell at XFD1048576: refused at once, with or without the
    # sheet's declared size.
    sheet["XFD1048576"] = "x"
    bomb = tmp_path / "bomb.xlsx"
    book.save(bomb)
    assert bomb.stat().st_size < 10_000
    began = time.perf_counter()
    with pytest.raises(ImportFileError, match="XFD1048576"):
        import_tickets(ctx, admin, bomb)
    assert time.perf_counter() - began < 2


def test_zip_bomb_and_damaged_xlsx(ctx: ServiceContext, admin: Actor, tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (32 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="zip bomb"):
        import_tickets(ctx, admin, write(tmp_path, out.getvalue(), "bomb.xlsx"))

    book = Workbook()
    book.active.append(HEADER.split(","))
    for n in range(200):
        book.active.append(GOOD.replace("频繁", str(n)).split(","))
    good = io.BytesIO()
    book.save(good)
    data = good.getvalue()
    sheet_at = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml").header_offset
    inside = sheet_at + 200
    for damaged in (data[: len(data) // 2], data[:inside] + b"\x00" * 64 + data[inside + 64 :]):
        with pytest.raises(ImportFileError, match=r"in\.xlsx"):
            import_tickets(ctx, admin, write(tmp_path, damaged, "in.xlsx"))
    assert counts(ctx)[0] == 0


def test_same_phone_other_name_is_reported_and_filed_under_the_owner(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    rows = [GOOD, GOOD.replace("张三", "张叁")]
    report = import_tickets(ctx, admin, write(tmp_path, "\n".join([HEADER, *rows]).encode()))
    assert report.imported == 2 and report.bad == []
    assert [(w.line, w.column) for w in report.warnings] == [(3, "customer_name")]
    assert "138****1111" in report.warnings[0].reason and "13800001111" not in str(report.warnings)
    again = import_tickets(
        ctx, admin, write(tmp_path, f"{HEADER}\n{GOOD.replace('张三', 'Zhang')}\n".encode())
    )
    assert "on file" in again.warnings[0].reason
    with ctx.read() as session:
        assert session.execute(select(Customer.name)).scalars().all() == ["张三"]


def test_imported_history_has_events_and_counts_in_kpis(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    header = HEADER + ",status,first_response_at,resolved_at,closed_at"
    rows = [
        GOOD + ",resolved,2026-10-05 09:10,2026-10-06 10:00,",
        GOOD + ",closed,,2026-10-07 10:00,2026-10-08 10:00",
        GOOD + ",closed,,2026-10-07 10:00,",  # closed needs closed_at
        GOOD + ",in_progress,,2026-10-07 10:00,",  # open tickets have no resolved_at
        GOOD + ",resolved,,2026-10-01 10:00,",  # resolved before it was created
    ]
    rows = [r.replace("2026-11-02 10:00", "2026-10-05 09:00") for r in rows]
    path = write(tmp_path, "\n".join([header, *rows]).encode())
    report = import_tickets(ctx, admin, path, skip_bad=True)
    assert {(b.line, b.column) for b in report.bad} == {
        (4, "closed_at"),
        (5, "resolved_at"),
        (6, "resolved_at"),
    }
    assert report.imported == 2
    with ctx.read() as session:
        tickets = session.execute(
            select(Ticket.id, Ticket.resolved_at, Ticket.closed_at, Ticket.is_open)
        ).all()
        kinds = session.execute(
            select(TicketEvent.kind).where(TicketEvent.ticket_id.is_not(None))
        ).scalars()
        assert sorted(k.value for k in kinds) == sorted(
            [EventKind.CREATED.value] * 2 + [EventKind.RESOLVE.value] * 2 + [EventKind.CLOSE.value]
        )
    assert all(t.resolved_at is not None and not t.is_open for t in tickets)
    october = Range(datetime(2026, 9, 30, 16, tzinfo=UTC), datetime(2026, 10, 31, 16, tzinfo=UTC))
    with ctx.read() as session:
        hours, resolved = mttr_hours(session, october)
        on_time, decided = response(session, october, ctx.now())
    assert resolved == 2 and hours == pytest.approx(25 + 49)  # 10-05 09:00 -> 10-06/07 10:00
    assert (on_time, decided) == (1, 2)  # the imported first response counts


def test_product_catalogue_import_gets_the_same_checks(
    ctx: ServiceContext, admin: Actor, tmp_path: Path
) -> None:
    from deskui.services.products import import_products, products

    text = (
        "model,name,warranty_main_months\n"
        "AC-100,空调,３６\n"  # fullwidth digits
        "AC-200,空\x1b[2J调,36\n"
        "AC-300,冰箱,24,stray\n"
        "AC-400,洗衣机,12\n"
    )
    path = write(tmp_path, text.encode("gb18030"))  # as Excel saves "CSV" in China
    report = import_products(ctx, admin, path)
    found = {(b.line, b.column): b.reason for b in report.bad}
    assert set(found) == {(2, "warranty_main_months"), (3, "name"), (4, "column D")}
    assert "look-alike digit" in found[(2, "warranty_main_months")]
    assert report.imported == 0 and products(ctx) == []
    assert import_products(ctx, admin, path, skip_bad=True).imported == 1
    assert [p.name for p in products(ctx)] == ["洗衣机"]


def test_row_and_size_bounds(
    ctx: ServiceContext, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskui.services import table_files

    monkeypatch.setattr(table_files, "MAX_ROWS", 5)
    path = write(tmp_path, "\n".join([HEADER] + [GOOD] * 8).encode())
    with pytest.raises(ImportFileError, match=r"line 7: more than 5 rows; split the file"):
        import_tickets(ctx, admin, path)
    book = Workbook()
    book.active.append(HEADER.split(","))
    for _ in range(8):
        book.active.append(GOOD.split(","))
    book.save(tmp_path / "rows.xlsx")
    with pytest.raises(ImportFileError, match="split the file"):
        import_tickets(ctx, admin, tmp_path / "rows.xlsx")
    monkeypatch.setattr(table_files, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportFileError, match="split the file"):
        import_tickets(ctx, admin, path)
    assert counts(ctx)[0] == 0
