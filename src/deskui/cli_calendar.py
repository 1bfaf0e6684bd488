"""Business calendar commands (issue 17): the site's holidays and make-up working days.

deskui calendar show [YEAR]
deskui calendar import FILE [--yes]
deskui calendar export [--format csv|ics] [--year YEAR ...] [--out FILE]
deskui calendar set DATE KIND [NAME]
deskui calendar unset DATE
deskui calendar check
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any


def _ctx(args: argparse.Namespace) -> Any:
    from deskui.cli import _context
    from deskui.i18n import set_language

    ctx = _context(args)
    set_language(ctx.settings.lang)
    return ctx


def _date(text: str) -> date:
    from deskui.cli import CliError

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError("{text!r} is not a date (use YYYY-MM-DD)", text=text) from None


def _warn_estimated(ctx: Any) -> None:
    from deskui.services.calendar import estimated_years
    from deskui.services.calendar_render import estimated_warning

    warning = estimated_warning(estimated_years(ctx))
    if warning:
        print(f"! {warning}")


def cmd_calendar_show(args: argparse.Namespace) -> int:
    from deskui.i18n import _
    from deskui.services.calendar import year_view
    from deskui.services.calendar_render import (
        entry_line,
        estimated_hint,
        legend,
        status_line,
        year_grid,
    )

    ctx = _ctx(args)
    year = args.year or ctx.now().astimezone(ctx.policy.business.tz).year
    view = year_view(ctx, year)
    _warn_estimated(ctx)
    print(status_line(view.status))
    if view.status.estimated:
        print(estimated_hint())
    print()
    for line in year_grid(year, view.kinds):
        print(line)
    print(legend())
    print()
    print(_("Entries ({count}):").format(count=len(view.entries)))
    for day, kind, name, source in view.entries:
        print("  " + entry_line(day, kind, name, source))
    return 0


def _change_line(change: Any) -> str:
    from deskui.i18n import N_, _

    def describe(entry: Any) -> str:
        if entry is None:
            return _("(no site entry)")
        kind = {"holiday": N_("holiday"), "workday": N_("workday")}.get(entry.kind, entry.kind)
        return _("{kind} {name}").format(kind=_(kind), name=entry.name).rstrip()

    verb = {"add": "+", "remove": "-", "change": "~"}[change.verb]
    return (
        f"  {verb} {change.day.isoformat()}  {describe(change.before)} -> {describe(change.after)}"
    )


def cmd_calendar_import(args: argparse.Namespace) -> int:
    from deskui.cli import CliError, _actor
    from deskui.i18n import _
    from deskui.services.calendar import apply_import, plan_import

    ctx = _ctx(args)
    actor = _actor(ctx)
    plan = plan_import(ctx, actor, Path(args.file))
    years = ", ".join(str(y) for y in plan.years)
    print(
        _("{file}: {dates} date(s) for {years}; {count} change(s):").format(
            file=args.file, dates=len(plan.entries), years=years, count=len(plan.changes)
        )
    )
    for change in plan.changes:
        print(_change_line(change))
    if not plan.changes:
        print(_("Nothing to change."))
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("nothing applied: give --yes to apply the changes above")
        answer = input(_("Apply these changes? [y/N] ")).strip().lower()
        if answer not in ("y", "yes", "是"):
            print(_("Nothing applied."))
            return 1
    result = apply_import(ctx, actor, plan)
    print(
        _("Applied {count} change(s); {moved} open ticket(s) got new due times.").format(
            count=result.changes, moved=result.moved
        )
    )
    return 0


def cmd_calendar_export(args: argparse.Namespace) -> int:
    from deskui.cli import CliError
    from deskui.i18n import _
    from deskui.services.calendar import export_calendar

    ctx = _ctx(args)
    fmt = args.format or ("ics" if args.out and args.out.endswith(".ics") else "csv")
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8", newline="") as handle:
                count = export_calendar(ctx, handle, fmt, args.year)
        except OSError as exc:
            raise CliError(
                "cannot write {path}: {error}", path=args.out, error=str(exc.strerror or exc)
            ) from None
        print(_("Exported {count} date(s) to {file}").format(count=count, file=args.out))
    else:
        export_calendar(ctx, sys.stdout, fmt, args.year)
    return 0


def _print_result(result: Any) -> None:
    from deskui.i18n import _

    print(_("Saved; {moved} open ticket(s) got new due times.").format(moved=result.moved))


def cmd_calendar_set(args: argparse.Namespace) -> int:
    from deskui.cli import _actor
    from deskui.services.calendar import set_day

    day = _date(args.date)
    ctx = _ctx(args)
    _print_result(set_day(ctx, _actor(ctx), day, args.kind, " ".join(args.name)))
    return 0


def cmd_calendar_unset(args: argparse.Namespace) -> int:
    from deskui.cli import _actor
    from deskui.services.calendar import unset_day

    day = _date(args.date)
    ctx = _ctx(args)
    _print_result(unset_day(ctx, _actor(ctx), day))
    return 0


def cmd_calendar_check(args: argparse.Namespace) -> int:
    """Exit 1 when the current year (and from November the next) has no official data."""
    from deskui.services.calendar import check
    from deskui.services.calendar_render import estimated_hint, status_line

    ctx = _ctx(args)
    results = check(ctx)
    for status, ok in results:
        print(("ok   " if ok else "FAIL ") + status_line(status))
    if not all(ok for _status, ok in results):
        print(estimated_hint())
    return 0 if all(ok for _status, ok in results) else 1


def add_calendar_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    from deskui.i18n import N_

    about = N_("business calendar: public holidays and make-up working days")
    calendar = sub.add_parser("calendar", help=about, description=about).add_subparsers(
        metavar="ACTION", required=True
    )
    show = add("show", cmd_calendar_show, "print a year's month grid and its entries", calendar)
    show.add_argument("year", nargs="?", type=int, help="year (default: this year)")
    imp = add(
        "import",
        cmd_calendar_import,
        "import a schedule (iCalendar .ics or CSV date,kind,name); shows the changes first",
        calendar,
    )
    imp.add_argument("file", help="the .ics or .csv file")
    imp.add_argument("--yes", action="store_true", help="apply without asking")
    exp = add("export", cmd_calendar_export, "write the calendar out as CSV or iCalendar", calendar)
    exp.add_argument(
        "--format",
        choices=["csv", "ics"],
        help="file format (default: from --out's extension, else csv)",
    )
    exp.add_argument("--year", type=int, action="append", help="only this year (repeatable)")
    exp.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")
    set_ = add("set", cmd_calendar_set, "make a date a holiday or a working day", calendar)
    set_.add_argument("date", help="the date, YYYY-MM-DD")
    set_.add_argument(
        "kind", choices=["holiday", "workday"], help="holiday, or workday for a make-up day"
    )
    set_.add_argument("name", nargs="*", help="e.g. 春节")
    unset = add("unset", cmd_calendar_unset, "remove the site's entry for a date", calendar)
    unset.add_argument("date", help="the date, YYYY-MM-DD")
    add(
        "check",
        cmd_calendar_check,
        "exit 1 when this year (from November also next year) has no official or site data",
        calendar,
    )
