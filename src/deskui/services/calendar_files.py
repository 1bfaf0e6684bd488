"""Calendar files in and out: CSV (`date,kind,name`) and iCalendar (RFC 5545).

Reading is all or nothing: the first bad line raises `BadCalendarFile` with its line number
and the reason, and nothing is returned. iCalendar is parsed by the `icalendar` library,
imported on first use only.

CSV: one date per line, `kind` is `holiday` or `workday`; a header line `date,kind,name`,
blank lines and lines starting with `#` are skipped.
iCalendar: every VEVENT with all-day dates; DTEND (exclusive) makes it a range. Its kind
is the `X-DESKUI-KIND` property, else a `CATEGORIES` value of holiday/workday, else
"workday" when the summary says so (班, 补班, workday, working day), else holiday.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO

from deskui.domain.calendar import DAY_KINDS, HOLIDAY, WORKDAY, SiteDay
from deskui.services.errors import ServiceError

NAME_MAX = 120
MAX_RANGE_DAYS = 31  # one event longer than a month is a mistake, not a holiday
_WORKDAY_WORDS = ("补班", "班", "workday", "working day", "make-up")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class BadCalendarFile(ServiceError):
    """The file cannot be imported; `line` is where (0 when the file as a whole is wrong)."""

    def __init__(self, path: Path, line: int, message_id: str, /, **params: object) -> None:
        """`message_id` is the whole sentence, "{where}: …; nothing was changed"."""
        where = f"{path}:{line}" if line else str(path)
        super().__init__(message_id, where=where, **params)
        self.path = path
        self.line = line
        self.reason = str(self)


def read_calendar_file(path: Path, source: str = "file") -> list[SiteDay]:
    """Every date the file gives, in date order; BadCalendarFile on the first problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadCalendarFile(
            path,
            0,
            "{where}: cannot read: {error}; nothing was changed",
            error=str(exc.strerror or exc),
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BadCalendarFile(path, line, "{where}: not UTF-8 text; nothing was changed") from None
    if text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        entries = _read_ics(path, text, source)
    else:
        entries = _read_csv(path, text, source)
    if not entries:
        raise BadCalendarFile(path, 0, "{where}: no dates in the file; nothing was changed")
    return sorted(entries, key=lambda e: e.day)


def _clean_name(path: Path, line: int, name: str) -> str:
    name = name.strip()
    if len(name) > NAME_MAX:
        raise BadCalendarFile(
            path,
            line,
            "{where}: name longer than {most} characters; nothing was changed",
            most=NAME_MAX,
        )
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in name):
        raise BadCalendarFile(
            path, line, "{where}: name contains control characters; nothing was changed"
        )
    return name


