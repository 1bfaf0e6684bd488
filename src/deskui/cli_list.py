"""`deskui list`: the queue for scripts, in the spirit of `gh issue list`.

deskui list [--view open|mine|…|all] [--search TEXT] [--sort urgency|created|priority|best]
            [--limit N] [--format table|csv|json]

JSON and CSV carry machine values (enum values, ISO 8601 instants with the site's offset);
the table is for people: translated labels, cut to the terminal's width (CJK counts two
cells). Customer text is printed with control characters made visible, and CSV cells that
a spreadsheet would run as a formula are quoted with a leading apostrophe.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

VIEWS = {
    "open": "open",
    "mine": "mine",
    "unassigned": "unassigned",
    "at-risk": "at_risk",
    "breached": "breached",
    "pending": "pending",
    "complaints": "complaints",
    "vip": "vip",
    "callback": "callback",
    "all": "all",
}
FIELDS = (
    "number",
    "subject",
    "status",
    "priority",
    "category",
    "channel",
    "tier",
    "customer",
    "assignee",
    "created_at",
    "response_due_at",
    "resolve_due_at",
    "next_due_at",
    "resolved_at",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(value: datetime | None, zone: tzinfo) -> str | None:
    return value.astimezone(zone).isoformat() if value is not None else None


def record(row: Any, zone: tzinfo) -> dict[str, Any]:
    """One queue row as plain JSON values."""
    from deskui.ui.common.safe_text import clean

    return {
        "number": row.number,
        "subject": clean(row.subject),
        "status": row.status.value,
        "priority": row.priority.value,
        "category": row.category.value,
        "channel": row.channel.value,
        "tier": row.tier.value,
        "customer": clean(row.customer_name),
        "assignee": clean(row.assignee_name) if row.assignee_name else None,
        "created_at": _iso(row.created_at, zone),
        "response_due_at": _iso(row.response_due_at, zone),
        "resolve_due_at": _iso(row.resolve_due_at, zone),
        "next_due_at": _iso(row.next_due_at, zone),
        "resolved_at": _iso(row.resolved_at, zone),
    }


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _table(rows: list[Any], total: int, zone: tzinfo, width: int) -> list[str]:
    """Lines of a table exactly `width` cells wide at most; the subject takes what is left."""
    from rich.cells import cell_len, set_cell_size

    from deskui.i18n import _, label
    from deskui.ui.common.safe_text import clean

    def fit(text: str, cells: int) -> str:
        if cell_len(text) <= cells:
            return text + " " * (cells - cell_len(text))
        return set_cell_size(text, max(0, cells - 1)) + "…"

    def due(row: Any) -> str:
        value = row.next_due_at if row.is_open else row.resolved_at
        return value.astimezone(zone).strftime("%m-%d %H:%M") if value else "—"

    columns: list[tuple[str, int, Callable[[Any], str]]] = [
        (_("Number"), 16, lambda r: r.number),
        (_("Priority"), 9, lambda r: label(r.priority)),
        (_("Status"), 11, lambda r: label(r.status)),
        (_("Due"), 11, due),
        (_("Subject"), 0, lambda r: ("★ " if r.tier.value == "vip" else "") + clean(r.subject)),
        (_("Customer"), 12, lambda r: clean(r.customer_name)),
        (_("Assignee"), 12, lambda r: clean(r.assignee_name) if r.assignee_name else "—"),
    ]
    # Narrow terminals drop the assignee, then the customer, then the due time.
    while len(columns) > 4 and sum(c[1] + 1 for c in columns) + 10 > width:
        columns.pop(-1 if columns[-1][1] else -2)
    fixed = sum(c[1] + 1 for c in columns if c[1])
    flex = max(10, width - fixed)
    sizes = [c[1] or flex for c in columns]

    def line(cells: list[str]) -> str:
        text = " ".join(fit(cell, size) for cell, size in zip(cells, sizes, strict=True))
        return set_cell_size(text, min(cell_len(text), width)).rstrip()

    lines = [line([c[0] for c in columns])]
    lines += [line([c[2](row) for c in columns]) for row in rows]
    lines.append(_("{shown} of {total} tickets").format(shown=len(rows), total=total))
    return lines


def cmd_list(args: argparse.Namespace) -> int:
    from deskui.cli import _actor, _context
    from deskui.i18n import set_language
    from deskui.services.queue_list import list_queue
    from deskui.store.queue import Sort, View

    ctx = _context(args)
    set_language(ctx.settings.lang)
    listing = list_queue(
        ctx,
        _actor(ctx),
        view=View(VIEWS[args.view]),
        search=args.search,
        sort=Sort(args.sort) if args.sort else None,
        limit=args.limit,
    )
    zone = ctx.site.zone
    out = sys.stdout
    if args.format == "json":
        json.dump([record(r, zone) for r in listing.rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format == "csv":
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for row in listing.rows:
            values = record(row, zone)
            writer.writerow([_csv_cell(values[f]) for f in FIELDS])
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        for text in _table(listing.rows, listing.total, zone, width):
            print(text, file=out)
    return 0


def add_list_command(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    """Registered from `cli.build_parser`."""
    command = add("list", cmd_list, "print the queue (a view, a search) for scripts")
    command.add_argument("--view", choices=list(VIEWS), default="open", help="default open")
    command.add_argument("--search", metavar="TEXT", help="as / in the desk (two characters+)")
    command.add_argument(
        "--sort",
        choices=("urgency", "created", "priority", "best"),
        help="default: best match for a search, else urgency",
    )
    command.add_argument("--limit", type=int, default=50, help="how many rows (default 50)")
    command.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="output format (default table)",
    )
