"""What every service needs: the engine, settings, SLA policy and a clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from deskui.config import Settings
from deskui.domain.sla import SlaPolicy
from deskui.store.engine import writer

T = TypeVar("T")
BUSY_RETRIES = 8


def utc_now() -> datetime:
    return datetime.now(UTC)


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


@dataclass
class ServiceContext:
    engine: Engine
    settings: Settings
    clock: Callable[[], datetime] = utc_now
    _sessions: sessionmaker[Session] = field(init=False, repr=False)
    _writers: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writers = sessionmaker(writer(self.engine), expire_on_commit=False)

    @cached_property
    def policy(self) -> SlaPolicy:
        return SlaPolicy.from_settings(self.settings.sla)

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read-only session."""
        with self._sessions() as session:
            yield session

    def write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction; retry when SQLite reports a busy database."""
        for attempt in range(BUSY_RETRIES):
            try:
                with self._writers.begin() as session:
                    return work(session)
            except OperationalError as exc:
                if not _is_busy(exc) or attempt == BUSY_RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")
