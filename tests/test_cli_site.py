"""`deskui site show | export | import` and what a user's config may no longer set."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskui.cli import main
from deskui.domain.enums import EventKind, Role
from deskui.services.accounts import add_agent
from deskui.services.audit import audit_trail
from deskui.services.context import ServiceContext
from site_testing import set_site


@pytest.fixture
def as_user(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def sign_in(name: str) -> None:
        monkeypatch.setattr("deskui.services.accounts.os_username", lambda: name)
        monkeypatch.setattr("deskui.services.accounts.is_superuser", lambda: False)

    return sign_in


def run(
    argv: list[str], ctx: ServiceContext, clock: object, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    code = main([*argv, "--db", ctx.settings.db_url], clock=clock)  # type: ignore[arg-type]
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_site_policy_in_config_toml_is_ignored_with_a_message(
    ctx: ServiceContext,
    clock: object,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('lang = "en"\ntz = "Europe/Berlin"\n[sla]\nat_risk_fraction = 0.9\n')
    monkeypatch.setenv("DESKUI_IDENTITY", "database")
    code, out, err = run(["--config", str(config), "sla", "show"], ctx, clock, capsys)
    assert code == 0
    assert (
        f"deskui: sla in {config} is site policy now and is ignored; an admin can load it with "
        f"`deskui site import {config}`"
    ) in err
    assert f"deskui: tz in {config} is site policy now and is ignored" in err
    assert "deskui: DESKUI_IDENTITY in the environment is site policy now and is ignored" in err
    assert "At risk when 25% of a target" in out  # the site's value, not the file's 0.9
    code, out, err = run(["--config", str(config), "config", "show"], ctx, clock, capsys)
    assert code == 0 and err == ""
    assert "`deskui site show`" in out and f"# sla in {config} is site policy now" in out
    assert "tz = " not in out and "sla." not in out


def test_show_and_export_are_for_everyone(
    ctx: ServiceContext, clock: object, capsys: pytest.CaptureFixture[str], tmp_path: Path, as_user
) -> None:
    add_agent(ctx, "li.agent", role=Role.AGENT)
    as_user("li.agent")
    set_site(ctx, tz="Asia/Tokyo")
    code, out, _err = run(["site", "show"], ctx, clock, capsys)
    assert code == 0 and 'tz = "Asia/Tokyo"' in out and "revision 1, set by test" in out
    code, out, _err = run(["site", "export", str(tmp_path / "site.toml")], ctx, clock, capsys)
    assert code == 0 and 'tz = "Asia/Tokyo"' in (tmp_path / "site.toml").read_text()


def test_import_is_refused_for_a_non_admin_in_one_line_and_audited(
    ctx: ServiceContext,
    clock: object,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    as_user,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_agent(ctx, "admin", role=Role.ADMIN)
    add_agent(ctx, "li.agent", role=Role.SUPERVISOR)
    as_user("li.agent")
    monkeypatch.setenv("LOGNAME", "admin")
    path = tmp_path / "site.toml"
    path.write_text('tz = "UTC"\n')
    code, out, err = run(["site", "import", str(path), "--yes"], ctx, clock, capsys)
    assert code == 2 and out == ""
    assert err == "deskui: site import is for admins only; li.agent is not an admin\n"
    [line] = [a for a in audit_trail(ctx) if a.kind == EventKind.REFUSED.value]
    assert (line.actor, line.body) == ("li.agent", "site import")
    assert ctx.site.tz == "Asia/Shanghai"


def test_import_shows_the_changes_and_needs_yes_without_a_terminal(
    ctx: ServiceContext, clock: object, capsys: pytest.CaptureFixture[str], tmp_path: Path, as_user
) -> None:
    add_agent(ctx, "admin", role=Role.ADMIN)
    as_user("admin")
    path = tmp_path / "config.toml"
    path.write_text('lang = "zh_CN"\n[callbacks]\nother_hours = 48\n')
    code, out, err = run(["site", "import", str(path)], ctx, clock, capsys)
    assert code == 2 and "give --yes" in err
    assert f"{path}: lang is a personal setting, not site policy; skipped" in out
    assert "  callbacks.other_hours: 72 -> 48" in out
    assert "open tickets keep their due times" in out
    assert ctx.site.callbacks.other_hours == 72
    code, out, err = run(["site", "import", str(path), "--yes"], ctx, clock, capsys)
    assert code == 0 and "Site policy is now revision 1 (1 change(s))." in out
    ctx.forget_policy()
    assert ctx.site.callbacks.other_hours == 48
    [line] = [a for a in audit_trail(ctx) if a.kind == EventKind.SITE_POLICY.value]
    assert line.actor == "admin"
    code, out, _err = run(["site", "import", str(path), "--yes"], ctx, clock, capsys)
    assert code == 0 and "Nothing to change." in out


def test_a_bad_file_is_one_message_per_problem(
    ctx: ServiceContext, clock: object, capsys: pytest.CaptureFixture[str], tmp_path: Path, as_user
) -> None:
    add_agent(ctx, "admin", role=Role.ADMIN)
    as_user("admin")
    path = tmp_path / "bad.toml"
    path.write_text("[kpi]\ncsat = 7\n")
    code, _out, err = run(["site", "import", str(path), "--yes"], ctx, clock, capsys)
    assert code == 2 and "Traceback" not in err
    assert err.splitlines()[0] == f"deskui: {path}: 1 problem(s); nothing was changed:"
    assert err.splitlines()[1].startswith("  line 2: kpi.csat: ")
    code, _out, err = run(["site", "import", str(tmp_path / "none.toml")], ctx, clock, capsys)
    assert code == 2 and "cannot read" in err
