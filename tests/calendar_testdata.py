"""TEST DATA — an invented 2027 China holiday schedule, for tests only.

None of these dates are real. The State Council had not published the 2027 schedule when
this was written; the dates below only have the *shape* of one (week-long holidays with
make-up Saturdays/Sundays around them) so that due times can be checked around them.
Never copy them into a site's calendar.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

# TEST DATA (invented): (first day, last day, name) of each holiday block.
TEST_2027_HOLIDAYS = [
    (date(2027, 1, 1), date(2027, 1, 1), "TEST New Year"),
    (date(2027, 2, 5), date(2027, 2, 11), "TEST Spring Festival"),
    (date(2027, 5, 1), date(2027, 5, 5), "TEST Labour Day"),
    (date(2027, 10, 1), date(2027, 10, 7), "TEST National Day"),
]
# TEST DATA (invented): make-up working days — two Saturdays and two Sundays.
TEST_2027_WORKDAYS = [
    (date(2027, 1, 30), "TEST make-up Saturday"),
    (date(2027, 2, 20), "TEST make-up Saturday"),
    (date(2027, 4, 25), "TEST make-up Sunday"),
    (date(2027, 9, 26), "TEST make-up Sunday"),
]


def invented_2027_rows() -> list[tuple[date, str, str]]:
    """(date, kind, name) for every date of the invented schedule."""
    rows: list[tuple[date, str, str]] = []
    for first, last, name in TEST_2027_HOLIDAYS:
        day = first
        while day <= last:
            rows.append((day, "holiday", name))
            day += timedelta(days=1)
    rows += [(day, "workday", name) for day, name in TEST_2027_WORKDAYS]
    return sorted(rows)


def write_invented_2027_csv(path: Path) -> Path:
    lines = ["date,kind,name", "# TEST DATA: an invented 2027 schedule, not the real one"]
    lines += [f"{day.isoformat()},{kind},{name}" for day, kind, name in invented_2027_rows()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_invented_2027_ics(path: Path) -> Path:
    """The same invented schedule as an iCalendar file (one event per block)."""
    events = []
    for index, (first, last, name) in enumerate(TEST_2027_HOLIDAYS):
        end = last + timedelta(days=1)
        events.append(
            f"BEGIN:VEVENT\r\nUID:test-h{index}@deskui\r\nDTSTAMP:20261101T000000Z\r\n"
            f"DTSTART;VALUE=DATE:{first:%Y%m%d}\r\nDTEND;VALUE=DATE:{end:%Y%m%d}\r\n"
            f"SUMMARY:{name}\r\nEND:VEVENT\r\n"
        )
    for index, (day, name) in enumerate(TEST_2027_WORKDAYS):
        events.append(
            f"BEGIN:VEVENT\r\nUID:test-w{index}@deskui\r\nDTSTAMP:20261101T000000Z\r\n"
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}\r\nSUMMARY:{name} (补班)\r\nEND:VEVENT\r\n"
        )
    body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//deskui tests//EN\r\n"
    path.write_text(body + "".join(events) + "END:VCALENDAR\r\n", encoding="utf-8")
    return path
