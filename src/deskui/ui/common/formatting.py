"""Shared formatting of the desk: customer text shown literally, times, SLA signs, timeline
entries and warranty lines, for every panel and dialog."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from deskui.domain import warranty
from deskui.domain.enums import Category, EventKind, Priority, Status, Tier
from deskui.domain.notes import PLAIN as PLAIN_NOTES
from deskui.domain.rows import EventRow
from deskui.i18n import _, formats, label, pgettext
from deskui.ui.common import repair_names
from deskui.ui.common.safe_text import safe_text
from deskui.ui.common.wrapped import Wrapped

if TYPE_CHECKING:  # the directory reads the store: not imported on the client path
    from deskui.domain.rows import Names


def visible(value: str | None, *, multiline: bool = False, style: str = "") -> Text:
    """Customer text shown literally (thin wrapper of `ui.safe_text`)."""
    return safe_text(value, style, multiline=multiline)


def event_kind_name(kind: EventKind) -> str:
    names = {
        EventKind.CREATED: _("Created"),
        EventKind.COMMENT: _("Comment"),
        EventKind.FIELD_CHANGE: _("Changed"),
        EventKind.STATUS: _("Status"),
        EventKind.ASSIGN: _("Assigned"),
        EventKind.RESPONDED: _("First response"),
        EventKind.PAUSE: _("Waiting for customer"),
        EventKind.RESUME: _("Resumed"),
        EventKind.EXTEND: _("Deadline extended"),
        EventKind.REMINDER: _("Reminder"),
        EventKind.ESCALATE: _("Escalated"),
        EventKind.RESOLVE: _("Resolved"),
        EventKind.REOPEN: _("Reopened"),
        EventKind.CLOSE: _("Closed"),
        EventKind.CALLBACK: _("Callback"),
        EventKind.IMPORT: _("Imported"),
        EventKind.EXPORT: _("Exported"),
        EventKind.LOGIN: _("Signed in"),
        EventKind.REVEAL: _("Revealed contact"),
        EventKind.REFUSED: _("Refused"),
        EventKind.CALENDAR: _("Calendar changed"),
    }
    return names.get(kind, kind.value)


def local(moment: datetime | None, zone: tzinfo, pattern: str = "short") -> str:
    """`moment` in `zone` by a named pattern of `deskui.i18n.formats` ('short': 12-01 18:08)."""
    return formats.moment(moment, pattern, zone)


def _yes_no(value: object) -> str:
    return _("yes") if value else _("no")


ENUMS: dict[str, type[Any]] = {
    "status": Status,
    "priority": Priority,
    "category": Category,
    "tier": Tier,
}


def field_name(key: str) -> str:
    return {
        "status": _("Status"),
        "priority": _("Priority"),
        "category": _("Category"),
        "tier": _("Customer tier"),
        "team_id": _("Team"),
        "assignee_id": _("Assignee"),
    }[key]


def value_name(key: str, value: object, names: Names | None) -> str:
    """A stored value in words: a status or priority by its label, an id by its name."""
    if key == "team_id":
        teams = names.teams if names is not None else {}
        return "—" if value is None else teams.get(int(str(value)), f"#{value}")
    if key == "assignee_id":
        if value is None:
            return _("(nobody)")
        agents = names.agents if names is not None else {}
        return agents.get(int(str(value)), f"#{value}")
    kind = ENUMS.get(key)
    if kind is not None:
        try:
            return label(kind(value))
        except ValueError:
            pass
    return str(value)


def _summary(event: EventRow, zone: tzinfo, names: Names | None = None) -> str:
    """A short, plain summary of what an event changed, in words (values are data)."""
    before, after = event.before or {}, event.after or {}
    if event.kind is EventKind.CALLBACK:
        parts = [_("reached: {answer}").format(answer=_yes_no(after.get("reached")))]
        if after.get("reached"):
            parts.append(_("solved: {answer}").format(answer=_yes_no(after.get("solved"))))
            if after.get("satisfaction"):
                parts.append(_("satisfaction {score}/5").format(score=after["satisfaction"]))
        parts.append(_("attempt {number}").format(number=after.get("attempt", 1)))
        return _(", ").join(parts)
    if event.kind is EventKind.ESCALATE:
        level = after.get("escalation_level")  # sweeps before 2026-12 did not record it
        return "" if level is None else _("level {level}").format(level=level)
    if event.kind is EventKind.EXTEND and "minutes" in after:
        return _("+{length}").format(length=formats.minutes(int(after["minutes"])))
    parts = []
    for key in ("team_id", "assignee_id", "status", "priority", "category", "tier"):
        if key in after and key in before and before.get(key) != after.get(key):
            change = _("{before} → {after}").format(
                before=value_name(key, before.get(key), names),
                after=value_name(key, after.get(key), names),
            )
            if event.kind is EventKind.ASSIGN and key != "status":
                parts.append(change)  # "Assigned: Repairs → Field team, Li Lei → Wang Fang"
            else:
                parts.append(_("{field}: {change}").format(field=field_name(key), change=change))
    for key in ("resolve_due_at",):
        if key in after and before.get(key) != after.get(key) and key in before:
            try:
                moved = datetime.fromisoformat(str(after[key]))
                parts.append(_("resolution due → {when}").format(when=local(moved, zone)))
            except ValueError:
                pass
    return _(", ").join(parts)


def _note_text(event: EventRow, zone: tzinfo) -> str:
    """The body in the desk's language when the service stored its id (else as written); a
    repair step's details in the language's words (money, times, kinds), one line each."""
    after = event.after or {}
    message_id, params = after.get("message_id"), after.get("params")
    if isinstance(message_id, str) and isinstance(params, dict):
        notes = [(message_id, params)]
        further = after.get("more") if after.get("repair_event") else None
        for more in further if isinstance(further, list) else []:
            if isinstance(more, dict) and isinstance(more.get("params"), dict):
                notes.append((str(more.get("message_id")), more["params"]))
        try:
            return "\n".join(_(m).format(**_shown(p, zone)) for m, p in notes)
        except (KeyError, IndexError, ValueError):
            return event.body or ""
    body = event.body or ""
    return _(body) if body in PLAIN_NOTES else body


_MONEY = frozenset({"total", "amount", "accepted"})


def _shown(params: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    """A note's parameters as the desk shows them: amounts as money, an appointment in the
    site's time, kinds by their names; names and text as they are."""
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if key in _MONEY:
            shown[key] = repair_names.money(value)
        elif key == "when" and isinstance(value, str):
            try:
                shown[key] = local(datetime.fromisoformat(value), zone, "full")
            except ValueError:
                shown[key] = value
        elif key == "visit":
            shown[key] = repair_names.kind_name(value)
        elif key == "fee_kind":
            shown[key] = repair_names.fee_kind_name(value)
        elif key == "condition":
            shown[key] = repair_names.condition_name(value)
        else:
            shown[key] = value
    return shown


