"""Every SQL statement of the site policy: read the document in force, its revision and its
history, and write a new revision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskui.domain.enums import EventKind
from deskui.domain.site import SitePolicy
from deskui.store.site_tables import SitePolicyRevision, SitePolicyState
from deskui.store.tables import TicketEvent
from deskui.store.upsert import insert_for

STATE_ID = 1


@dataclass(frozen=True, slots=True)
class HistoryRow:
    revision: int
    changed_at: datetime
    username: str
    source: str


def revision(session: Session) -> int:
    """The policy's revision; 0 before the first change (deskui's defaults apply)."""
    found = session.execute(
        select(SitePolicyState.revision).where(SitePolicyState.id == STATE_ID)
    ).scalar()
    return int(found or 0)


def current(session: Session) -> tuple[SitePolicy, int]:
    """The policy in force and its revision; the defaults when none was ever set."""
    row = session.get(SitePolicyState, STATE_ID)
    if row is None:
        return SitePolicy(), 0
    return SitePolicy.model_validate(row.document), row.revision


def document(policy: SitePolicy) -> dict[str, Any]:
    """The policy as stored: JSON types only, unset optionals left out."""
    return policy.model_dump(mode="json", exclude_none=True)


def store(
    session: Session,
    policy: SitePolicy,
    *,
    expected: int | None,
    actor_id: int | None,
    username: str,
    source: str,
    now: datetime,
    before: dict[str, Any],
    after: dict[str, Any],
) -> int | None:
    """Make `policy` the one in force and audit it (`before`/`after`: the changed keys); the
    new revision, or None when `expected` is given and the policy moved on meanwhile (the
    state row is locked for the check)."""
    row = session.get(SitePolicyState, STATE_ID, with_for_update=True)
    if row is None:
        session.execute(
            insert_for(session, SitePolicyState)
            .values(id=STATE_ID, revision=0, document={}, updated_at=now, updated_by=None)
            .on_conflict_do_nothing()
        )
        row = session.get(SitePolicyState, STATE_ID, with_for_update=True, populate_existing=True)
    assert row is not None
    if expected is not None and row.revision != expected:
        return None
    doc = document(policy)
    row.revision += 1
    row.document, row.updated_at, row.updated_by = doc, now, actor_id
    session.add(
        SitePolicyRevision(
            revision=row.revision,
            document=doc,
            changed_at=now,
            changed_by=actor_id,
            username=username,
            source=source,
        )
    )
    session.add(
        TicketEvent(
            ticket_id=None,
            actor_id=actor_id,
            at=now,
            kind=EventKind.SITE_POLICY,
            internal=True,
            body=f"site policy: revision {row.revision} from {source}",
            before=before,
            after={**after, "revision": row.revision, "user": username, "source": source},
        )
    )
    session.flush()
    return row.revision


def history(session: Session, limit: int = 20) -> list[HistoryRow]:
    """The newest `limit` revisions, newest first."""
    rows = session.execute(
        select(SitePolicyRevision).order_by(SitePolicyRevision.revision.desc()).limit(limit)
    ).scalars()
    return [HistoryRow(r.revision, r.changed_at, r.username, r.source) for r in rows]


def stored_document(session: Session, revision_no: int) -> dict[str, Any] | None:
    row = session.get(SitePolicyRevision, revision_no)
    return None if row is None else dict(row.document)
