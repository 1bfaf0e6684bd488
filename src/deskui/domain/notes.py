"""Event notes a person reads on the timeline: stored in English (the audit trail, the CLI)
with their message id and parameters beside them, so the desk shows them in its language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Note:
    message_id: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.message_id.format(**self.params) if self.params else self.message_id


def note(message_id: str, /, **params: Any) -> Note:
    """A timeline note (the extractor reads `note("…")` ids)."""
    return Note(message_id, params)


# Notes the services write as plain text; the desk translates them where it shows them.
PLAIN = frozenset({"not solved at callback"})
