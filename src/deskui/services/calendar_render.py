"""The business calendar as text: month grids readable without colour, a legend, and what
a year's data rests on. Shared by `deskui calendar show` and the desk's calendar screen."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

from deskui.domain.calendar import YearStatus
from deskui.i18n import N_, _, formats

# Every day's kind has its own brackets, so the grid reads the same in any terminal.
MARKS: dict[str, tuple[str, str]] = {
    "working": (" ", " "),
    "weekend": ("(", ")"),
    "holiday": ("[", "]"),
    "makeup": ("<", ">"),
}
KIND_NAMES = {
    "working": N_("working day"),
    "weekend": N_("weekend"),
    "holiday": N_("holiday"),
    "makeup": N_("make-up working day"),
}
ENTRY_KINDS = {
    "holiday": N_("holiday"),
    "workday": N_("working day"),
    "closed": N_("closed"),
    "open": N_("open"),
}
WEEKDAY_HEADS = (N_("Mo"), N_("Tu"), N_("We"), N_("Th"), N_("Fr"), N_("Sa"), N_("Su"))
# Where a day's entry comes from (DayEntry.source), shown through _()
SOURCE_NAMES = (N_("package"), N_("file"), N_("admin"), N_("config"))
CELL = 4


def cells(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - cells(text))
    return space + text if right else text + space


def day_cell(day: date, kind: str) -> str:
    left, right = MARKS[kind]
    return f"{left}{day.day:>2}{right}"


def month_grid(year: int, month: int, kinds: dict[date, str]) -> list[str]:
    """Title, weekday heads and up to six week rows, each 7 x 4 cells wide."""
    first = date(year, month, 1)
    lines = [pad(f"{year}-{month:02d}", 7 * CELL)]
    lines.append("".join(pad(_(head), CELL - 1, right=True) + " " for head in WEEKDAY_HEADS))
    row = [" " * CELL] * first.weekday()
    day = first
    while day.month == month:
        row.append(day_cell(day, kinds.get(day, "working")))
        if len(row) == 7:
            lines.append("".join(row))
            row = []
        day += timedelta(days=1)
    if row:
        lines.append("".join(row + [" " * CELL] * (7 - len(row))))
    return lines


def year_grid(year: int, kinds: dict[date, str], per_row: int = 2) -> list[str]:
    """The twelve months, `per_row` side by side (2 fit 80 columns)."""
    out: list[str] = []
    for start in range(1, 13, per_row):
        grids = [month_grid(year, m, kinds) for m in range(start, min(13, start + per_row))]
        height = max(len(g) for g in grids)
        for index in range(height):
            parts = [g[index] if index < len(g) else " " * (7 * CELL) for g in grids]
            out.append("   ".join(parts).rstrip())
        out.append("")
    return out


def legend() -> str:
    return "   ".join(
        f"{MARKS[kind][0]}{7:>2}{MARKS[kind][1]} {_(KIND_NAMES[kind])}"
        for kind in ("working", "weekend", "holiday", "makeup")
    )


def status_line(status: YearStatus) -> str:
    """What the year's data rests on, in one line; ESTIMATED said plainly."""
    if status.estimated:
        return _(
            "{year}: ESTIMATED — holidays but no make-up working day: a guess, not the schedule"
        ).format(year=status.year)
    if status.site_entries and status.package_official:
        return _("{year}: official (holidays package) with {count} site entries").format(
            year=status.year, count=status.site_entries
        )
    if status.site_entries:
        return _("{year}: site data ({count} entries)").format(
            year=status.year, count=status.site_entries
        )
    if status.package_official:
        return _("{year}: official (holidays package)").format(year=status.year)
    return _("{year}: no public holidays (no holiday country and no site entries)").format(
        year=status.year
    )


def estimated_hint() -> str:
    return _(
        "Enter the schedule the day the State Council publishes it: deskui calendar import FILE"
    )


def estimated_warning(years: list[int]) -> str:
    """The one-line warning for estimated current/next years ('' when none)."""
    if not years:
        return ""
    return _(
        "Calendar {years} ESTIMATED: no make-up working days; SLA due times around holidays "
        "may be wrong"
    ).format(years=", ".join(str(y) for y in years))


def estimated_screen_warning(years: list[int]) -> str:
    """The calendar screen's shorter warning (one line at 80 columns)."""
    if not years:
        return ""
    return _("Calendar {years} ESTIMATED: no make-up working days entered yet").format(
        years=", ".join(str(y) for y in years)
    )


def entry_line(day: date, kind: str, name: str, source: str) -> str:
    shown_kind = _(ENTRY_KINDS.get(kind, kind))
    if kind == "workday" and day.weekday() >= 5:
        shown_kind = _("make-up working day")
    text = f"{day.isoformat()} {formats.weekday(day)}  {pad(shown_kind, 20)}"
    if name:
        text += f" {name}"
    return text + "  " + _("[source: {source}]").format(source=_(source))