def _parse_date(path: Path, line: int, text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadCalendarFile(
            path,
            line,
            "{where}: {text!r} is not a date (use YYYY-MM-DD); nothing was changed",
            text=text.strip(),
        ) from None


def _add(
    path: Path, line: int, seen: dict[date, int], found: list[SiteDay], entry: SiteDay
) -> None:
    if entry.day in seen:
        raise BadCalendarFile(
            path,
            line,
            "{where}: {day} already given on line {first}; nothing was changed",
            day=entry.day.isoformat(),
            first=seen[entry.day],
        )
    seen[entry.day] = line
    found.append(entry)


def _read_csv(path: Path, text: str, source: str) -> list[SiteDay]:
    found: list[SiteDay] = []
    seen: dict[date, int] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if number == 1 and row[0].strip().lower() == "date":
            continue
        if len(row) < 2 or len(row) > 4:  # a 4th column (source, from `export`) is ignored
            raise BadCalendarFile(
                path,
                number,
                "{where}: expected date,kind,name; got {count} fields; nothing was changed",
                count=len(row),
            )
        day = _parse_date(path, number, row[0])
        kind = row[1].strip().lower()
        if kind not in DAY_KINDS:
            raise BadCalendarFile(
                path,
                number,
                "{where}: kind {kind!r}: use holiday or workday; nothing was changed",
                kind=row[1].strip(),
            )
        name = _clean_name(path, number, row[2] if len(row) >= 3 else "")
        if name.startswith("'") and name[1:2] in _FORMULA_START:
            name = name[1:]  # written so by `export`
        _add(path, number, seen, found, SiteDay(day, kind, name, source))
    return found


def _event_lines(text: str) -> list[int]:
    """The line number of each BEGIN:VEVENT, so errors can point at the event."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]


def _ics_kind(event: object, summary: str) -> str:
    explicit = str(event.get("X-DESKUI-KIND", "")).strip().lower()  # type: ignore[attr-defined]
    if explicit:
        return explicit
    categories = event.get("CATEGORIES")  # type: ignore[attr-defined]
    values: list[str] = []
    for item in categories if isinstance(categories, list) else [categories]:
        if item is not None:
            values.extend(str(v).strip().lower() for v in getattr(item, "cats", [item]))
    for value in values:
        if value in DAY_KINDS:
            return value
    lowered = summary.lower()
    return WORKDAY if any(word in lowered for word in _WORKDAY_WORDS) else HOLIDAY


def _read_ics(path: Path, text: str, source: str) -> list[SiteDay]:
    import icalendar  # only when an iCalendar file is imported

    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise BadCalendarFile(
            path,
            0,
            "{where}: not a valid iCalendar file: {error}; nothing was changed",
            error=str(exc),
        ) from None
    lines = _event_lines(text)
    found: list[SiteDay] = []
    seen: dict[date, int] = {}
    for index, event in enumerate(calendar.walk("VEVENT")):
        line = lines[index] if index < len(lines) else 0
        start_prop = event.get("DTSTART")
        if start_prop is None:
            raise BadCalendarFile(path, line, "{where}: event without DTSTART; nothing was changed")
        start = start_prop.dt
        if isinstance(start, datetime) or not isinstance(start, date):
            raise BadCalendarFile(
                path,
                line,
                "{where}: DTSTART must be a date (an all-day event); nothing was changed",
            )
        end_prop = event.get("DTEND")
        end = end_prop.dt if end_prop is not None else start + timedelta(days=1)
        if isinstance(end, datetime) or not isinstance(end, date) or end <= start:
            raise BadCalendarFile(
                path, line, "{where}: DTEND must be a date after DTSTART; nothing was changed"
            )
        if (end - start).days > MAX_RANGE_DAYS:
            raise BadCalendarFile(
                path,
                line,
                "{where}: event longer than {most} days; nothing was changed",
                most=MAX_RANGE_DAYS,
            )
        summary = _clean_name(path, line, str(event.get("SUMMARY", "")))
        kind = _ics_kind(event, summary)
        if kind not in DAY_KINDS:
            raise BadCalendarFile(
                path,
                line,
                "{where}: kind {kind!r}: use holiday or workday; nothing was changed",
                kind=kind,
            )
        if summary.lower() == kind:
            summary = ""
        day = start
        while day < end:
            _add(path, line, seen, found, SiteDay(day, kind, summary, source))
            day += timedelta(days=1)
    return found


# -- writing --------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """A name as a CSV cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(entries: Iterable[tuple[SiteDay, str]], out: IO[str]) -> None:
    """`date,kind,name,source` — the first three columns import back as they are."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "kind", "name", "source"])
    for entry, source in entries:
        writer.writerow([entry.day.isoformat(), entry.kind, _cell(entry.name), source])


def write_ics(entries: Iterable[tuple[SiteDay, str]], out: IO[str], stamp: datetime) -> None:
    """One all-day VEVENT per date, with X-DESKUI-KIND so it imports back exactly."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//deskui//business calendar//EN")
    calendar.add("version", "2.0")
    for entry, source in entries:
        event = icalendar.Event()
        event.add("uid", f"{entry.day.isoformat()}-{entry.kind}@deskui")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", entry.name or entry.kind)
        event.add("categories", [entry.kind])
        event.add("x-deskui-kind", entry.kind)
        event.add("x-deskui-source", source)
        calendar.add_component(event)
    out.write(calendar.to_ical().decode("utf-8"))
