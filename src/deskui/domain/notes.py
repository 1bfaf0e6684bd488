"""Event notes a person reads on the timeline: stored in English (the audit trail, the CLI)
with their message id and parameters beside them, so the desk shows them in its language.

A repair step is an event note: its `event` names the step (`repair.fee`, …) so the timeline
titles it ("Fee added") and its parameters are the details (an amount, a name), formatted
where shown (money in the language's way). Further sentences (each part, a changed quote)
are `more` notes, one line each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Note:
    message_id: str
    params: dict[str, Any] = field(default_factory=dict)
    event: str | None = None  # a repair step's name (REPAIR_EVENTS), None for a plain note
    more: tuple[Note, ...] = ()

    @property
    def text(self) -> str:
        """The English text: this sentence and the further ones, "; " between."""
        first = self.message_id.format(**self.params) if self.params else self.message_id
        return "; ".join([first, *(n.text for n in self.more)])

    def payload(self) -> dict[str, Any]:
        """What the event's `after` keeps, so the desk can show it in its own language."""
        found: dict[str, Any] = {"message_id": self.message_id, "params": self.params}
        if self.event is not None:
            found["repair_event"] = self.event
        if self.more:
            found["more"] = [{"message_id": n.message_id, "params": n.params} for n in self.more]
        return found


def note(message_id: str, /, **params: Any) -> Note:
    """A timeline note (the extractor reads `note("…")` ids)."""
    return Note(message_id, params)


def event_note(event: str, message_id: str, /, *more: Note, **params: Any) -> Note:
    """A repair step's note: `event` (one of REPAIR_EVENTS), its sentence and further ones."""
    assert event in REPAIR_EVENTS, event
    return Note(message_id, params, event, tuple(more))


REPAIR_EVENTS = (
    "repair.scheduled",
    "repair.quoted",
    "repair.quote_accepted",
    "repair.work",
    "repair.fee",
    "repair.fees_approved",
    "repair.done",
    "repair.cancelled",
    "repair.replaced",
)

# Notes the services write as plain text; the desk translates them where it shows them.
# The sweep's notes written before they carried their ids are among them.
PLAIN = frozenset(
    {
        "not solved at callback",
        "response at risk",
        "response breached",
        "resolution at risk",
        "resolution breached",
        "resolution target breached past the grace time",
    }
)
