"""A real deskui server on a demo database, in this process (the same uid: an admin)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskui.cli import main
from deskui.config import load_settings
from deskui.remote.serve import SiteServer


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """Socket paths must stay under 108 bytes; pytest's tmp_path can be longer."""
    folder = Path(tempfile.mkdtemp(prefix="dk-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def site(db_url: str, clock, short_dir: Path) -> Iterator[SiteServer]:
    assert main(["--db", db_url, "demo", "--tickets", "40"], clock=clock) == 0
    loaded = load_settings(overrides={"db_url": db_url})
    server = SiteServer(
        loaded, short_dir / "run" / "s.sock", sweep_seconds=0, feed_seconds=0.2, clock=clock
    )
    server.start()
    yield server
    server.stop()
