"""`deskui report …` sub-commands (monthly analysis, staff assessment, weekly feedback, fees).

    deskui report monthly [--month 2026-10] [--format md|xlsx|csv|html] [--out FILE]
    deskui report agents  [--quarter 2026Q3] [...]
    deskui report weekly  [--week 2026-W47] [...]

Periods are in the site's time zone; each defaults to the current one and also accepts
`last`. The format defaults to the extension of --out, else Markdown; without --out the
report goes to standard output. A progress bar goes to standard error when it is a terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

FORMATS = ("md", "xlsx", "csv", "html")


class ProgressBar:
    """`[#######.......] 3/9 KPIs last month` on one line of a terminal, erased at the end."""

    WIDTH = 24

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int, label: str) -> None:
        filled = round(self.WIDTH * done / total) if total else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} {label[:40]:<40}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * (self.WIDTH + 52) + "\r")
            self.stream.flush()


def _run(args: argparse.Namespace, kind: str, spec: str | None) -> int:
    from deskui.cli import CliError, _context
    from deskui.cli_output import raw
    from deskui.services.report_render import format_for, write_report
    from deskui.services.reports import REPORTS

    fmt = format_for(args.out, args.format)
    if fmt == "xlsx" and not args.out and sys.stdout.isatty():
        raise CliError("an XLSX report is a binary file: give --out FILE (or redirect the output)")
    ctx = _context(args)
    bar = ProgressBar(raw(sys.stderr)) if sys.stderr.isatty() else None
    try:
        report = REPORTS[kind](ctx, spec, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    if args.out:
        path = Path(args.out)
        try:
            write_report(report, fmt, path)
        except OSError as exc:
            raise CliError(
                "cannot write {path}: {error}", path=str(path), error=str(exc.strerror or exc)
            ) from None
        from deskui.i18n import _

        print(
            _("wrote the {kind} report for {period} to {path}").format(
                kind=kind, period=report.period, path=path
            ),
            file=sys.stderr,
        )
    else:
        report_to_stdout(report, fmt)
    return 0


def report_to_stdout(report: Any, fmt: str) -> None:
    """XLSX as bytes; every text format through the safe output path."""
    from deskui.services.report_render import TEXT_WRITERS, write_report

    sys.stdout.flush()
    if fmt == "xlsx":
        write_report(report, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    sys.stdout.write(TEXT_WRITERS[fmt](report))
    sys.stdout.flush()


def cmd_report_monthly(args: argparse.Namespace) -> int:
    return _run(args, "monthly", args.month)


def cmd_report_agents(args: argparse.Namespace) -> int:
    return _run(args, "agents", args.quarter)


def cmd_report_weekly(args: argparse.Namespace) -> int:
    return _run(args, "weekly", args.week)


def _output_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--format",
        choices=FORMATS,
        help="md, xlsx, csv or html (default: from --out's extension, else md)",
    )
    command.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")


def add_report_commands(sub: Any, add: Callable[..., Any]) -> None:
    """Register the report commands on the main parser's sub-parsers."""
    from deskui.i18n import N_

    about = N_("reports: monthly analysis, staff assessment, weekly feedback")
    report = sub.add_parser("report", help=about, description=about).add_subparsers(
        metavar="REPORT", required=True
    )

    monthly = add(
        "monthly",
        cmd_report_monthly,
        "monthly after-sales analysis (售后问题月度分析报告): volumes, Pareto, SLA, KPIs, "
        "teams and agents",
        report,
    )
    monthly.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="calendar month in the site's time zone (default: this month; 'last' works)",
    )
    _output_options(monthly)

    agents = add(
        "agents",
        cmd_report_agents,
        "quarterly staff assessment per agent (satisfaction, complaint rate, response and "
        "resolution time, tickets handled)",
        report,
    )
    agents.add_argument(
        "--quarter", metavar="YYYYQn", help="e.g. 2026Q3 (default: this quarter; 'last' works)"
    )
    _output_options(agents)

    weekly = add(
        "weekly",
        cmd_report_weekly,
        "weekly feedback report: new complaints and suggestions, top issues, callbacks not reached",
        report,
    )
    weekly.add_argument(
        "--week",
        metavar="YYYY-Www",
        help="ISO week, e.g. 2026-W47 (default: this week; 'last' works)",
    )
    _output_options(weekly)
