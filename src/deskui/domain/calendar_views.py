"""The business calendar as the desk reads and changes it: a year's view, a change's result,
and who may change it (plain data, no SQLAlchemy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from deskui.domain.actors import Actor
from deskui.domain.calendar import YearStatus
from deskui.domain.enums import Role

MAY_CHANGE = frozenset({Role.ADMIN, Role.SUPERVISOR})


@dataclass(frozen=True, slots=True)
class ChangeResult:
    changes: int
    moved: int
    revision: int


@dataclass(frozen=True, slots=True)
class YearView:
    """A year as `calendar show` and the calendar screen draw it."""

    year: int
    status: YearStatus
    kinds: dict[date, str]  # "working" | "weekend" | "holiday" | "makeup"
    entries: list[tuple[date, str, str, str]]  # day, kind, name, source


def may_change(actor: Actor) -> bool:
    return actor.role in MAY_CHANGE
