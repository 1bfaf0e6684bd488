"""Site policy is site data (issue 13): stored, versioned and audited in the database, changed
by admins only, and no user's environment or config file changes it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from deskui.config import load_settings
from deskui.domain.enums import Category, Channel, EventKind, Priority, Role
from deskui.domain.schemas import IntakeForm
from deskui.domain.site import SitePolicy
from deskui.services import site
from deskui.services.accounts import add_agent
from deskui.services.context import ServiceContext
from deskui.services.errors import PermissionDenied
from deskui.services.tickets import TicketService
from deskui.store import site as store
from deskui.store.tables import TicketEvent
from site_testing import set_site


def sign_in_as(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The kernel's answer for who runs deskui (and never root, whatever runs the tests)."""
    monkeypatch.setattr("deskui.services.accounts.os_username", lambda: name)
    monkeypatch.setattr("deskui.services.accounts.is_superuser", lambda: False)


def form() -> IntakeForm:
    return IntakeForm.model_validate(
        {
            "customer_name": "王芳",
            "customer_phone": "13812345678",
            "channel": Channel.PHONE,
            "category": Category.HELP,
            "priority": Priority.NORMAL,  # working days on the business calendar
            "subject": "门锁指纹识别失败",
        }
    )


def policy_file(tmp_path: Path, body: str, name: str = "site.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def site_events(ctx: ServiceContext, kind: EventKind) -> list[TicketEvent]:
    with ctx.read() as session:
        return list(
            session.execute(
                select(TicketEvent).where(TicketEvent.kind == kind).order_by(TicketEvent.id)
            ).scalars()
        )


def test_an_empty_table_means_the_defaults(ctx: ServiceContext) -> None:
    policy, revision, history = site.current(ctx)
    assert (policy, revision, history) == (SitePolicy(), 0, [])
    assert ctx.site == SitePolicy()


def test_store_load_revision_and_history(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in_as(monkeypatch, "wang.admin")
    add_agent(ctx, "wang.admin", role=Role.ADMIN)
    first = policy_file(tmp_path, 'tz = "Europe/Berlin"\n[callbacks]\nother_hours = 48\n')
    result = site.apply_import(ctx, site.plan_import(ctx, first))
    assert result.revision == 1 and result.changes == 2  # tz and callbacks.other_hours
    second = policy_file(tmp_path, 'tz = "Europe/Berlin"\n[kpi]\ncsat = 0.85\n', "two.toml")
    plan = site.plan_import(ctx, second)
    assert {c.key: (c.before, c.after) for c in plan.changes} == {
        "callbacks.other_hours": (48, 72),  # the file is the whole policy: the default again
        "kpi.csat": (0.9, 0.85),
    }
    assert site.apply_import(ctx, plan).revision == 2
    policy, revision, history = site.current(ctx)
    assert revision == 2 and policy.tz == "Europe/Berlin" and policy.kpi.csat == 0.85
    assert policy.callbacks.other_hours == 72
    assert [(h.revision, h.username, h.source) for h in history] == [
        (2, "wang.admin", "two.toml"),
        (1, "wang.admin", "site.toml"),
    ]
    assert history[0].changed_at == ctx.now()
    with ctx.read() as session:
        assert store.stored_document(session, 1)["callbacks"]["other_hours"] == 48  # type: ignore[index]
    # A second process on the same database reads the same policy.
    other = ServiceContext(ctx.engine, ctx.settings, clock=ctx.clock)
    assert other.site == policy and other.policy.settings == policy.sla


def test_a_change_is_audited_with_the_real_name(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in_as(monkeypatch, "wang.admin")
    admin = add_agent(ctx, "wang.admin", role=Role.ADMIN)
    monkeypatch.setenv("LOGNAME", "someone.else")
    monkeypatch.setenv("USER", "someone.else")
    path = policy_file(tmp_path, "[sla]\nat_risk_fraction = 0.3\n")
    site.apply_import(ctx, site.plan_import(ctx, path))
    [event] = site_events(ctx, EventKind.SITE_POLICY)
    assert event.actor_id == admin.id
    assert event.before == {"changes": {"sla.at_risk_fraction": 0.25}}
    assert event.after is not None and event.after["user"] == "wang.admin"
    assert event.after["changes"] == {"sla.at_risk_fraction": 0.3} and event.after["revision"] == 1


def test_a_non_admin_is_refused_and_the_refusal_audited(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_agent(ctx, "wang.admin", role=Role.ADMIN)
    add_agent(ctx, "li.agent", role=Role.SUPERVISOR)
    path = policy_file(tmp_path, "[sla]\nat_risk_fraction = 0.5\n")
    sign_in_as(monkeypatch, "wang.admin")
    plan = site.plan_import(ctx, path)
    sign_in_as(monkeypatch, "li.agent")
    monkeypatch.setenv("LOGNAME", "wang.admin")
    for attempt in (lambda: site.plan_import(ctx, path), lambda: site.apply_import(ctx, plan)):
        with pytest.raises(PermissionDenied, match="site import is for admins only"):
            attempt()
    refusals = site_events(ctx, EventKind.REFUSED)
    assert [(e.body, (e.after or {})["user"]) for e in refusals] == [
        ("site import", "li.agent"),
        ("site import", "li.agent"),
    ]
    assert site.current(ctx)[1] == 0 and site_events(ctx, EventKind.SITE_POLICY) == []


def test_the_environment_changes_neither_numbering_nor_due_times(
    engine: Engine, clock: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 02:00 UTC it is already the 23rd in Shanghai but still the 22nd in Los Angeles."""
    url = str(engine.url)
    plain = load_settings(environ={"DESKUI_DB_URL": url})
    spoofed = load_settings(
        environ={
            "DESKUI_DB_URL": url,
            "DESKUI_TZ": "America/Los_Angeles",
            "DESKUI_SLA__CALENDAR__TIMEZONE": "America/Los_Angeles",
            "DESKUI_SLA__AT_RISK_FRACTION": "0.9",
        }
    )
    assert {i.env_name for i in spoofed.ignored} == {"DESKUI_TZ", "DESKUI_SLA__AT_RISK_FRACTION"}
    first = ServiceContext(engine, plain.settings, clock=clock)  # type: ignore[arg-type]
    second = ServiceContext(engine, spoofed.settings, clock=clock)  # type: ignore[arg-type]
    admin = add_agent(first, "admin", role=Role.ADMIN, team="Customer Service")
    one = TicketService(first).intake(admin, form())
    two = TicketService(second).intake(admin, form())
    assert (one.number, two.number) == ("SR-20261123-0001", "SR-20261123-0002")
    assert one.response_due_at == two.response_due_at
    assert one.resolve_due_at == two.resolve_due_at
    assert one.response_warn_at == two.response_warn_at
    # Only the site policy moves them, for everyone.
    set_site(first, tz="America/Los_Angeles")
    second.forget_policy()  # as after POLICY_CHECK_SECONDS (tested below)
    assert TicketService(second).intake(admin, form()).number == "SR-20261122-0001"


def test_a_running_process_sees_a_change_within_the_check_interval(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deskui.services import context

    ticks = [1000.0]
    monkeypatch.setattr(context.time, "monotonic", lambda: ticks[0])
    desk = ServiceContext(ctx.engine, ctx.settings, clock=ctx.clock)
    assert desk.site.callbacks.other_hours == 72 and desk.policy.settings.at_risk_fraction == 0.25
    set_site(ctx, callbacks={"other_hours": 10}, sla={"at_risk_fraction": 0.4})
    assert desk.site.callbacks.other_hours == 72  # cached: one query per interval at most
    ticks[0] += context.POLICY_CHECK_SECONDS
    assert desk.site.callbacks.other_hours == 10
    assert desk.policy.settings.at_risk_fraction == 0.4


def test_a_bad_file_names_each_key_and_line_and_changes_nothing(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in_as(monkeypatch, "admin")
    add_agent(ctx, "admin", role=Role.ADMIN)
    set_site(ctx, tz="Europe/Berlin")
    path = policy_file(
        tmp_path,
        "\n".join(
            [
                'tz = "Mars/Olympus"',  # 1
                "[sla]",  # 2
                "at_risk_fraction = 2",  # 3
                "[[sla.rules]]",  # 4
                'name = "all"',  # 5
                "response = { minutes = 10 }",  # 6
                "resolution = { minutes = -5 }",  # 7
                "[callbacks]",  # 8
                "colour = 1",  # 9
            ]
        ),
    )
    with pytest.raises(site.SiteFileError) as caught:
        site.plan_import(ctx, path)
    problems = caught.value.problems
    assert any(p.startswith("line 1: tz: unknown time zone") for p in problems), problems
    assert any(p.startswith("line 3: sla.at_risk_fraction: ") for p in problems), problems
    assert any(p.startswith("line 7: sla.rules[0].resolution.minutes: ") for p in problems)
    assert any(p.startswith("line 9: callbacks.colour: ") for p in problems), problems
    assert "nothing was changed" in str(caught.value)
    assert site.current(ctx)[1] == 1 and ctx.site.tz == "Europe/Berlin"
    broken = policy_file(tmp_path, "tz = \n", "broken.toml")
    with pytest.raises(site.SiteFileError, match="not valid TOML"):
        site.plan_import(ctx, broken)


def test_export_then_import_round_trips(
    ctx: ServiceContext, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in_as(monkeypatch, "admin")
    add_agent(ctx, "admin", role=Role.ADMIN)
    wanted = set_site(
        ctx,
        tz="Europe/Berlin",
        identity="database",
        callbacks={"complaint_hours": 12, "other_hours": 36, "retry_hours": 2},
        kpi={"csat": 0.8},
        sla={
            "at_risk_fraction": 0.3,
            "calendar": {"hours": {"mon": ["08:30-12:00", "13:00-17:30"]}, "country": "DE"},
            "rules": [
                {
                    "name": 'all "quoted" 规则',
                    "response": {"minutes": 30},
                    "resolution": {"working_days": 2.5},
                }
            ],
        },
    )
    if engine.dialect.name == "postgresql":  # identity = "database": the role is the caller
        add_agent(ctx, str(engine.url.username), role=Role.ADMIN)
    out = tmp_path / "exported.toml"
    assert site.export_site(ctx, out) == 1
    assert site.plan_import(ctx, out).changes == []  # the same policy: nothing to change
    set_site(ctx, **store.document(SitePolicy()))  # back to the defaults
    plan = site.plan_import(ctx, out)
    assert plan.changes and plan.personal == []
    site.apply_import(ctx, plan)
    assert ctx.site == wanted


def test_an_old_config_toml_imports_as_it_is(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in_as(monkeypatch, "admin")
    add_agent(ctx, "admin", role=Role.ADMIN)
    old = policy_file(
        tmp_path,
        'db_url = "sqlite:///x.db"\nlang = "zh_CN"\nrefresh_seconds = 5\ntz = "Asia/Tokyo"\n'
        "[sla]\nescalation_grace_minutes = 30\n",
        "config.toml",
    )
    plan = site.plan_import(ctx, old)
    assert plan.personal == ["db_url", "lang", "refresh_seconds"]
    assert {c.key for c in plan.changes} == {"tz", "sla.escalation_grace_minutes"}
    site.apply_import(ctx, plan)
    assert ctx.site.tz == "Asia/Tokyo" and ctx.site.sla.escalation_grace_minutes == 30


def test_open_tickets_keep_their_due_times_until_they_change(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in_as(monkeypatch, "admin")
    admin = add_agent(ctx, "admin", role=Role.ADMIN, team="Customer Service")
    service = TicketService(ctx)
    ticket = service.intake(admin, form())
    rules = "\n".join(
        f'[[sla.rules]]\nname = "{p}"\npriority = "{p}"\n'
        "response = { hours = 1 }\nresolution = { hours = 5 }\n"
        for p in ("urgent", "important", "normal")
    )
    site.apply_import(ctx, site.plan_import(ctx, policy_file(tmp_path, rules)))
    kept = service.get(ticket.id)
    assert kept.response_due_at == ticket.response_due_at  # no mass recompute
    changed = service.change(admin, kept.id, kept.version, priority=Priority.IMPORTANT)
    assert changed.resolve_due_at == changed.created_at + timedelta(hours=5)


def test_a_failed_look_keeps_the_policy_already_read(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk's header asks for the site's zone every second: a database that went away
    must not turn that into an error."""
    from deskui.services import context
    from deskui.services.errors import DatabaseUnavailable

    ticks = [1000.0]
    monkeypatch.setattr(context.time, "monotonic", lambda: ticks[0])
    set_site(ctx, tz="Asia/Tokyo")
    assert ctx.site.tz == "Asia/Tokyo"

    def gone(session: object) -> int:
        raise DatabaseUnavailable("server closed the connection")

    monkeypatch.setattr("deskui.store.site.revision", gone)
    ticks[0] += context.POLICY_CHECK_SECONDS
    assert ctx.site.tz == "Asia/Tokyo"
    fresh = ServiceContext(ctx.engine, ctx.settings, clock=ctx.clock)
    with pytest.raises(DatabaseUnavailable):
        _ = fresh.site
