"""Customer text as data: shown visibly in terminals, never a formula, never illegal XML."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from deskui.domain.text_safety import (
    FORMULA_TRIGGERS,
    json_escape_unsafe,
    lookalike_digit,
    neutralise_formula,
    restore_formula,
    visible,
    xlsx_text,
)

ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)))


def test_visible_shows_controls_and_bidi_as_escapes() -> None:
    assert visible("a\x1b]52;c;aGk=\x07b") == r"a\x1b]52;c;aGk=\x07b"
    assert visible("\x9b31m\u202eabc\u2066") == r"\x9b31mU+202EabcU+2066"
    assert visible("line one\r\nline\ttwo\n") == "line one\nline\ttwo\n"
    assert visible("a\rb\x08") == r"a\x0db\x08"
    assert visible("中文 text") == "中文 text"


@given(ANY_TEXT)
def test_visible_never_leaves_a_control_character(text: str) -> None:
    shown = visible(text)
    assert all(ch in "\n\t" or (ord(ch) >= 0x20 and not 0x7F <= ord(ch) <= 0x9F) for ch in shown)
    assert "\u202e" not in shown and "\u2066" not in shown


@given(ANY_TEXT)
def test_neutralised_cells_never_start_a_formula_and_restore_exactly(text: str) -> None:
    cell = neutralise_formula(text)
    assert not cell.startswith(FORMULA_TRIGGERS)
    assert restore_formula(cell) == text


@given(ANY_TEXT)
def test_xlsx_text_and_json_escapes(text: str) -> None:
    assert not any(ord(ch) < 0x20 and ch not in "\t\n\r" for ch in xlsx_text(text))
    import json

    dumped = json_escape_unsafe(json.dumps(text, ensure_ascii=False))
    assert json.loads(dumped) == text
    assert visible(dumped) == dumped  # nothing left for a terminal to act on


def test_lookalike_digits() -> None:
    assert "U+FF11" in (lookalike_digit("１３８") or "")
    assert "U+0663" in (lookalike_digit("٣") or "")
    assert lookalike_digit("13800001111") is None
    assert lookalike_digit("二三") is None  # numerals in words are text, not digits
