"""Line breaking for mixed Chinese and Latin text, counted in terminal cells (CJK: two).

Chinese may break between any two characters; a run of Latin letters and digits ("Fingerprint",
"SL-300", "¥1,234.50") is one word, kept whole unless it alone is wider than the line, then
cut. Spaces are break points and vanish at a break. A closing mark (，。：）」 …) never starts a
line and an opening one (（「《 …) never ends one: they stay with their neighbour.

Rich's own wrapping only breaks at spaces, so a Chinese sentence is one "word" to it and is cut
wherever the line ends, mid-word: "Fingerprin / t".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# Marks that do not start a line (they close or follow), and that do not end one (they open).
NO_START = frozenset("，。、；：？！）」』】〉》〕］｝…·,.;:?!)]}%’”")
NO_END = frozenset("（「『【〈《〔［｛([{‘“")


@lru_cache(maxsize=4096)
def cells(char: str) -> int:
    """A character's width in terminal cells: 2 for wide (CJK), 0 for combining marks."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    return sum(cells(c) for c in text)


_UNITS = re.compile(r"\s+|[^\s]")


def _units(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_space) of the pieces no break may split: a run of spaces, a narrow
    (Latin) word, or one wide character with the marks that must stay with it."""
    # [start, end, kind of its last character]: 0 space, 1 narrow, 2 wide
    units: list[list[int]] = []
    for match in _UNITS.finditer(text):
        start, end = match.span()
        char = match.group()
        kind = 0 if char[0].isspace() else (2 if cells(char) == 2 else 1)
        last = units[-1] if units else None
        glue = (
            last is not None
            and kind != 0
            and last[2] != 0
            and (
                (kind == 1 and last[2] == 1 and cells(char) == 1)  # a Latin word goes on
                or char in NO_START  # a closing mark stays with what it closes
                or text[last[1] - 1] in NO_END  # what follows an opening mark stays with it
                or cells(char) == 0  # a combining mark
            )
        )
        if glue and last is not None:
            last[1] = end
            if cells(char):
                last[2] = kind
        else:
            units.append([start, end, kind])
    for start, end, kind in units:
        yield start, end, kind == 0


def _cut(text: str, start: int, end: int, room: int) -> Iterator[tuple[int, int]]:
    """A unit wider than the line, in pieces of at most `room` cells."""
    piece, used = start, 0
    for i in range(start, end):
        w = cells(text[i])
        if used + w > room and i > piece:
            yield piece, i
            piece, used = i, 0
        used += w
    yield piece, end


def wrap_spans(text: str, room: int) -> list[tuple[int, int]]:
    """The (start, end) of each line of one paragraph (no newline in `text`) wrapped to
    `room` cells; the spaces at a break belong to no line."""
    room = max(room, 2)  # one wide character always fits
    lines: list[tuple[int, int]] = []
    line_start: int | None = None
    line_end = used = 0
    for start, end, space in _units(text):
        size = width(text[start:end])
        if space:
            if line_start is not None and used + size <= room:
                line_end, used = end, used + size  # kept only if a word follows
            elif line_start is not None:
                lines.append((line_start, _strip_end(text, line_start, line_end)))
                line_start, used = None, 0
            continue
        if line_start is not None and used + size > room:
            lines.append((line_start, _strip_end(text, line_start, line_end)))
            line_start, used = None, 0
        if size > room:  # a word wider than the line: cut it, the last piece goes on
            *whole, (last_start, last_end) = _cut(text, start, end, room)
            lines.extend(whole)
            start, size = last_start, width(text[last_start:last_end])
        if line_start is None:
            line_start = start
        line_end, used = end, used + size
    if line_start is not None:
        lines.append((line_start, _strip_end(text, line_start, line_end)))
    return lines or [(0, 0)]


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def wrap(text: str, room: int) -> list[str]:
    """`text` as lines of at most `room` cells (each paragraph on its own lines)."""
    return [
        paragraph[start:end]
        for paragraph in text.split("\n")
        for start, end in wrap_spans(paragraph, room)
    ]


def widest_word(text: str) -> int:
    """The cells of the widest piece no break may split (the narrowest a column can be)."""
    return max(
        (
            width(line[s:e])
            for line in text.split("\n")
            for s, e, space in _units(line)
            if not space
        ),
        default=0,
    )
