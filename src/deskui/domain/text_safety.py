"""Customer text is data: rules that keep it from acting as terminal escapes, spreadsheet
formulas or illegal XML, and that spot look-alike characters in imported values.

Pure functions (stdlib only), shared by the CLI's output, the exports and the imports.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls and DEL, plus the characters that reorder text on screen (bidi
# embeddings, overrides and isolates, the marks) and the Unicode line/paragraph separators.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE_RE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_BREAK_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_XLSX_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # XML 1.0 forbids these
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"U+{code:04X}"


def visible(text: str) -> str:
    """`text` with control and bidi characters shown as `\\x1b` or `U+202E`, never sent.

    Newline and tab stay (a report is lines of text); a CR of a CRLF line end is dropped.
    """
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return _UNSAFE_RE.sub(lambda m: _escape(m.group()), text)


def first_control(text: str, *, allow_newlines: bool) -> tuple[int, str] | None:
    """(1-based position, escaped character) of the first control character, if any.
    Tab, LF and CR count as text only where `allow_newlines` (a description)."""
    match = (_CONTROL_RE if allow_newlines else _CONTROL_OR_BREAK_RE).search(text)
    return (match.start() + 1, _escape(match.group())) if match else None


def lookalike_digit(text: str) -> str | None:
    """A description of the first non-ASCII decimal digit (fullwidth ３, Arabic-Indic ٣ …)."""
    for ch in text:
        if ch.isdecimal() and not ("0" <= ch <= "9"):
            name = unicodedata.name(ch, "digit")
            return f"look-alike digit {ch!r} (U+{ord(ch):04X} {name}); type the ASCII digits 0-9"
    return None


def neutralise_formula(text: str) -> str:
    """OWASP's rule for CSV injection: a cell starting with = + - @ tab or CR gets a leading
    apostrophe, so no spreadsheet runs it. A cell that already starts with an apostrophe gets
    one more, so `restore_formula` gives back exactly what the user typed."""
    if text.startswith(FORMULA_TRIGGERS) or text.startswith("'"):
        return "'" + text
    return text


def restore_formula(text: str) -> str:
    """The inverse of `neutralise_formula` for files deskui exported."""
    if text.startswith("'") and len(text) > 1 and text[1] in "'=+-@\t\r":
        return text[1:]
    return text


def xlsx_text(text: str) -> str:
    """Text an XLSX cell can hold: characters XML forbids are shown as `\\x1b` escapes."""
    return _XLSX_ILLEGAL_RE.sub(lambda m: _escape(m.group()), text)


def json_escape_unsafe(text: str) -> str:
    """JSON text with control and bidi characters as `\\uXXXX` escapes: the same data, and
    nothing a terminal would act on (json.dumps leaves C1 and bidi characters raw)."""
    return _UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
