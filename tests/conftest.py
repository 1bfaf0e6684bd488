"""Shared fixtures: a migrated database on SQLite, and on PostgreSQL when CI provides one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from deskui.config import Settings
from deskui.domain.actors import Actor
from deskui.domain.enums import Role
from deskui.services.context import ServiceContext
from deskui.store.engine import make_engine
from deskui.store.migrate import upgrade

PG_URL = os.environ.get("DESKUI_TEST_PG_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--shift-clock",
        type=int,
        default=0,
        metavar="DAYS",
        help="run with the machine's clock moved DAYS days on: a test that reads today fails",
    )


def pytest_configure(config: pytest.Config) -> None:
    """With --shift-clock, every process of the run (xdist workers too) sees a later today."""
    days = config.getoption("--shift-clock")
    if days:
        import time_machine

        traveller = time_machine.travel(datetime.now(UTC) + timedelta(days=days), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the real user's config or data dirs from tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(home / "site"))  # the site-wide config dir
    for name in list(os.environ):
        if name.startswith("DESKUI_") and not name.startswith("DESKUI_TEST_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A test that runs the CLI or a desk in Chinese leaves the next test in English."""
    from deskui.i18n import set_language

    yield
    set_language("en")


class Clock:
    """A settable clock for services: tests move time explicitly."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # Monday 10:00 in Shanghai


def _pg_database() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("PostgreSQL not configured (set DESKUI_TEST_PG_URL)")
    name = f"deskui_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'deskui.db'}"
    else:
        yield from _pg_database()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def ctx(engine: Engine, clock: Clock) -> ServiceContext:
    return ServiceContext(engine, Settings(db_url=str(engine.url)), clock=clock)


@pytest.fixture
def admin(ctx: ServiceContext) -> Actor:
    from deskui.services.accounts import add_agent

    return add_agent(ctx, "admin", role=Role.ADMIN, team="Customer Service", display_name="Admin")
