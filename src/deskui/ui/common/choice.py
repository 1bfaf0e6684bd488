"""A radio button whose mark shows its state (● on, ○ off), not only its colour, so
choices read right in 16 colours, monochrome terminals and screen captures."""

from __future__ import annotations

from textual.widgets import RadioButton


class Choice(RadioButton):
    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return "●" if self.value else "○"
