"""Site calendar entries in the pure domain calendar (issue 17).

2027 dates are TEST DATA (invented); 2026 dates are the holidays package's official ones.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from deskui.domain.calendar import BusinessCalendar, SiteDay
from deskui.domain.sla import SlaPolicy, deciding_entries

SH = ZoneInfo("Asia/Shanghai")


def test_site_entries_override_the_package_date_by_date() -> None:
    site = [
        SiteDay(date(2026, 10, 8), "workday", "TEST site works on a package holiday", "admin"),
        SiteDay(date(2026, 11, 24), "holiday", "TEST site day off", "admin"),
        SiteDay(date(2026, 11, 28), "workday", "TEST Saturday", "file"),
    ]
    cal = BusinessCalendar(site_days=site)
    assert cal.hours_on(date(2026, 10, 8))  # the package's National Day holiday, worked
    assert not cal.is_working_day(date(2026, 11, 24))
    assert cal.day_kind(date(2026, 11, 28)) == "makeup"
    assert cal.entry(date(2026, 11, 28)).source == "file"  # type: ignore[union-attr]
    # Other package dates of the official year stay as they are.
    assert not cal.is_working_day(date(2026, 10, 1))
    assert cal.entry(date(2026, 10, 1)).source == "package"  # type: ignore[union-attr]
    assert cal.year_status(2026).package_official


def test_an_estimated_year_gives_way_to_a_site_schedule() -> None:
    guessed = BusinessCalendar()
    guesses = [e.day for e in guessed.entries_between(date(2027, 1, 1), date(2027, 12, 31))]
    assert guesses and guessed.year_status(2027).estimated
    # TEST DATA: one invented make-up Saturday makes the site the source for 2027.
    cal = BusinessCalendar(site_days=[SiteDay(date(2027, 2, 20), "workday", "TEST", "file")])
    assert [e.day for e in cal.entries_between(date(2027, 1, 1), date(2027, 12, 31))] == [
        date(2027, 2, 20)
    ]
    assert not cal.year_status(2027).estimated
    # Holidays only: still a guess.
    holidays_only = BusinessCalendar(
        site_days=[SiteDay(date(2027, 2, 8), "holiday", "TEST", "file")]
    )
    assert holidays_only.year_status(2027).estimated


def test_site_day_is_validated() -> None:
    with pytest.raises(ValueError, match="use holiday or workday"):
        SiteDay(date(2027, 1, 1), "vacation")
    with pytest.raises(ValueError, match="source"):
        SiteDay(date(2027, 1, 1), "holiday", source="internet")


def test_policy_explains_only_the_entries_that_changed_the_count() -> None:
    site = [
        SiteDay(date(2027, 2, 19), "holiday", "TEST Friday off", "admin"),
        SiteDay(date(2027, 2, 20), "holiday", "TEST Saturday (no effect)", "admin"),
        SiteDay(date(2027, 2, 21), "workday", "TEST make-up Sunday", "admin"),
    ]
    policy = SlaPolicy(site_days=site)
    start = datetime(2027, 2, 18, 17, 0, tzinfo=SH)
    due = policy.business.add(start, timedelta(hours=2))
    assert due == datetime(2027, 2, 21, 10, 0, tzinfo=SH)
    names = [e.name for e in deciding_entries(policy.business, start, due)]
    assert names == ["TEST Friday off", "TEST make-up Sunday"]
