"""The site's business calendar: read it, judge its years, and change it (audited).

Admins and supervisors may change it; every change and every refusal is recorded with the
real actor. A change is one transaction: the entries, the calendar's revision, the due times
of the open tickets whose clocks cross the changed dates (found by SQL, recomputed in keyset
chunks), one timeline line per moved ticket and one audit event saying how many moved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from deskui.domain.actors import Actor
from deskui.domain.calendar import DAY_KINDS, BusinessCalendar, SiteDay, YearStatus
from deskui.domain.calendar_views import ChangeResult, YearView, may_change
from deskui.domain.enums import EventKind
from deskui.domain.errors import CalendarConflict
from deskui.domain.sla import SlaPolicy
from deskui.services.audit import refuse
from deskui.services.calendar_files import read_calendar_file, write_csv, write_ics
from deskui.services.context import ServiceContext
from deskui.services.errors import InvalidAction, PermissionDenied
from deskui.services.sla_fields import due_columns
from deskui.store import calendar as store

_EXPORT_KIND = {"closed": "holiday", "open": "workday"}  # config.toml's dates, when not moved
CHECK_NEXT_YEAR_FROM_MONTH = 11  # the State Council publishes late October to early December


@dataclass(frozen=True, slots=True)
class Change:
    """One date's site entry before and after (None: no site entry)."""

    day: date
    before: SiteDay | None
    after: SiteDay | None

    @property
    def verb(self) -> str:
        if self.before is None:
            return "add"
        return "remove" if self.after is None else "change"


@dataclass
class ImportPlan:
    """What an import would change; `apply_import` applies it if the calendar is unchanged."""

    path: Path
    entries: list[SiteDay]
    changes: list[Change]
    years: list[int]
    revision: int


# -- reading ----------------------------------------------------------------------------------


def site_entries(ctx: ServiceContext) -> list[store.SiteDayRow]:
    with ctx.read() as session:
        return store.site_days(session)


def year_view(ctx: ServiceContext, year: int) -> YearView:
    calendar = ctx.policy.business
    kinds: dict[date, str] = {}
    day = date(year, 1, 1)
    while day.year == year:
        kinds[day] = calendar.day_kind(day)
        day += timedelta(days=1)
    entries = [
        (e.day, e.kind, e.name, e.source)
        for e in calendar.entries_between(date(year, 1, 1), date(year, 12, 31))
    ]
    return YearView(year, calendar.year_status(year), kinds, entries)


def years_to_check(now: datetime, ctx: ServiceContext) -> list[int]:
    """The current year, and from November on also the next (local dates)."""
    local = now.astimezone(ctx.policy.business.tz).date()
    years = [local.year]
    if local.month >= CHECK_NEXT_YEAR_FROM_MONTH:
        years.append(local.year + 1)
    return years


def estimated_years(ctx: ServiceContext, now: datetime | None = None) -> list[int]:
    """The years `check` looks at whose data is estimated (holidays, no make-up day)."""
    calendar = ctx.policy.business
    return [
        year
        for year in years_to_check(now or ctx.now(), ctx)
        if calendar.year_status(year).estimated
    ]


def check(ctx: ServiceContext, now: datetime | None = None) -> list[tuple[YearStatus, bool]]:
    """(status, ok) per year to check: ok when the year has official package or site data."""
    calendar = ctx.policy.business
    found = []
    for year in years_to_check(now or ctx.now(), ctx):
        status = calendar.year_status(year)
        found.append((status, not status.estimated))
    return found


def export_calendar(
    ctx: ServiceContext, out: IO[str], fmt: str = "csv", years: Sequence[int] | None = None
) -> int:
    """Every entry of the given years (default: the site's years, or this and next year)."""
    calendar = ctx.policy.business
    if not years:
        site_years = {row.entry.day.year for row in site_entries(ctx)}
        this = ctx.now().astimezone(calendar.tz).year
        years = sorted(site_years | {this, this + 1})
    rows: list[tuple[SiteDay, str]] = []
    for year in years:
        for entry in calendar.entries_between(date(year, 1, 1), date(year, 12, 31)):
            kind = _EXPORT_KIND.get(entry.kind, entry.kind)
            rows.append((SiteDay(entry.day, kind, entry.name), entry.source))
    if fmt == "ics":
        write_ics(rows, out, ctx.now())
    elif fmt == "csv":
        write_csv(rows, out)
    else:
        raise InvalidAction("unknown format {fmt!r}: use csv or ics", fmt=fmt)
    return len(rows)


