"""A ticket action as the user asked for it (`Draft`) and how it is carried out (`perform`).

Dialogs only collect and return drafts; the ticket panel performs them in a worker, so a
failed or conflicting save reopens the same draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from deskui.domain.enums import Category, EventKind, Priority
from deskui.domain.rows import EventRow, Names, TicketDetail
from deskui.domain.schemas import ResolveForm

if TYPE_CHECKING:
    from deskui.api.protocol import DeskCalls

ActionName = Literal[
    "comment",
    "assign",
    "change",
    "pend",
    "resume",
    "escalate",
    "resolve",
    "reopen",
    "close",
    "extend",
]


@dataclass(frozen=True, slots=True)
class Draft:
    """What the user asked for; kept across failures and conflicts."""

    action: ActionName
    text: str = ""
    internal: bool = True
    team_id: int | None = None
    assignee_id: int | None = None
    priority: Priority | None = None
    category: Category | None = None
    first_contact: bool | None = None
    minutes: int = 0
    version: int = 0  # the ticket's version the user saw: a change since then is a conflict


def perform(api: DeskCalls, ticket_id: int, version: int, draft: Draft) -> TicketDetail:
    """Run the draft as one API call (call it from a worker thread)."""
    a = draft.action
    if a == "comment":
        return api.comment(ticket_id, version, draft.text, internal=draft.internal)
    if a == "assign":
        return api.assign(ticket_id, version, team_id=draft.team_id, assignee_id=draft.assignee_id)
    if a == "change":
        return api.change(ticket_id, version, priority=draft.priority, category=draft.category)
    if a == "pend":
        return api.pend(ticket_id, version, draft.text)
    if a == "resume":
        return api.resume(ticket_id, version, draft.text)
    if a == "escalate":
        return api.escalate(ticket_id, version, draft.text)
    if a == "resolve":
        form = ResolveForm(solution=draft.text, first_contact=bool(draft.first_contact))
        return api.resolve(ticket_id, version, form)
    if a == "reopen":
        return api.reopen(ticket_id, version, draft.text)
    if a == "close":
        return api.close(ticket_id, version, draft.text)
    if a == "extend":
        return api.extend(ticket_id, version, draft.minutes, draft.text)
    raise ValueError(f"unknown action {a!r}")


def draft_event(draft: Draft) -> EventRow:
    """The draft as the timeline entry it would become (for looking up the names it uses)."""
    after = {"team_id": draft.team_id, "assignee_id": draft.assignee_id}
    return EventRow(0, None, datetime.min, EventKind.ASSIGN, None, True, "", after, after)


def describe_draft(draft: Draft, names: Names | None) -> str:
    """What the draft asks for, in words: the choices it holds, then its text."""
    from deskui.i18n import _, formats, label
    from deskui.ui.common.formatting import field_name, value_name

    parts: list[str] = []
    for key, value in (("team_id", draft.team_id), ("assignee_id", draft.assignee_id)):
        if draft.action == "assign" and (value is not None or key == "assignee_id"):
            parts.append(
                _("{field}: {value}").format(
                    field=field_name(key), value=value_name(key, value, names)
                )
            )
    if draft.priority is not None:
        parts.append(
            _("{field}: {value}").format(field=field_name("priority"), value=label(draft.priority))
        )
    if draft.category is not None:
        parts.append(
            _("{field}: {value}").format(field=field_name("category"), value=label(draft.category))
        )
    if draft.action == "extend" and draft.minutes:
        parts.append(_("+{length}").format(length=formats.minutes(draft.minutes)))
    choices = _(", ").join(parts)
    return "\n".join(part for part in (choices, draft.text) if part) or "—"
