"""The one search function: a typed search -> the ids that match, and the rank classes.

Every term (a phrase of bigram/word tokens, `domain.search_tokens`) must match in one field;
all terms must match (AND). The rank of a match: 0 the whole search matches the number,
1 the phone, 2 the subject, 3 anything else (name, description, request, comments); the
queue's "best match" order is rank, then newest first.

SQLite: `SELECT rowid FROM search_fts WHERE search_fts MATCH '"门锁" AND "sl 30 00"'`,
a column filter (`{number} : (...)`) for a rank. PostgreSQL: `doc @@ '门锁' & 'sl' <-> '30'`,
a weight (`:A`) for a rank. Both are index lookups; nothing scans the tickets.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    cast,
    column,
    false,
    func,
    literal_column,
    select,
    table,
    true,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

from deskui.domain.search_tokens import Term, all_match, parse_search

RANKS = ("number", "phone", "subject", "rest")
_PG_WEIGHT = {"number": "A", "phone": "B", "subject": "C"}

_FTS = table("search_fts", column("rowid"))
_PG = table("ticket_search", column("ticket_id"), column("doc"))


def _fts_phrase(term: Term) -> str:
    phrase = '"' + " ".join(term.tokens).replace('"', '""') + '"'
    return phrase + " *" if term.prefix else phrase


def fts_query(terms: list[Term], field: str | None = None) -> str:
    expression = " AND ".join(_fts_phrase(t) for t in terms)
    return f"{{{field}}} : ({expression})" if field else expression


def _pg_lexeme(token: str, weight: str, prefix: bool) -> str:
    quoted = "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"
    marks = ("*" if prefix else "") + weight
    return f"{quoted}:{marks}" if marks else quoted


def tsquery(terms: list[Term], field: str | None = None) -> str:
    weight = _PG_WEIGHT.get(field or "", "")
    parts = []
    for term in terms:
        last = len(term.tokens) - 1
        lexemes = [
            _pg_lexeme(token, weight, term.prefix and i == last)
            for i, token in enumerate(term.tokens)
        ]
        parts.append("(" + " <-> ".join(lexemes) + ")")
    return " & ".join(parts)


def match_ids(session: Session, terms: list[Term], field: str | None = None) -> Select[Any]:
    """SELECT of the ids of tickets matching all `terms` (in `field` only, when given)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import TSQUERY

        query = cast(bindparam(None, tsquery(terms, field), type_=Text), TSQUERY)
        return select(_PG.c.ticket_id).where(_PG.c.doc.op("@@")(query))
    query = bindparam(None, fts_query(terms, field), type_=Text)
    return select(_FTS.c.rowid).where(literal_column("search_fts").op("MATCH")(query))


def count(session: Session, terms: list[Term], field: str | None = None) -> int:
    """How many tickets match (in `field`); the index has one row per ticket."""
    if not terms:
        return 0
    matches = match_ids(session, terms, field).subquery()
    return session.execute(select(func.count()).select_from(matches)).scalar_one()


NUMBER_LIKE = re.compile(r"^SR-\d[\d-]*$", re.IGNORECASE)


def number_prefix(text: str | None) -> str | None:
    """`SR-2026112`, the start of a ticket number and nothing else: a range of the number's
    unique index answers it (its digit bigrams are in every ticket, so a phrase is slow)."""
    text = (text or "").strip()
    return text.upper() if NUMBER_LIKE.match(text) else None


def search_terms(text: str | None) -> list[Term]:
    """The terms of a search box's text ([] for none); raises SearchRefused."""
    return parse_search(text or "")


def condition(session: Session, id_column: Any, terms: list[Term]) -> ColumnElement[bool]:
    """`id IN (matches)`; nothing matches a search with no terms (punctuation only)."""
    return id_column.in_(match_ids(session, terms)) if terms else false()


def _could_match(terms: list[Term], field: str) -> bool:
    """Whether `field` can hold every term: numbers have only `sr` and digits, phones only
    digits; a class that cannot match costs no index lookup (门锁 skips both)."""
    if field == "number":
        return all(t.isdigit() or t == "sr" for term in terms for t in term.tokens)
    if field == "phone":
        return all(t.isdigit() for term in terms for t in term.tokens)
    return True


def rank_conditions(
    session: Session,
    id_column: Any,
    terms: list[Term],
    *,
    seek_column: Any = None,
    few: int | None = None,
) -> list[ColumnElement[bool]]:
    """One condition per rank class (number, phone, subject, rest), each excluding the ones
    before it, so every match is in exactly one; `false()` for a class that cannot match.

    With `seek_column` (an indexed id) and `few`, a class of at most `few` matches is
    written on it, so SQLite starts from that class and sorts it, where walking the order
    (`id_column`, unindexed) would pass the whole table to find a rare class."""
    found = [
        id_column.in_(match_ids(session, terms, field)) if _could_match(terms, field) else None
        for field in RANKS[:-1]
    ]
    sizes: list[int | None] = [None] * len(RANKS)
    if seek_column is not None and few is not None:
        for index, field in enumerate(RANKS[:-1]):
            if found[index] is not None:
                sizes[index] = count(session, terms, field)
        sizes[-1] = count(session, terms) - sum(n or 0 for n in sizes[:-1])
    classes: list[ColumnElement[bool]] = []
    for index in range(len(RANKS)):
        if (index < len(found) and found[index] is None) or sizes[index] == 0:
            classes.append(false())
            continue
        earlier = [~c for c in found[:index] if c is not None]
        mine = [found[index]] if index < len(found) else []
        size = sizes[index]
        if size is not None and few is not None and size <= few:
            field = RANKS[index] if index < len(found) else None
            mine = [seek_column.in_(match_ids(session, terms, field))]
        parts = [*mine, *earlier]
        classes.append(and_(*parts) if parts else true())
    return classes


def rank_conditions_of(
    session: Session, id_column: Any, terms: list[Term], ids: list[int]
) -> list[ColumnElement[bool]]:
    """The rank classes of a few known matches, as id lists: on SQLite from the tokens the
    index stores for them (one lookup by rowid, phrases matched here), on PostgreSQL by
    checking their documents against the weighted queries."""
    if not ids:
        return [false()] * len(RANKS)
    fields = [f for f in RANKS[:-1] if _could_match(terms, f)]
    members: dict[str, set[int]] = {f: set() for f in fields}
    if fields and session.get_bind().dialect.name == "postgresql":
        for field in fields:
            stmt = match_ids(session, terms, field).where(_PG.c.ticket_id.in_(ids))
            members[field] = set(session.scalars(stmt))
    elif fields:
        stored = table("search_fts", column("rowid"), *[column(f) for f in fields])
        stmt = select(stored.c.rowid, *[stored.c[f] for f in fields]).where(stored.c.rowid.in_(ids))
        for rowid, *texts in session.execute(stmt):
            for field, value in zip(fields, texts, strict=True):
                if all_match(terms, (value or "").split(" ")):
                    members[field].add(rowid)
    classes: list[ColumnElement[bool]] = []
    taken: set[int] = set()
    for field in RANKS[:-1]:
        mine = members.get(field, set()) - taken
        taken |= mine
        classes.append(id_column.in_(sorted(mine)) if mine else false())
    rest = sorted(set(ids) - taken)
    classes.append(id_column.in_(rest) if rest else false())
    return classes