def describe_event(event: EventRow, zone: tzinfo, names: Names | None = None) -> Text:
    """One timeline entry without its time: who, what, visibility, the body as literal text."""
    line = Text(no_wrap=False)
    line.append_text(visible(event.actor or _("system"), style="bold"))
    line.append("  ")
    refused = event.kind is EventKind.REVEAL and bool((event.after or {}).get("refused"))
    repair = bool((event.after or {}).get("repair_event"))
    what = event_kind_name(event.kind)
    if refused:
        what = _("Reveal refused")
    elif repair:
        what = pgettext("timeline", "Repair")
    summary = _summary(event, zone, names)
    line.append(
        what + (":" if summary and event.kind is EventKind.ASSIGN else ""), style="underline"
    )
    if event.kind in (EventKind.COMMENT, EventKind.RESOLVE):
        tag = _("[internal]") if event.internal else _("[to customer]")
        line.append(" " + tag, style="italic" if event.internal else "bold")
    if summary:
        line.append(" " if event.kind is EventKind.ASSIGN else "  ")
        line.append_text(visible(summary, style="dim"))
    if event.body and event.kind is not EventKind.CREATED:
        line.append("\n")
        line.append_text(visible(_note_text(event, zone), multiline=True))
    return line


def timeline(events: Iterable[EventRow], zone: tzinfo, names: Names | None = None) -> Table:
    """The timeline as a grid: the time in its own column, so every wrapped line of an entry
    (and its body) is indented under the entry, never back at the left edge; lines break
    between Chinese characters, never inside an English word (`Wrapped`)."""
    grid = Table.grid(padding=(0, 2, 0, 0))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1)
    for event in events:
        grid.add_row(local(event.at, zone), Wrapped(describe_event(event, zone, names)))
    return grid


# Panel action -> (permission, workflow action). Pend/resume share `w`.


def label_sla(which: str) -> str:
    return _("Response") if which == "response" else _("Resolution")


def warranty_line(s: warranty.WarrantyStatus) -> Text:
    names = {
        warranty.PartKind.MAIN: _("Main unit"),
        warranty.PartKind.ACCESSORY: _("Accessories"),
        warranty.PartKind.SOFTWARE: _("Software"),
    }
    line = Text("  ")
    line.append(_("{part}: ").format(part=names[s.kind]))
    day = formats.moment(s.last_day, "date")
    if s.in_warranty:
        line.append("✓ " + _("in warranty until {day}").format(day=day), style="green")
    else:
        line.append("✗ " + _("out of warranty, ended {day}").format(day=day), style="yellow")
    return line
