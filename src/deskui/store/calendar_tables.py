"""ORM tables of the business calendar: the site's holidays and make-up working days.

Site policy lives in the database (architecture.md): one row per date the site has entered,
plus one state row whose `revision` moves with every change, so a running desk or server
notices a new calendar with one cheap query.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from deskui.store.tables import Base


class CalendarDay(Base):
    """A date the site has entered: holiday or workday, with its name and source."""

    __tablename__ = "calendar_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(120), default="")
    source: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))

    __table_args__ = (
        CheckConstraint("kind IN ('holiday', 'workday')", name="kind"),
        CheckConstraint("source IN ('package', 'file', 'admin')", name="source"),
    )


class CalendarState(Base):
    """One row (id 1): the calendar's revision, and whether config.toml's dates moved in."""

    __tablename__ = "calendar_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    config_adopted: Mapped[bool] = mapped_column(Boolean, default=False)
