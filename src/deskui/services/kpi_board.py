"""The KPI panel's figures: today, this week and this month against the site's targets."""

from __future__ import annotations

from datetime import datetime

from deskui.services.context import ServiceContext
from deskui.store import kpi as store


def board(ctx: ServiceContext, now: datetime) -> store.KpiReport:
    with ctx.read() as session:
        return store.report(session, now, ctx.site.zone, ctx.site.kpi)
