"""The one SLA state vocabulary: each state has one symbol and one colour role, everywhere.

The queue, the ticket panel, the SLA timer and the header all draw a state through this
module, so a symbol never means two things and the most urgent state is the most visible in
every terminal: in colour (256 or 16: the roles are ANSI colours), and with `NO_COLOR`, where
Textual greys every colour (red becomes near-black on black), so urgency is carried by
attributes instead: breached is reverse and bold, at risk bold, met dim.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style

from deskui.domain.enums import SlaState
from deskui.i18n import label

SYMBOLS: dict[SlaState, str] = {
    SlaState.ON_TRACK: "○",
    SlaState.AT_RISK: "!",
    SlaState.BREACHED: "✖",
    SlaState.PAUSED: "‖",
    SlaState.MET: "✓",
}
# Colour roles: plain ANSI colours, so a 16-colour terminal shows them as they are meant.
COLOUR: dict[SlaState, str] = {
    SlaState.ON_TRACK: "green",
    SlaState.AT_RISK: "bold yellow",
    SlaState.BREACHED: "bold red",
    SlaState.PAUSED: "cyan",
    SlaState.MET: "dim",
}
# The same order of urgency without colour (NO_COLOR).
MONO: dict[SlaState, str] = {
    SlaState.ON_TRACK: "",
    SlaState.AT_RISK: "bold",
    SlaState.BREACHED: "bold reverse",
    SlaState.PAUSED: "italic",
    SlaState.MET: "dim",
}


def no_color(app: Any) -> bool:
    """Whether the app draws without colour (Textual reads `NO_COLOR` when it starts)."""
    return bool(getattr(app, "no_color", False))


ANSI_THEME = "ansi-dark"  # Textual's theme of the terminal's own 16 colours


def sixteen_colours(app: Any) -> bool:
    """Whether the terminal shows only the 16 ANSI colours (`TERM=linux`, plain `xterm`)."""
    console = getattr(app, "console", None)
    return getattr(console, "color_system", None) in ("standard", "windows")


def style_text(state: SlaState | None, app: Any = None) -> str:
    """The state's style as a Rich style string ("" for no state)."""
    if state is None:
        return "dim"
    return (MONO if no_color(app) else COLOUR)[state]


def state_style(state: SlaState | None, app: Any = None) -> Style:
    return Style.parse(style_text(state, app) or "none")


def symbol(state: SlaState | None) -> str:
    return " " if state is None else SYMBOLS[state]


def sign(state: SlaState) -> str:
    """Symbol and name, e.g. `✖ Breached` (the ticket panel, the legend)."""
    return f"{SYMBOLS[state]} {label(state)}"
