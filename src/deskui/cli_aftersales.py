"""After-sales commands: the product catalogue, engineers' visits and the fees report.

deskui import-products FILE [--skip-bad]
deskui visits [--engineer USER] [--days 7]
deskui report fees [--month 2026-10] [--format md|csv|xlsx|html] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

WIDTH = 80
MAX_DAYS = 366


def cmd_import_products(args: argparse.Namespace) -> int:
    from deskui.cli import _actor, _context, print_import_report
    from deskui.services.products import import_products

    ctx = _context(args)
    report = import_products(
        ctx, _actor(ctx), Path(args.file), skip_bad=args.skip_bad, encoding=args.encoding
    )
    return print_import_report(args.file, report, args.skip_bad, "product")


def _cells(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _cut(text: str, width: int = WIDTH) -> str:
    """`text` cut to `width` terminal cells (CJK characters take two), with … when cut."""
    if sum(_cells(ch) for ch in text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        if used + _cells(ch) > width - 1:
            break
        out.append(ch)
        used += _cells(ch)
    return "".join(out) + "…"


def cmd_visits(args: argparse.Namespace) -> int:
    from deskui.cli import CliError, _actor, _context
    from deskui.i18n import _, ngettext
    from deskui.services.repairs import RepairService

    if not 1 <= args.days <= MAX_DAYS:
        from deskui.i18n import _

        raise CliError("--days {days}: give 1 to {most} days", days=args.days, most=MAX_DAYS)
    ctx = _context(args)
    service = RepairService(ctx)
    engineers = {e.username: e for e in service.engineers()}
    if args.engineer:
        if args.engineer not in engineers:
            raise CliError(
                "{username}: no active engineer with that username", username=args.engineer
            )
        engineer_id: int | None = engineers[args.engineer].id
    else:
        me = _actor(ctx)
        engineer_id = me.id if me.username in engineers else None
    zone = ctx.site.zone
    rows = service.visits(engineer_id, days=args.days)
    who = (
        next(e.display_name for e in engineers.values() if e.id == engineer_id)
        if engineer_id is not None
        else _("all engineers")
    )
    heading = ngettext(
        "Visits of {who}, next {days} day ({zone}): {count}",
        "Visits of {who}, next {days} days ({zone}): {count}",
        args.days,
    )
    print(heading.format(who=who, days=args.days, zone=zone.key, count=len(rows)))
    day = None
    for v in rows:
        local = v.appointment_at.astimezone(zone)
        if local.date() != day:
            day = local.date()
            print(f"\n{day:%Y-%m-%d %a}")
        kind = "on-site" if v.kind.value == "on_site" else "send-back"
        cover = "W" if v.in_warranty else "$"  # W in warranty, $ paid
        product = v.product_model or "—"
        head = f"  {local:%H:%M} {kind:<9} {cover} {v.ticket_number} {product}"
        name = "" if engineer_id is not None else f" [{v.engineer_name}]"
        missed = " MISSED" if v.missed else ""
        print(_cut(head + name + missed))
        print(_cut(f"        {v.customer_name} {v.customer_phone}"))
        if v.address:
            print(_cut(f"        {v.address}"))
    if rows:
        print("\n" + _("W in warranty, $ paid (quote first); MISSED: passed, no work recorded"))
    return 0


def cmd_report_fees(args: argparse.Namespace) -> int:
    from deskui.cli import CliError, _context
    from deskui.cli_reports import report_to_stdout
    from deskui.services.repairs import fees_report
    from deskui.services.report_render import format_for, write_report

    fmt = format_for(args.out, args.format)
    if fmt == "xlsx" and not args.out and sys.stdout.isatty():
        raise CliError("an XLSX report is a binary file: give --out FILE (or redirect the output)")
    report = fees_report(_context(args), args.month)
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
            _("wrote the fees report for {period} to {path}").format(
                period=report.period, path=path
            ),
            file=sys.stderr,
        )
    else:
        report_to_stdout(report, fmt)
    return 0


def _report_parsers(sub: Any) -> Any:
    """The `report` command's sub-parsers (made by `cli_reports.add_report_commands`)."""
    report = sub.choices.get("report")
    if report is None:
        return sub.add_parser("report", help="reports", description="reports").add_subparsers(
            metavar="REPORT", required=True
        )
    return next(a for a in report._actions if isinstance(a, argparse._SubParsersAction))


def add_aftersales_commands(sub: Any, add: Callable[..., Any]) -> None:
    """Register the after-sales commands; call after `add_report_commands`."""
    imp = add(
        "import-products",
        cmd_import_products,
        "import the product catalogue (model, name, warranty months) from CSV or XLSX",
    )
    imp.add_argument("file", metavar="FILE", help="the CSV or XLSX file")
    imp.add_argument(
        "--skip-bad", action="store_true", help="import the good rows even when some are bad"
    )
    from deskui.cli import add_encoding_option

    add_encoding_option(imp)

    visits = add("visits", cmd_visits, "a field engineer's appointments, soonest first")
    visits.add_argument(
        "--engineer",
        metavar="USER",
        help="engineer's username (default: you, if you are an engineer; else everyone)",
    )
    visits.add_argument("--days", type=int, default=7, help="how many days ahead (default 7)")

    fees = add(
        "fees",
        cmd_report_fees,
        "repair fees (维修费用) of a month: totals by kind, product and engineer",
        _report_parsers(sub),
    )
    fees.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="calendar month in the site's time zone (default: this month; 'last' works)",
    )
    fees.add_argument(
        "--format",
        choices=("md", "xlsx", "csv", "html"),
        help="md, xlsx, csv or html (default: from --out's extension, else md)",
    )
    fees.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")
