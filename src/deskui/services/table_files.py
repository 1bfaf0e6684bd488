"""Reading the first sheet of a CSV or XLSX file as rows of {column: value}, in bounded time
and memory, with one clear message for a file that cannot be read and a (line, column,
reason) for every cell that cannot be taken. Shared by every import (tickets, products) so
they all answer the same way.

- CSV: UTF-8 with or without BOM, GB18030/GBK (as Excel saves "CSV" in China), UTF-16 with
  a BOM (Excel's "Unicode text", tab separated) or without one; detected unless an encoding
  is given.
- XLSX: read lazily (openpyxl read-only); the declared sheet size, the unpacked size of the
  archive and the rows and columns read are bounded, so a zip or dimension bomb is refused
  in milliseconds; a damaged file is one message.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deskui.domain.text_safety import first_control, restore_formula
from deskui.services.errors import ServiceError

MAX_FILE_BYTES = 64 * 1024 * 1024  # split larger files (memory stays bounded: ~0.5 GB at most)
MAX_UNPACKED_BYTES = 512 * 1024 * 1024  # an XLSX's XML, unpacked
MAX_PACK_RATIO = 1_000  # real workbooks pack 5-50 times; bombs far more
MAX_ROWS = 200_000  # validated rows are held until the one write transaction
MAX_COLUMNS = 256
MAX_CELL_CHARS = 32_767  # the most a spreadsheet cell holds
CSV_FIELD_LIMIT = 1_048_576  # csv's own limit (131,072) raised; longer is a file error
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be")


class ImportFileError(ServiceError):
    """The file as a whole cannot be read (format, encoding, size, header)."""


@dataclass(frozen=True, slots=True)
class Columns:
    """What a header may hold: `allowed` (named in messages), `required`, and `tolerated`
    columns that are accepted and left for the caller to drop. Columns in `multiline` may
    hold newlines and tabs (a description); no column may hold other control characters."""

    allowed: tuple[str, ...]
    required: tuple[str, ...]
    tolerated: frozenset[str] = frozenset()
    multiline: frozenset[str] = frozenset()


@dataclass(slots=True)
class RawRow:
    """One data row: its line as a spreadsheet shows it, the cells that could be taken, and
    (column, reason) for those that could not."""

    line: int
    values: dict[str, Any]
    problems: list[tuple[str, str]] = field(default_factory=list)


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA: the spreadsheet name of a column position."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _header(header: Iterable[Any], path: Path, columns: Columns) -> list[str]:
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    while names and not names[-1]:
        names.pop()
    for n, name in enumerate(names, 1):
        if first_control(name, allow_newlines=False):
            raise ImportFileError(
                "{path}: line 1, column {column}: the header holds a control character",
                path=path.name,
                column=column_letter(n),
            )
    known = set(columns.allowed) | columns.tolerated
    unknown = [f"{n} ({column_letter(i)})" for i, n in enumerate(names, 1) if n and n not in known]
    if unknown:
        raise ImportFileError(
            "{path}: line 1: unknown column(s) {unknown}; allowed: {allowed}",
            path=path.name,
            unknown=", ".join(unknown),
            allowed=", ".join(columns.allowed),
        )
    missing = [n for n in columns.required if n not in names]
    if missing:
        raise ImportFileError(
            "{path}: line 1: missing required column(s) {missing}",
            path=path.name,
            missing=", ".join(missing),
        )
    twice = [n for n, c in Counter(names).items() if n and c > 1]
    if twice:
        raise ImportFileError(
            "{path}: line 1: column(s) given twice: {twice}", path=path.name, twice=", ".join(twice)
        )
    return names


def _row(
    line: int, names: list[str], values: Iterable[Any], columns: Columns, *, csv_text: bool = False
) -> RawRow | None:
    """The cells of one row under their names; None for an empty row. In CSV text the
    apostrophe deskui's export puts before a formula trigger is taken off again."""
    row = RawRow(line, {})
    empty = True
    for n, value in enumerate(values, 1):
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        empty = False
        name = names[n - 1] if n <= len(names) else ""
        where = name or f"column {column_letter(n)}"
        if not name:
            row.problems.append((where, "a value in a column without a header name"))
            continue
        if isinstance(value, str):
            if csv_text:
                value = restore_formula(value)
            if len(value) > MAX_CELL_CHARS:
                row.problems.append((where, f"longer than {MAX_CELL_CHARS:,} characters"))
                continue
            control = first_control(value, allow_newlines=name in columns.multiline)
            if control:
                pos, ch = control
                row.problems.append((where, f"control character {ch} at character {pos}"))
                continue
        row.values[name] = value
    return None if empty else row


# -- CSV -------------------------------------------------------------------------------------
def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of mostly-ASCII text is NUL."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.4 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.4 and odd < half * 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """The file's text: the given encoding, else a BOM, else UTF-8, else GB18030."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ImportFileError(
                "--encoding {encoding}: unknown; use one of {encodings}",
                encoding=encoding,
                encodings=", ".join(ENCODINGS),
            ) from None
        tries = [encoding]
    elif data.startswith(codecs.BOM_UTF8):
        tries = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        tries = ["utf-16"]
    elif guess := _guess_utf16(data):
        tries = [guess]
    else:
        tries = ["utf-8", "gb18030"]
    furthest: UnicodeDecodeError | None = None  # the attempt that read the most
    for attempt in tries:
        try:
            return data.decode(attempt)
        except UnicodeDecodeError as exc:
            if furthest is None or exc.start > furthest.start:
                furthest = exc
    assert furthest is not None
    line = _line_of(data, furthest.start)
    tried = " or ".join(tries)
    raise ImportFileError(
        "{name}: line {line}: byte {start} is not {tried} text; save the file as UTF-8, or "
        "give its encoding with --encoding (e.g. gb18030, utf-16)",
        name=name,
        line=line,
        start=furthest.start + 1,
        tried=tried,
    )