# -- changing ---------------------------------------------------------------------------------


def _refuse(ctx: ServiceContext, actor: Actor, what: str) -> PermissionDenied:
    """Record the refusal (its own transaction: the refused change writes nothing else)."""
    return refuse(
        ctx,
        actor,
        f"calendar {what}",
        "your role ({role}) may not change the business calendar",
        role=actor.role,
    )


def _entry_json(entry: SiteDay | None) -> dict[str, str] | None:
    if entry is None:
        return None
    return {"kind": entry.kind, "name": entry.name, "source": entry.source}


def _ranges(zone: tzinfo, days: Iterable[date]) -> list[tuple[datetime, datetime]]:
    """Changed local dates as UTC [start, end) ranges, neighbouring dates merged."""
    ranges: list[tuple[datetime, datetime]] = []
    previous: date | None = None
    for day in sorted(set(days)):
        start = datetime.combine(day, time(0), tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        if previous is not None and day == previous + timedelta(days=1):
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
        previous = day
    return ranges


def changed_days(old: BusinessCalendar, new: BusinessCalendar, years: Iterable[int]) -> list[date]:
    """The dates of `years` whose working hours differ between two calendars (an entry can
    change other dates too: a site schedule replaces a year the package only estimates)."""
    found = []
    for year in sorted(set(years)):
        day = date(year, 1, 1)
        while day.year == year:
            if old.hours_on(day) != new.hours_on(day):
                found.append(day)
            day += timedelta(days=1)
    return found


def _recompute(
    session: Session,
    ctx: ServiceContext,
    old: SlaPolicy,
    new: SlaPolicy,
    years: Iterable[int],
    now: datetime,
) -> tuple[int, int]:
    """New due times for the open tickets crossing the changed dates: (dates, tickets moved)."""
    days = changed_days(old.business, new.business, years)
    moved = 0
    for chunk in store.open_tickets_crossing(session, _ranges(new.business.tz, days)):
        changes = []
        for row in chunk:
            values = due_columns(new, row)
            if any(getattr(row, name) != value for name, value in values.items()):
                changes.append((row, values))
        store.update_due_times(session, changes, now)
        moved += len(changes)
    return len(days), moved


def _policy_in(session: Session, ctx: ServiceContext) -> SlaPolicy:
    """The policy on the calendar as this transaction sees it."""
    state = store.state(session)
    days = [row.entry for row in store.site_days(session)]
    return SlaPolicy(ctx.site.sla, days, config_dates=not state.config_adopted)


def _apply(
    ctx: ServiceContext,
    actor: Actor,
    changes: list[Change],
    body: str,
    expected_revision: int | None = None,
    extra: dict[str, object] | None = None,
) -> ChangeResult:
    now = ctx.now()

    def work(session: Session) -> ChangeResult:
        revision = store.bump_revision(session, expected_revision)
        if revision is None:
            raise CalendarConflict(
                "the calendar changed since the changes were shown; nothing was applied "
                "(run the import again to see the new changes)"
            )
        old = _policy_in(session, ctx)
        for change in changes:
            if change.after is None:
                store.delete_days(session, [change.day])
            else:
                store.put_day(session, change.after, actor.id, now)
        new = _policy_in(session, ctx)
        dates, moved = _recompute(session, ctx, old, new, {c.day.year for c in changes}, now)
        store.audit(
            session,
            actor.id,
            now,
            EventKind.CALENDAR,
            body,
            before={"days": {c.day.isoformat(): _entry_json(c.before) for c in changes}},
            after={
                "days": {c.day.isoformat(): _entry_json(c.after) for c in changes},
                "tickets_moved": moved,
                "dates_changed": dates,
                "revision": revision,
                **(extra or {}),
            },
        )
        return ChangeResult(len(changes), moved, revision)

    result = ctx.write(work)
    ctx.forget_policy()
    return result


def set_day(
    ctx: ServiceContext, actor: Actor, day: date, kind: str, name: str = ""
) -> ChangeResult:
    """Make `day` a holiday or a working day for the site (source: admin)."""
    if not may_change(actor):
        raise _refuse(ctx, actor, f"set {day} {kind}")
    if kind not in DAY_KINDS:
        raise InvalidAction("kind {kind!r}: use holiday or workday", kind=kind)
    name = name.strip()
    if len(name) > 120 or any(ord(ch) < 32 for ch in name):
        raise InvalidAction("the name must be at most 120 characters, without control characters")
    after = SiteDay(day, kind, name, "admin")
    with ctx.read() as session:
        before = next((r.entry for r in store.site_days(session) if r.entry.day == day), None)
    return _apply(ctx, actor, [Change(day, before, after)], f"calendar: set {day} {kind}")


def unset_day(ctx: ServiceContext, actor: Actor, day: date) -> ChangeResult:
    """Remove the site's entry for `day` (the package's data, if any, applies again)."""
    if not may_change(actor):
        raise _refuse(ctx, actor, f"unset {day}")
    with ctx.read() as session:
        before = next((r.entry for r in store.site_days(session) if r.entry.day == day), None)
    if before is None:
        raise InvalidAction("{day} has no site entry", day=str(day))
    return _apply(ctx, actor, [Change(day, before, None)], f"calendar: unset {day}")


def plan_import(ctx: ServiceContext, actor: Actor, path: Path) -> ImportPlan:
    """Read the file and work out its changes; nothing is written (but a refusal is audited).

    The file is the schedule of the years it covers: their site entries are replaced by the
    file's, so a corrected file removes dates it no longer lists.
    """
    if not may_change(actor):
        raise _refuse(ctx, actor, f"import {Path(path).name}")
    entries = read_calendar_file(Path(path))
    years = sorted({e.day.year for e in entries})
    with ctx.read() as session:
        revision = store.revision(session)
        current = {r.entry.day: r.entry for r in store.site_days(session)}
    wanted = {e.day: e for e in entries}
    changes: list[Change] = []
    for day in sorted(set(wanted) | {d for d in current if d.year in years}):
        before, after = current.get(day), wanted.get(day)
        if before != after:
            changes.append(Change(day, before, after))
    return ImportPlan(Path(path), entries, changes, years, revision)


def apply_import(ctx: ServiceContext, actor: Actor, plan: ImportPlan) -> ChangeResult:
    if not may_change(actor):
        raise _refuse(ctx, actor, f"import {plan.path.name}")
    if not plan.changes:
        return ChangeResult(0, 0, plan.revision)
    return _apply(
        ctx,
        actor,
        plan.changes,
        f"calendar: import {plan.path.name}",
        expected_revision=plan.revision,
        extra={"file": plan.path.name, "years": plan.years},
    )


def adopt_config_dates(
    ctx: ServiceContext,
    actor_id: int | None,
    closed: Sequence[date],
    opened: Sequence[date],
    file: str,
) -> tuple[int, int]:
    """Move a settings file's sla.calendar closed_dates/open_dates into the calendar.

    `deskui site import` of an old config.toml calls this: the dates become site entries
    (closed -> holiday, open -> workday, source file; the database's own entry for a date
    wins), open tickets crossing them get new due times, and one audit event says so.
    Returns (dates added, tickets moved). It checks no role: its one caller,
    `services.site.apply_import`, has made sure the caller is an admin.
    """
    if not closed and not opened:
        return 0, 0
    now = ctx.now()
    label = Path(file).name[:100]
    entries = [SiteDay(d, "holiday", f"{label} closed_dates", "file") for d in closed]
    entries += [SiteDay(d, "workday", f"{label} open_dates", "file") for d in opened]

    def work(session: Session) -> tuple[int, int]:
        old = _policy_in(session, ctx)
        store.mark_config_adopted(session)
        current = {r.entry.day for r in store.site_days(session)}
        added = [e for e in entries if e.day not in current]  # the database's entry wins
        for entry in added:
            store.put_day(session, entry, actor_id, now)
        store.bump_revision(session)
        new = _policy_in(session, ctx)
        _dates, moved = _recompute(session, ctx, old, new, {e.day.year for e in entries}, now)
        store.audit(
            session,
            actor_id,
            now,
            EventKind.CALENDAR,
            f"calendar: closed_dates/open_dates moved from {label} into the database",
            after={
                "days": {e.day.isoformat(): _entry_json(e) for e in added},
                "tickets_moved": moved,
            },
        )
        return len(added), moved

    result = ctx.write(work)
    ctx.forget_policy()
    return result
