"""Tests set the site policy the way an admin's `deskui site import` stores it: in the
database, as a new revision (no CLI, no admin check)."""

from __future__ import annotations

from typing import Any

from deskui.domain.site import SitePolicy
from deskui.services.context import ServiceContext
from deskui.store import site as store


def set_site(ctx: ServiceContext, **changes: Any) -> SitePolicy:
    """Store the current policy with `changes` (top-level keys: tz, sla, callbacks, ...)."""
    policy = SitePolicy.model_validate({**store.document(ctx.site), **changes})

    def work(session: Any) -> None:
        store.store(
            session,
            policy,
            expected=None,
            actor_id=None,
            username="test",
            source="test",
            now=ctx.now(),
            before={},
            after={},
        )

    ctx.write(work)
    ctx.forget_policy()
    return policy
