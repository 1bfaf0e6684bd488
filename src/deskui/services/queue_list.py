"""The queue for scripts (`deskui list`): the desk's own reader, view and search rules.

The desk and this use-case read through the same `QueueReader`, so a view, a search and an
order mean the same in both; `mine` is the signed-in agent's. Customer phones are not part
of a queue row, so nothing here needs masking beyond what the desk shows (the name).
"""

from __future__ import annotations

from dataclasses import dataclass

from deskui.domain.actors import Actor
from deskui.domain.search_tokens import SearchRefused, parse_search
from deskui.services.context import ServiceContext
from deskui.services.errors import ServiceError
from deskui.store.queue import Query, QueueFilter, QueueReader, QueueRow, Sort, View

MAX_LIMIT = 10_000


class InvalidSearch(ServiceError):
    """A search the index cannot answer (one character, too long); says why."""


@dataclass(frozen=True, slots=True)
class Listing:
    total: int  # every ticket the view and search match
    rows: list[QueueRow]  # the first `limit` of them, in order
    sort: Sort


def list_queue(
    ctx: ServiceContext,
    actor: Actor,
    *,
    view: View = View.OPEN,
    search: str | None = None,
    sort: Sort | None = None,
    limit: int = 50,
) -> Listing:
    """The first `limit` rows of a view (and search), as the desk would show them. Without a
    chosen order a search is listed best match first, anything else by SLA urgency."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ServiceError("--limit must be between 1 and {limit}", limit=MAX_LIMIT)
    term = (search or "").strip() or None
    try:
        parse_search(term or "")
    except SearchRefused as refused:
        raise InvalidSearch(refused.message, **refused.values) from None
    chosen = sort or (Sort.BEST if term else Sort.URGENCY)
    query = Query(
        view=view, sort=chosen, filter=QueueFilter(search=term), actor_id=actor.id, now=ctx.now()
    )
    total, rows = QueueReader(ctx.read).first(query, limit)
    return Listing(total, rows, chosen)
