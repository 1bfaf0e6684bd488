"""ORM tables of the site policy: the document in force, and every revision it had.

One state row (id 1) holds the current document and its revision, so a running desk or server
notices a change with one cheap query; `site_policy_history` keeps each revision with who set
it and when. No row at all means deskui's defaults (revision 0).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deskui.store.tables import Base


class SitePolicyState(Base):
    """One row (id 1): the site policy in force and its revision."""

    __tablename__ = "site_policy"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))


class SitePolicyRevision(Base):
    """One row per revision ever set; `username` is the caller's real name (root may be none
    of the agents)."""

    __tablename__ = "site_policy_history"
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[dict[str, Any]]
    changed_at: Mapped[datetime]
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    username: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(120), default="")
