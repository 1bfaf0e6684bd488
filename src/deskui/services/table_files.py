"""Reading the first sheet of a CSV or XLSX file as (line, {column: value}) rows, with one
clear message for a file that cannot be read or whose header is wrong. Shared by every
import (tickets, products) so they all answer the same way."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from deskui.services.errors import ServiceError


class ImportFileError(ServiceError):
    """The file as a whole cannot be read (format, header)."""


@dataclass(frozen=True, slots=True)
class Columns:
    """What a header may hold: `allowed` (named in messages), `required`, and `tolerated`
    columns that are accepted and left for the caller to drop."""

    allowed: tuple[str, ...]
    required: tuple[str, ...]
    tolerated: frozenset[str] = frozenset()


def _header(header: Iterable[Any], path: Path, columns: Columns) -> list[str]:
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    known = set(columns.allowed) | columns.tolerated
    unknown = [n for n in names if n and n not in known]
    if unknown:
        raise ImportFileError(
            f"{path.name}: unknown column(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(columns.allowed)}"
        )
    missing = [n for n in columns.required if n not in names]
    if missing:
        raise ImportFileError(f"{path.name}: missing required column(s) {', '.join(missing)}")
    twice = [n for n, c in Counter(names).items() if n and c > 1]
    if twice:
        raise ImportFileError(f"{path.name}: column(s) given twice: {', '.join(twice)}")
    return names


def _csv_rows(path: Path, columns: Columns) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        handle: IO[str] = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read: {exc.strerror}") from None
    with handle:
        reader = csv.reader(handle)
        try:
            names = _header(next(reader), path, columns)
        except StopIteration:
            raise ImportFileError(f"{path.name}: the file is empty") from None
        except UnicodeDecodeError:
            raise ImportFileError(f"{path.name}: not UTF-8 text (save the CSV as UTF-8)") from None
        for values in reader:
            if any(v.strip() for v in values):
                yield reader.line_num, dict(zip(names, values, strict=False))


def _xlsx_rows(path: Path, columns: Columns) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    if not path.exists():
        raise ImportFileError(f"{path}: no such file")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(f"{path.name}: not a readable XLSX file ({exc})") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ImportFileError(f"{path.name}: the first sheet is empty")
        names = _header(header, path, columns)
        for line, values in enumerate(rows, start=2):
            if any(v is not None and str(v).strip() for v in values):
                yield line, {n: v for n, v in zip(names, values, strict=False) if v is not None}
    finally:
        book.close()


def read_rows(path: Path, columns: Columns) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, {column: value}) pairs; line numbers are as a spreadsheet shows them."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _csv_rows(path, columns)
    elif suffix in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path, columns)
    else:
        raise ImportFileError(f"{path.name}: only .csv and .xlsx files can be imported")
