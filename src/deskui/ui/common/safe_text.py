"""Customer text is data: show it literally, with control characters made visible.

`safe_text("\\x1b[31mred")` is a `Text` reading `␛[31mred`: no markup is parsed (Rich's
`Text(...)` never does) and no escape sequence reaches the terminal.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

_BIDI = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _visible(code: int) -> str | None:
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ .. ␟ (ESC → ␛)
    if code == 0x7F:
        return "␡"
    if 0x80 <= code < 0xA0 or code in _BIDI or code in (0xFEFF, 0x2028, 0x2029):
        return "�"
    return None


_TABLE = {
    code: shown
    for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI, 0xFEFF, 0x2028, 0x2029)
    if (shown := _visible(code)) is not None
}
_TABLE_MULTILINE = {**_TABLE, 0x0A: "\n", 0x09: "    "}


def clean(value: str | None, *, multiline: bool = False) -> str:
    """The string with every control / bidi-override character replaced by a visible sign."""
    if not value:
        return ""
    return value.translate(_TABLE_MULTILINE if multiline else _TABLE)


def safe_text(value: str | None, style: str | Style = "", *, multiline: bool = False) -> Text:
    """A Rich `Text` showing `value` literally (never markup, never escapes)."""
    return Text(clean(value, multiline=multiline), style=style, end="")