def _csv_rows(path: Path, columns: Columns, encoding: str | None) -> Iterator[RawRow]:
    data = _read_bytes(path)
    text = decode(data, path.name, encoding)
    del data
    if text.startswith("\ufeff"):
        text = text[1:]
    first = text.split("\n", 1)[0]
    dialect = "excel-tab" if first.count("\t") > first.count(",") else "excel"
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    start = 1  # the line the record being read began on
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError("{path}: the file is empty", path=path.name)
        names = _header(header, path, columns)
        start = reader.line_num + 1
        for count, values in enumerate(reader, 1):
            if count > MAX_ROWS:
                raise ImportFileError(
                    "{path}: line {start}: more than {max_rows:,} rows; split the file",
                    path=path.name,
                    start=start,
                    max_rows=MAX_ROWS,
                )
            row = _row(start, names, values, columns, csv_text=True)
            start = reader.line_num + 1
            if row is not None:
                yield row
    except csv.Error as exc:
        raise ImportFileError(
            "{path}: line {start}: cannot read CSV ({exc}); a field may be longer than "
            "{csv_field_limit:,} characters or a quote left open",
            path=path.name,
            start=start,
            exc=str(exc),
            csv_field_limit=CSV_FIELD_LIMIT,
        ) from None


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                "{path}: {size:,.0f} MiB is larger than {max_file_bytes} MiB; split the file",
                path=path.name,
                size=size / 2**20,
                max_file_bytes=MAX_FILE_BYTES // 2**20,
            )
        return path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            "{path}: cannot read: {strerror}", path=str(path), strerror=str(exc.strerror or exc)
        ) from None


# -- XLSX ------------------------------------------------------------------------------------
def _check_archive(path: Path) -> None:
    """Refuse a damaged archive, or one that unpacks to far more than any real workbook."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                "{path}: larger than {max_file_bytes} MiB; split the file",
                path=path.name,
                max_file_bytes=MAX_FILE_BYTES // 2**20,
            )
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except OSError as exc:
        raise ImportFileError(
            "{path}: cannot read: {strerror}", path=str(path), strerror=str(exc.strerror or exc)
        ) from None
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise ImportFileError(
            "{path}: not a readable XLSX file (damaged or not a workbook); save it again from the spreadsheet program",
            path=path.name,
        ) from None
    unpacked = sum(m.file_size for m in members)
    if (
        len(members) > 10_000
        or unpacked > MAX_UNPACKED_BYTES
        or unpacked > MAX_PACK_RATIO * max(size, 1)
    ):
        raise ImportFileError(
            "{path}: unpacks to {unpacked:,.0f} MiB from {size:,.1f} KiB; refused as a possible zip bomb",
            path=path.name,
            unpacked=unpacked / 2**20,
            size=size / 2**10,
        )


def _xlsx_rows(path: Path, columns: Columns) -> Iterator[RawRow]:
    from openpyxl import load_workbook

    _check_archive(path)
    line = 1
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            "{path}: not a readable XLSX file (damaged or not a workbook); save it again from the spreadsheet program",
            path=path.name,
        ) from None
    try:
        sheet = book.worksheets[0]
        declared_rows, declared_cols = sheet.max_row or 0, sheet.max_column or 0
        if declared_rows > MAX_ROWS + 1 or declared_cols > MAX_COLUMNS:
            raise ImportFileError(
                "{path}: the sheet reaches cell {column}{declared_rows}; deskui reads at most "
                "{max_columns} columns and {max_rows:,} rows: delete the cells beyond your "
                "table, or split the file",
                path=path.name,
                column=column_letter(declared_cols),
                declared_rows=declared_rows,
                max_columns=MAX_COLUMNS,
                max_rows=MAX_ROWS,
            )
        # The declared size may lie: read without it, never more than the bounds.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        header = next(rows, None)
        if header is None or all(v is None for v in header):
            raise ImportFileError(
                "{path}: the first sheet is empty or has no header row", path=path.name
            )
        names = _header(header, path, columns)
        gap: tuple[Any, ...] | None = None
        for line, values in enumerate(rows, start=2):
            if line > MAX_ROWS + 1:
                raise ImportFileError(
                    "{path}: line {line}: more than {max_rows:,} rows; split the file",
                    path=path.name,
                    line=line,
                    max_rows=MAX_ROWS,
                )
            if values is gap:
                continue  # openpyxl fills missing rows with one shared empty tuple: skip fast
            if not any(v is not None for v in values):
                gap = values
                continue
            row = _row(line, names, values, columns)
            if row is not None:
                yield row
    except ImportFileError:
        raise
    except Exception as exc:  # zlib, XML or openpyxl errors inside a damaged sheet
        raise ImportFileError(
            "{path}: line {line}: the sheet is damaged ({error}); save it again from the spreadsheet program",
            path=path.name,
            line=line + 1,
            error=type(exc).__name__,
        ) from None
    finally:
        book.close()


def read_rows(path: Path, columns: Columns, *, encoding: str | None = None) -> Iterator[RawRow]:
    """Rows with line numbers as a spreadsheet shows them; `encoding` forces a CSV's."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportFileError("{path}: no such file", path=str(path))
    if suffix in (".csv", ".txt", ".tsv"):
        yield from _csv_rows(path, columns, encoding)
    elif suffix in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path, columns)
    else:
        raise ImportFileError(
            "{path}: only .csv (or .txt, .tsv) and .xlsx files can be imported", path=path.name
        )
