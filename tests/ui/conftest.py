"""UI fixtures: one 300-ticket demo database per session (copied per test), a frozen clock,
an admin actor and `make_app(lang=...)`."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest

from deskui.config import Settings
from deskui.domain.actors import Actor
from deskui.domain.enums import Role
from deskui.services.context import ServiceContext
from deskui.store.engine import make_engine

FROZEN_NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
DEMO_TICKETS = 300


def frozen_clock() -> datetime:
    return FROZEN_NOW


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from deskui.services.demo import generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    # The demo signs in whoever runs it; pin the name so snapshots match on every machine.
    with patch("deskui.services.accounts.os_username", return_value="demo.admin"):
        generate_demo(engine, tickets=DEMO_TICKETS, now=FROZEN_NOW, seed=7)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    return path


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "desk.db"
    shutil.copyfile(demo_db_template, target)
    wal = demo_db_template.with_name(demo_db_template.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    return target


@pytest.fixture
def make_ctx(demo_db: Path) -> Iterator[Callable[..., ServiceContext]]:
    engines: list[Any] = []

    def make(lang: str = "en", refresh_seconds: float = 2.0) -> ServiceContext:
        url = f"sqlite:///{demo_db}"
        engine = make_engine(url)
        engines.append(engine)
        settings = Settings(db_url=url, lang=lang, refresh_seconds=refresh_seconds)
        return ServiceContext(engine, settings, clock=frozen_clock)

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def desk_ctx(make_ctx: Callable[..., ServiceContext]) -> ServiceContext:
    return make_ctx()


@pytest.fixture
def admin_actor(desk_ctx: ServiceContext) -> Actor:
    from deskui.store.tickets import agents

    with desk_ctx.read() as session:
        found = [a for a in agents(session) if a.role is Role.ADMIN]
    row = found[0]
    return Actor(row.id, row.username, row.display_name, row.role, row.team_id)


def desk_app(ctx: ServiceContext, actor: Actor, **options: Any) -> Any:
    """A DeskApp on `ctx` as `actor`, through the test API (embedded or loopback); the test
    reads the database through `app.test_ctx`."""
    from desk_api import make_api

    from deskui.ui.app import DeskApp

    app = DeskApp(make_api(ctx, actor), actor, settings=ctx.settings, **options)
    app.test_ctx = ctx  # type: ignore[attr-defined]
    return app


@pytest.fixture
def make_app(
    make_ctx: Callable[..., ServiceContext], admin_actor: Actor
) -> Iterator[Callable[..., Any]]:
    from deskui.i18n import set_language

    def make(lang: str = "en", refresh_seconds: float = 2.0) -> Any:
        ctx = make_ctx(lang=lang, refresh_seconds=refresh_seconds)
        return desk_app(ctx, admin_actor, clock=frozen_clock)

    yield make
    set_language("en")
