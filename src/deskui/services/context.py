"""What every service needs: the engine, the user's settings, the site policy, the SLA policy
on the site's calendar, and a clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from deskui.clock import utc_now
from deskui.config import Settings
from deskui.domain.site import SitePolicy
from deskui.domain.sla import SlaPolicy
from deskui.services.errors import DatabaseUnavailable
from deskui.store.engine import writer

if TYPE_CHECKING:
    from deskui.domain.calendar import SiteDay

T = TypeVar("T")
BUSY_RETRIES = 8
# How often a long-running process (desk, server) asks whether the site calendar or the site
# policy changed.
POLICY_CHECK_SECONDS = 10.0


def _detail(exc: Exception) -> str:
    """The database's own words, first line only (the SQL and parameters stay out)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


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
    _policy: SlaPolicy | None = field(default=None, init=False, repr=False)
    _policy_revision: int = field(default=-1, init=False, repr=False)
    _policy_checked: float = field(default=0.0, init=False, repr=False)
    _policy_site: SitePolicy | None = field(default=None, init=False, repr=False)
    _site: SitePolicy | None = field(default=None, init=False, repr=False)
    _site_revision: int = field(default=-1, init=False, repr=False)
    _site_checked: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writers = sessionmaker(writer(self.engine), expire_on_commit=False)

    @property
    def site(self) -> SitePolicy:
        """The site policy in force (the database's; deskui's defaults when none was set).

        Read again when its revision moves; a running process looks at most every
        POLICY_CHECK_SECONDS (one one-row query), and a change made here is seen at once. When
        that look fails (database gone), the policy already read stays in force.
        """
        clock = time.monotonic()
        if self._site is None or clock - self._site_checked >= POLICY_CHECK_SECONDS:
            from deskui.store import site as site_store

            self._site_checked = clock
            try:
                with self.read() as session:
                    revision = site_store.revision(session)
                    if self._site is None or revision != self._site_revision:
                        self._site, self._site_revision = site_store.current(session)
            except DatabaseUnavailable:
                if self._site is None:
                    raise
                # A desk's clock or form asks too: the policy it has stays until the next look.
        return self._site

    @property
    def policy(self) -> SlaPolicy:
        """The SLA policy on the site's calendar (the site policy + the calendar's entries).

        Rebuilt when the site policy or the calendar's revision moves; a running process looks
        at most every POLICY_CHECK_SECONDS (one one-row query each), and a change made here is
        seen at once.
        """
        site = self.site
        if self._policy_site is not site:
            self._policy = None
        clock = time.monotonic()
        if self._policy is None or clock - self._policy_checked >= POLICY_CHECK_SECONDS:
            from deskui.store import calendar as calendar_store

            self._policy_checked = clock
            with self.read() as session:
                revision = calendar_store.revision(session)
                if self._policy is None or revision != self._policy_revision:
                    state = calendar_store.state(session)
                    days = [row.entry for row in calendar_store.site_days(session)]
                    self._policy = SlaPolicy(site.sla, days, config_dates=not state.config_adopted)
                    self._policy_revision = revision
                    self._policy_site = site
        return self._policy

    @property
    def site_revision(self) -> int:
        """The revision of the site policy in force (read with `site`)."""
        _ = self.site
        return self._site_revision

    def forget_policy(self) -> None:
        """The calendar or the site policy changed in this process: read them again."""
        self._policy = None
        self._site = None

    def policy_inputs(self) -> tuple[int, list[SiteDay], bool]:
        """What `policy` is built from besides the SLA settings: the calendar's revision, its
        site entries, and whether config.toml's dates still count (a desk that talks to a
        server builds its own copy from these)."""
        from deskui.store import calendar as calendar_store

        with self.read() as session:
            state = calendar_store.state(session)
            days = [row.entry for row in calendar_store.site_days(session)]
        return state.revision, days, not state.config_adopted

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read-only session."""
        try:
            with self._sessions() as session:
                yield session
        except (DBAPIError, PoolTimeout) as exc:
            raise DatabaseUnavailable(_detail(exc)) from exc

    def write(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction; retry when SQLite reports a busy database.

        Database faults come out as `DatabaseUnavailable`, a ServiceError, so every caller that
        shows a ServiceError and keeps the user's draft does so for them too.
        """
        for attempt in range(BUSY_RETRIES):
            try:
                with self._writers.begin() as session:
                    return work(session)
            except OperationalError as exc:
                if not _is_busy(exc) or attempt == BUSY_RETRIES - 1:
                    raise DatabaseUnavailable(_detail(exc)) from exc
                time.sleep(0.05 * (attempt + 1))
            except (DBAPIError, PoolTimeout) as exc:
                raise DatabaseUnavailable(_detail(exc)) from exc
        raise AssertionError("unreachable")
