"""Regenerate screenshots/ from the real app on demo data with a frozen clock.

    .venv/bin/python scripts/screenshots.py

Each SVG is what a terminal of that size shows after the listed keys.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from unittest.mock import patch

from deskui.config import Settings
from deskui.domain.actors import Actor
from deskui.i18n import set_language
from deskui.services.accounts import actor_for
from deskui.services.context import ServiceContext
from deskui.services.demo import generate_demo
from deskui.store.engine import make_engine

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
OUT = Path(__file__).resolve().parents[1] / "screenshots"

# name, size, language, keys pressed after the desk has loaded
SHOTS: list[tuple[str, tuple[int, int], str, Sequence[str]]] = [
    ("desk", (120, 35), "en", ()),
    ("desk-zh", (120, 35), "zh_CN", ()),
    ("desk-80x24", (80, 24), "en", ()),
    ("ticket-detail", (80, 24), "en", ("down", "enter")),
    ("ticket-detail-zh", (120, 35), "zh_CN", ("down", "down")),
    ("intake-form", (100, 35), "en", ("n",)),
    ("callbacks", (80, 24), "en", ("3",)),
    ("kpis", (80, 24), "en", ("4",)),
    ("kpis-zh", (80, 24), "zh_CN", ("4",)),
    ("monthly-report", (100, 35), "en", ("4", "m")),
]


async def settle(pilot: object, app: object) -> None:
    for _ in range(6):
        await pilot.pause(0.15)  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()  # type: ignore[attr-defined]


async def shoot(
    ctx: ServiceContext, actor: Actor, name: str, size: tuple[int, int], keys: Sequence[str]
) -> None:
    from deskui.api.embedded import EmbeddedDeskApi
    from deskui.ui.app import DeskApp

    app = DeskApp(EmbeddedDeskApi(ctx, actor), actor, settings=ctx.settings, clock=lambda: NOW)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, app)
        app.save_screenshot(f"{name}.svg", str(OUT))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        engine = make_engine(url)
        with patch("deskui.services.accounts.os_username", return_value="demo.admin"):
            generate_demo(engine, tickets=2000, now=NOW, seed=7)
        for name, size, lang, keys in SHOTS:
            set_language(lang)  # type: ignore[arg-type]
            ctx = ServiceContext(engine, Settings(db_url=url, lang=lang), clock=lambda: NOW)
            asyncio.run(shoot(ctx, actor_for(ctx, "demo.admin"), name, size, keys))
            print(f"screenshots/{name}.svg")
        engine.dispose()


if __name__ == "__main__":
    main()
