"""The site policy: show it, export it, and (admins only, audited) import a new revision.

An import is the whole policy: what the file leaves out takes deskui's default, so an export
imports back to the same policy. The change applies from the moment it is stored: open tickets
keep the due times they have and get new ones from the policy in force when they next change
(no mass recompute, unlike a calendar change). A settings file's sla.calendar
closed_dates/open_dates move into the business calendar, as `deskui calendar` keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from deskui.domain.site import SitePolicy
from deskui.i18n import N_
from deskui.services.accounts import require_admin
from deskui.services.context import ServiceContext
from deskui.services.errors import ServiceError
from deskui.services.site_files import PolicyFileProblems, dumps, flat, read_policy
from deskui.store import site as store
from deskui.store import tickets as tickets_store


class SiteFileError(ServiceError):
    """A policy file with problems; nothing was changed. One line per problem after the first."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(
            N_("{file}: {count} problem(s); nothing was changed:\n{problems}"),
            file=str(path),
            count=len(problems),
            problems="\n".join(f"  {p}" for p in problems),
        )
        self.problems = problems


class SiteConflict(ServiceError):
    """The policy changed between showing the changes and applying them."""


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    before: Any  # None: not set
    after: Any


@dataclass
class SitePlan:
    """What an import would change; `apply_import` stores it if the policy is unchanged."""

    path: Path
    policy: SitePolicy
    changes: list[Change]
    revision: int
    personal: list[str] = field(default_factory=list)  # config.toml keys skipped
    closed_dates: list[date] = field(default_factory=list)
    open_dates: list[date] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SiteResult:
    revision: int
    changes: int
    dates_added: int = 0
    tickets_moved: int = 0


def current(ctx: ServiceContext) -> tuple[SitePolicy, int, list[store.HistoryRow]]:
    """The policy in force, its revision and its recent history (everyone may read it)."""
    with ctx.read() as session:
        policy, revision = store.current(session)
        return policy, revision, store.history(session)


def policy_toml(policy: SitePolicy, comments: list[str] | None = None) -> str:
    return dumps(store.document(policy), comments or [])


def export_site(ctx: ServiceContext, path: Path) -> int:
    """Write the policy in force to `path` as TOML; its revision."""
    policy, revision, _history = current(ctx)
    text = policy_toml(policy, [f"deskui site policy, revision {revision}"])
    Path(path).write_text(text, encoding="utf-8")
    return revision


def _changes(before: SitePolicy, after: SitePolicy) -> list[Change]:
    old, new = flat(store.document(before)), flat(store.document(after))
    keys = list(old) + [k for k in new if k not in old]
    return [Change(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def plan_import(ctx: ServiceContext, path: Path) -> SitePlan:
    """Read and check the file and work out its changes; nothing is written (a refusal is
    audited). Raises SiteFileError naming each bad key (and its line)."""
    require_admin(ctx, "site import")
    path = Path(path)
    try:
        policy, personal = read_policy(path)
    except PolicyFileProblems as exc:
        raise SiteFileError(path, exc.problems) from None
    calendar = policy.sla.calendar
    closed, opened = list(calendar.closed_dates), list(calendar.open_dates)
    if closed or opened:  # these belong to the business calendar, which is its own data
        policy = policy.model_copy(
            update={
                "sla": policy.sla.model_copy(
                    update={
                        "calendar": calendar.model_copy(
                            update={"closed_dates": [], "open_dates": []}
                        )
                    }
                )
            }
        )
    with ctx.read() as session:
        before, revision = store.current(session)
    return SitePlan(path, policy, _changes(before, policy), revision, personal, closed, opened)


def apply_import(ctx: ServiceContext, plan: SitePlan) -> SiteResult:
    """Store the plan's policy as a new revision (audited with the caller's real name)."""
    name = require_admin(ctx, "site import")
    with ctx.read() as session:
        agent = tickets_store.agent_by_username(session, name)
    actor_id = agent.id if agent is not None else None
    revision = plan.revision
    if plan.changes:
        source = plan.path.name[:120]

        def work(session: Any) -> int | None:
            return store.store(
                session,
                plan.policy,
                expected=plan.revision,
                actor_id=actor_id,
                username=name,
                source=source,
                now=ctx.now(),
                before={"changes": {c.key: c.before for c in plan.changes}},
                after={"changes": {c.key: c.after for c in plan.changes}},
            )

        stored = ctx.write(work)
        if stored is None:
            raise SiteConflict(
                "the site policy changed since the changes were shown; nothing was applied "
                "(run the import again to see the new changes)"
            )
        revision = stored
        ctx.forget_policy()
    added = moved = 0
    if plan.closed_dates or plan.open_dates:
        from deskui.services.calendar import adopt_config_dates

        added, moved = adopt_config_dates(
            ctx, actor_id, plan.closed_dates, plan.open_dates, plan.path.name
        )
    return SiteResult(revision, len(plan.changes), added, moved)
