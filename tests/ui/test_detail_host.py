"""A tiny host app for the panels' tests, and a small fixed dataset (no tests here).

It honours the desk's contract: `app.api`, `app.actor`, `app.site`, `app.zone`, `app.now()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult, SystemCommand
from textual.screen import Screen
from textual.widget import Widget

from deskui.config import Settings
from deskui.domain.actors import Actor
from deskui.domain.enums import Category, Channel, ComplaintType, Priority, Role, TeamKind, Tier
from deskui.domain.schemas import IntakeForm
from deskui.i18n import set_language
from deskui.services.accounts import add_agent
from deskui.services.context import ServiceContext
from deskui.services.tickets import TicketService
from deskui.store.engine import make_engine
from deskui.store.migrate import upgrade
from deskui.store.tables import Product, Team
from deskui.ui.common.drafts import StrayKeys
from deskui.ui.common.footer import DeskFooter
from deskui.ui.common.messages import TicketChanged
from deskui.ui.key_answers import RefusedKeys

FROZEN_NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai

# Every snapshot is taken at the smallest supported terminal and at the large desk, in both
# languages.
SIZES = [(80, 24), (120, 35)]
LANGS = ["en", "zh_CN"]


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    ctx: ServiceContext
    clock: Clock
    admin: Actor
    agent: Actor
    supervisor: Actor
    qa: Actor
    service: TicketService
    tickets: dict[str, int]

    def resolve(self, key: str, solution: str, *, first_contact: bool) -> None:
        """Resolve one of the world's tickets as its supervisor (a callback falls due)."""
        from deskui.domain.schemas import ResolveForm

        t = self.service.get(self.tickets[key])
        form = ResolveForm(solution=solution, first_contact=first_contact)
        self.service.resolve(self.supervisor, t.id, t.version, form)


def make_world(tmp_path: Path, name: str = "desk.db") -> World:
    engine = make_engine(f"sqlite:///{tmp_path / name}")
    upgrade(engine)
    clock = Clock(FROZEN_NOW - timedelta(hours=3))
    ctx = ServiceContext(engine, Settings(db_url=str(engine.url)), clock=clock)

    def setup(session: Any) -> None:
        session.add_all(
            [
                Team(name="Engineers 维修", kind=TeamKind.ENGINEERING),
                Team(name="Complaints 投诉", kind=TeamKind.COMPLAINTS),
                Product(model="WM-100", name="Washer 洗衣机"),
            ]
        )

    ctx.write(setup)
    admin = add_agent(ctx, "admin", role=Role.ADMIN, team="Service 客服", display_name="Admin")
    agent = add_agent(ctx, "li", role=Role.AGENT, team="Service 客服", display_name="Li Lei 李雷")
    supervisor = add_agent(
        ctx, "zhou", role=Role.SUPERVISOR, team="Service 客服", display_name="Zhou 周"
    )
    qa = add_agent(ctx, "qa", role=Role.QA, team="Service 客服", display_name="QA 质检")
    service = TicketService(ctx)
    tickets: dict[str, int] = {}
    repair = service.intake(
        agent,
        IntakeForm(
            customer_name="王芳",
            customer_phone="13812345678",
            customer_email="wang@example.com",
            region="上海",
            tier=Tier.VIP,
            channel=Channel.PHONE,
            category=Category.REPAIR,
            priority=Priority.IMPORTANT,
            subject="Washer leaks water 洗衣机漏水",
            description="Water on the floor after every wash.\nStarted last week.",
            customer_request="Repair at home",
            product_model="WM-100",
            serial="SN-0001",
            purchase_date=date(2025, 3, 10),
            proof_of_purchase="invoice 发票",
            assignee_id=agent.id,
        ),
    )
    tickets["repair"] = repair.id
    clock.now = FROZEN_NOW - timedelta(hours=2)
    repair = service.comment(agent, repair.id, repair.version, "Asked for a photo of the leak.")
    repair = service.comment(
        agent, repair.id, repair.version, "We will call you tomorrow.", internal=False
    )
    complaint = service.intake(
        agent,
        IntakeForm(
            customer_name="Zhang Wei",
            customer_phone="13900001111",
            channel=Channel.WECHAT,
            category=Category.COMPLAINT,
            complaint_type=ComplaintType.SERVICE,
            priority=Priority.IMPORTANT,
            subject="Engineer did not come 工程师未上门",
            customer_request="An apology and a new appointment",
            assignee_id=agent.id,
        ),
    )
    tickets["complaint"] = complaint.id
    clock.now = FROZEN_NOW
    return World(ctx, clock, admin, agent, supervisor, qa, service, tickets)


class Host(StrayKeys, RefusedKeys, App[None]):
    """Mounts one panel (made after the language is set) with a footer; like the desk, it
    hands keys typed ahead of a form to the form (`StrayKeys`)."""

    CSS = "Screen { layout: vertical; }"

    def __init__(
        self,
        world: World,
        make_panel: Callable[[], Widget],
        *,
        actor: Actor | None = None,
        lang: str = "en",
    ) -> None:
        set_language(lang)  # type: ignore[arg-type]
        super().__init__()
        self.ctx = world.ctx
        self.actor = actor or world.agent
        self.use(world.ctx)
        self.world = world
        self._make_panel = make_panel
        self.changed: list[int | None] = []

    def use(self, ctx: ServiceContext) -> None:
        """Talk to the site through `ctx` (another desk's connection, say)."""
        from desk_api import make_api

        self.ctx = ctx
        self.api = make_api(ctx, self.actor)
        self.site = self.api.site()
        self.zone = self.site.zone

    def now(self) -> datetime:
        return self.ctx.now()

    def compose(self) -> ComposeResult:
        self.panel = self._make_panel()
        yield self.panel
        yield DeskFooter()

    def on_mount(self) -> None:
        self.panel.focus()

    def on_ticket_changed(self, message: TicketChanged) -> None:
        self.changed.append(message.ticket_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        commands = getattr(self.panel, "commands", None)
        if commands is not None:
            yield from commands()


def sync(test: Callable[..., Any]) -> Callable[..., Any]:
    """Run an async test with asyncio (the venv has no async pytest plugin)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return asyncio.run(test(*args, **kwargs))

    return wrapper
