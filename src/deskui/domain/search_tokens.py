"""Search tokens: what the search index stores and what a typed search asks for.

Chinese has no spaces and most words are two characters (门锁, 退款, 张伟), so CJK runs
become overlapping bigrams, as Elasticsearch's `cjk_bigram` filter does: 指纹识别 ->
指纹 纹识 识别. Digit runs get the same treatment (13812345678 -> 13 38 81 ...), so part of a
phone or a number (`5678`, `0042`) matches anywhere inside it. Latin words are kept whole,
case-folded, and the last word of a search term matches as a prefix (`lock` finds `locks`).

A term is then the *phrase* of its tokens: consecutive positions in the index, which for
bigrams means "this exact substring". Terms separated by spaces must all match (AND).
The store turns `Term`s into FTS5 or tsquery syntax; nothing here knows either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

MAX_SEARCH_CHARS = 100  # a longer search is refused: a pasted page must not run for seconds
MAX_TERMS = 8
MAX_WORD = 40  # longer Latin words are cut: no one types more, and indexes cap lexemes
MIN_TERM_CHARS = 2

_CJK = (
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0002ebef"  # CJK extensions B-F
)
_PHONE_LIKE = re.compile(r"^\+?[0-9][0-9().\-]*[0-9]$")  # 138-1234-5678, (020)8765.4321
_RUNS = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<digits>[0-9]+)|(?P<word>[^\W\d_{_CJK}]+)")


@dataclass(frozen=True, slots=True)
class Term:
    """One space-separated part of a search: a phrase of tokens; `prefix` marks the last one
    as a prefix (a Latin word, or a single character that may start a longer run)."""

    tokens: tuple[str, ...]
    prefix: bool
    text: str


class SearchRefused(ValueError):
    """A search the index cannot answer well; the message (an English id) says why."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


def _runs(text: str) -> Iterator[tuple[str, str]]:
    for match in _RUNS.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        yield kind, match.group()


def _run_tokens(kind: str, run: str) -> list[str]:
    if kind == "word":
        return [run.casefold()[:MAX_WORD]]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str) -> list[str]:
    """The index tokens of `text`, in order (positions matter for phrases)."""
    out: list[str] = []
    for kind, run in _runs(text):
        out.extend(_run_tokens(kind, run))
    return out


def phone_tokens(phone: str) -> list[str]:
    """A phone's digits as one run, whatever separators it was written with."""
    return tokens("".join(ch for ch in phone if ch.isdigit()))


def tokens_of(parts: Iterable[str | None]) -> list[list[str]]:
    """Tokens of several texts, each kept apart (a phrase never spans two of them)."""
    return [tokens(part) for part in parts if part]


def parse_search(text: str) -> list[Term]:
    """The terms of a typed search, all of which must match; [] when there is nothing to find.

    Refused (SearchRefused): more than MAX_SEARCH_CHARS characters or MAX_TERMS terms, and a
    term of one character: a single Chinese character or digit is in a large share of all
    tickets, so it would rank most of the table for nothing; the hint asks for two.
    """
    text = text.strip()
    if len(text) > MAX_SEARCH_CHARS:
        raise SearchRefused(
            "Search is limited to {limit} characters ({length} typed).",
            limit=MAX_SEARCH_CHARS,
            length=len(text),
        )
    terms: list[Term] = []
    for part in text.split():
        if _PHONE_LIKE.match(part):
            part = "".join(ch for ch in part if ch.isdigit())  # as phones are indexed
        runs = list(_runs(part))
        if not runs:
            continue  # punctuation only
        if sum(len(run) for _kind, run in runs) < MIN_TERM_CHARS:
            raise SearchRefused(
                "“{term}” is one character: type at least two (a full name such as 张伟, "
                "or more digits of the phone).",
                term=part,
            )
        found: list[str] = []
        for kind, run in runs:
            found.extend(_run_tokens(kind, run))
        last_kind, last_run = runs[-1]
        prefix = last_kind == "word" or len(last_run) == 1
        terms.append(Term(tuple(found), prefix, part))
    if len(terms) > MAX_TERMS:
        raise SearchRefused("Search is limited to {limit} words.", limit=MAX_TERMS)
    return terms


def phrase_in(term: Term, tokens_: list[str]) -> bool:
    """Whether `term` occurs as consecutive tokens (its last one as a prefix if marked)."""
    want = term.tokens
    n = len(want)
    for start in range(len(tokens_) - n + 1):
        window = tokens_[start : start + n]
        if window[: n - 1] != list(want[: n - 1]):
            continue
        last = window[-1]
        if last == want[-1] or (term.prefix and last.startswith(want[-1])):
            return True
    return False


def all_match(terms: list[Term], tokens_: list[str]) -> bool:
    """Whether every term occurs in one field's tokens (the index's own phrase rule)."""
    return all(phrase_in(term, tokens_) for term in terms)
