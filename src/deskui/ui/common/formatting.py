"""Shared formatting of the desk: customer text shown literally, times, SLA signs, timeline
entries and warranty lines, for every panel and dialog."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text

from deskui.domain import warranty
from deskui.domain.enums import EventKind, SlaState
from deskui.domain.rows import EventRow
from deskui.i18n import _, formats
from deskui.services.notes import PLAIN as PLAIN_NOTES
from deskui.ui.common.safe_text import safe_text


def visible(value: str | None, *, multiline: bool = False, style: str = "") -> Text:
    """Customer text shown literally (thin wrapper of `ui.safe_text`)."""
    return safe_text(value, style, multiline=multiline)


SLA_SIGNS = {
    SlaState.ON_TRACK: ("●", "green"),
    SlaState.AT_RISK: ("▲", "yellow"),
    SlaState.BREACHED: ("✗", "bold red"),
    SlaState.PAUSED: ("‖", "cyan"),
    SlaState.MET: ("✓", "green"),
}


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
    }
    return names.get(kind, kind.value)


def local(moment: datetime | None, zone: tzinfo, pattern: str = "short") -> str:
    """`moment` in `zone` by a named pattern of `deskui.i18n.formats` ('short': 12-01 18:08)."""
    return formats.moment(moment, pattern, zone)


def _yes_no(value: object) -> str:
    return _("yes") if value else _("no")


def _summary(event: EventRow, zone: tzinfo) -> str:
    """A short, plain summary of what an event changed (values are data)."""
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
        return _("level {level}").format(level=after.get("escalation_level", "?"))
    if event.kind is EventKind.EXTEND and "minutes" in after:
        return _("+{length}").format(length=formats.minutes(int(after["minutes"])))
    parts = []
    for key in ("status", "priority", "category", "tier", "team_id", "assignee_id"):
        if key in after and before.get(key) != after.get(key) and key in before:
            parts.append(f"{key}: {before.get(key)} → {after.get(key)}")
    for key in ("resolve_due_at",):
        if key in after and before.get(key) != after.get(key) and key in before:
            try:
                moved = datetime.fromisoformat(str(after[key]))
                parts.append(_("resolution due → {when}").format(when=local(moved, zone)))
            except ValueError:
                pass
    return ", ".join(parts)


def _note_text(event: EventRow) -> str:
    """The body in the desk's language when the service stored its id (else as written)."""
    after = event.after or {}
    message_id, params = after.get("message_id"), after.get("params")
    if isinstance(message_id, str) and isinstance(params, dict):
        try:
            return _(message_id).format(**params)
        except (KeyError, IndexError, ValueError):
            return event.body or ""
    body = event.body or ""
    return _(body) if body in PLAIN_NOTES else body


def describe_event(event: EventRow, zone: tzinfo) -> Text:
    """One timeline line: time, who, what, visibility, and the body as literal text."""
    line = Text(no_wrap=False)
    line.append(local(event.at, zone), style="dim")
    line.append("  ")
    line.append_text(visible(event.actor or _("system"), style="bold"))
    line.append("  ")
    refused = event.kind is EventKind.REVEAL and bool((event.after or {}).get("refused"))
    line.append(_("Reveal refused") if refused else event_kind_name(event.kind), style="underline")
    if event.kind in (EventKind.COMMENT, EventKind.RESOLVE):
        tag = _("[internal]") if event.internal else _("[to customer]")
        line.append(" " + tag, style="italic" if event.internal else "bold")
    summary = _summary(event, zone)
    if summary:
        line.append("  ")
        line.append_text(visible(summary, style="dim"))
    if event.body and event.kind is not EventKind.CREATED:
        line.append("\n    ")
        line.append_text(visible(_note_text(event).replace("\n", "\n    "), multiline=True))
    return line


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
    if s.in_warranty:
        line.append("✓ " + _("in warranty"), style="green")
        line.append(" ")
        line.append(_("until {day}").format(day=formats.moment(s.last_day, "date")))
    else:
        line.append("✗ " + _("out of warranty"), style="yellow")
        line.append(" ")
        line.append(_("ended {day}").format(day=formats.moment(s.last_day, "date")))
    return line
