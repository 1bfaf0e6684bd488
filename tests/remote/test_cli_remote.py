"""Every CLI command through the server: the rules run there, with the caller the kernel names;
files travel as bytes; questions are asked at the caller's terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from deskui.cli import main
from deskui.domain.enums import EventKind
from deskui.remote.serve import SiteServer
from deskui.remote.server import Caller, Server
from deskui.store.tables import Agent, Customer, TicketEvent


def remote(site: SiteServer, *argv: str) -> int:
    return main(["--server", str(site.server.path), *argv])


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, with the user's answers typed in."""

    def isatty(self) -> bool:
        return True


def test_a_command_runs_in_the_server_and_prints_here(site: SiteServer, capsys) -> None:
    assert remote(site, "list", "--format", "json", "--limit", "5") == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 5


def test_export_writes_the_callers_file_masked_and_names_it(
    site: SiteServer, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "mine.csv"
    assert remote(site, "export", "--out", str(out)) == 0
    err = capsys.readouterr().err
    assert err.strip() == f"exported 40 tickets to {out}"
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 40 and all(
        "*" in row["customer_phone"] for row in rows if row["customer_phone"]
    )


def test_import_sends_the_files_bytes_and_messages_name_the_callers_file(
    site: SiteServer, tmp_path: Path, capsys
) -> None:
    source = tmp_path / "old-system.csv"
    assert remote(site, "export", "--out", str(source)) == 0
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    bad = lines[0] + "\n" + lines[1] + "\n" + ",".join(["x"] * len(lines[0].split(","))) + "\n"
    source.write_text(bad, encoding="utf-8")
    capsys.readouterr()
    assert remote(site, "import", str(source)) == 1
    err = capsys.readouterr().err
    assert f"{source}:" in err and "deskui-request-" not in err
    assert "nothing imported" in err


def test_a_missing_input_file_is_one_line_here(site: SiteServer, tmp_path: Path, capsys) -> None:
    assert remote(site, "import", str(tmp_path / "nope.csv")) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"deskui: {tmp_path / 'nope.csv'}")


def _closed_long_ago(site: SiteServer) -> int:
    with site.ctx.read() as session:
        return session.execute(select(func.count()).select_from(Customer)).scalar_one()


def test_a_confirmation_is_asked_at_the_callers_terminal(
    site: SiteServer, clock, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    clock.now = clock.now.replace(year=2031)  # every demo ticket closed long ago
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    assert remote(site, "retention", "apply", "--years", "2") == 2
    captured = capsys.readouterr()
    assert "This will anonymise" in captured.err and "Go ahead? [y/N] " in captured.out
    assert captured.err.strip().endswith("deskui: cancelled; nothing changed")
    with site.ctx.read() as session:
        anonymised = session.execute(
            select(func.count()).select_from(Customer).where(Customer.name == "")
        ).scalar_one()
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    assert remote(site, "retention", "apply", "--years", "2") == 0
    captured = capsys.readouterr()
    assert captured.err.count("This will anonymise") == 1  # shown once, not again on the replay
    assert "anonymised" in captured.out
    with site.ctx.read() as session:
        names = session.execute(select(Customer.name)).scalars().all()
    assert anonymised == 0 and names and len(set(names)) < len(names)


def test_without_a_terminal_a_confirmation_needs_yes(
    site: SiteServer, clock, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    clock.now = clock.now.replace(year=2031)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert remote(site, "retention", "apply", "--years", "2") == 2
    assert "add --yes to confirm" in capsys.readouterr().err
    assert remote(site, "retention", "apply", "--years", "2", "--yes") == 0


def test_demo_through_a_running_server_while_a_desk_and_the_sweep_read(
    db_url: str, clock, short_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The loader shares the file with the server's own readers and writers: it neither
    fails with "database is locked" nor deadlocks with them, and what it wrote is seen."""
    import threading
    import time

    from deskui.api.codec import RemoteDeskApi
    from deskui.config import load_settings
    from deskui.domain.errors import ServiceError
    from deskui.remote.desk_client import DeskLink
    from deskui.services import sla_sweep

    passes: list[object] = []
    sweep = sla_sweep.sweep

    def counted(ctx: object) -> object:
        try:
            result = sweep(ctx)  # type: ignore[arg-type]
        except Exception as exc:
            passes.append(exc)
            raise
        passes.append(result)
        return result

    monkeypatch.setattr(sla_sweep, "sweep", counted)
    loaded = load_settings(overrides={"db_url": db_url})
    site = SiteServer(
        loaded, short_dir / "run" / "s.sock", sweep_seconds=0.05, feed_seconds=0.05, clock=clock
    )
    site.start()
    link = DeskLink(site.server.path, "en")
    api = RemoteDeskApi(link.send, can_push=True)
    pushed: list[object] = []
    api.on_change(pushed.append)
    link.watch(api.pushed)
    stop, faults, answered = threading.Event(), [], []

    def desk() -> None:  # asks and asks; nobody's agent until the demo adds the caller
        while not stop.is_set():
            try:
                answered.append(api.changes(-1).marker)
            except ServiceError as exc:
                if type(exc).__name__ != "UnknownAgent":
                    faults.append(exc)
            time.sleep(0.01)

    asking = threading.Thread(target=desk, daemon=True)
    asking.start()
    try:
        while not passes:
            time.sleep(0.05)
        assert remote(site, "demo", "--tickets", "300") == 0
        captured = capsys.readouterr()
        assert "tickets" in captured.out and "deskui:" not in captured.err
        assert remote(site, "list", "--view", "all", "--format", "json", "--limit", "500") == 0
        assert len(json.loads(capsys.readouterr().out)) == 300
        deadline = time.monotonic() + 10
        while not answered or not any(b is not None and b.marker > 0 for b in pushed):
            assert time.monotonic() < deadline, "the desk never saw the demo"
            time.sleep(0.05)
        count = len(passes)
        while len(passes) < count + 3:  # the sweep goes on over the new data
            assert time.monotonic() < deadline, "the sweep stopped"
            time.sleep(0.05)
    finally:
        stop.set()
        asking.join(timeout=5)
        link.close()
        site.stop()
    assert faults == []
    assert [p for p in passes if isinstance(p, Exception)] == []


def test_admin_only_commands_refuse_an_agent_and_audit_its_name(
    site: SiteServer, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    with site.ctx.read() as session:
        agent = session.execute(
            select(Agent.username).where(Agent.role == "agent").order_by(Agent.id).limit(1)
        ).scalar_one()
    # The peer is this test's uid; here the server names it as that agent, not an admin.
    monkeypatch.setattr(
        Server, "caller", lambda self, creds, lang: Caller(creds.uid, agent, False, lang)
    )
    for argv in (
        ["agent", "add", agent, "--role", "admin"],
        ["retention", "apply", "--years", "2", "--yes"],
        ["sla", "sweep"],
        ["export", "--unmasked"],
    ):
        assert remote(site, *argv) == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("deskui: "), (argv, err)
    with site.ctx.read() as session:
        refused = session.execute(
            select(TicketEvent.body, Agent.username)
            .join(Agent, Agent.id == TicketEvent.actor_id)
            .where(TicketEvent.kind == EventKind.REFUSED)
            .order_by(TicketEvent.id)
        ).all()
    assert [body for body, _ in refused] == ["agent add", "retention apply", "sla sweep", "export"]
    assert {name for _, name in refused} == {agent}


def test_database_commands_and_the_audit_trail_are_for_admins_over_the_server(
    site: SiteServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from deskui.i18n import _, speaking

    assert remote(site, "db", "status") == 0  # the server's own user is an admin
    assert "status: up to date" in capsys.readouterr().out
    with site.ctx.read() as session:
        agent = session.execute(
            select(Agent.username).where(Agent.role == "agent").order_by(Agent.id).limit(1)
        ).scalar_one()
    monkeypatch.setattr(
        Server, "caller", lambda self, creds, lang: Caller(creds.uid, agent, False, lang)
    )
    commands = {
        "db status": ["db", "status"],
        "db upgrade": ["db", "upgrade"],
        "db copy": ["db", "copy", "--to", f"sqlite:///{tmp_path / 'mine.db'}", "--yes"],
        "demo": ["demo", "--tickets", "5"],
        "init": ["init"],
        "audit": ["audit"],
    }
    for command, argv in commands.items():
        assert remote(site, *argv) == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [f"deskui: {command} is for admins only; {agent} is not an admin"], argv
    assert not (tmp_path / "mine.db").exists()
    assert remote(site, "--lang", "zh_CN", "db", "upgrade") == 2
    with speaking("zh_CN"):
        chinese = _("{command} is for admins only; {name} is not an admin")
    assert chinese != "{command} is for admins only; {name} is not an admin"
    shown = chinese.format(command="db upgrade", name=agent)
    assert capsys.readouterr().err.strip() == f"deskui: {shown}"
    with site.ctx.read() as session:
        refused = session.execute(
            select(TicketEvent.body, Agent.username, Agent.role)
            .join(Agent, Agent.id == TicketEvent.actor_id)
            .where(TicketEvent.kind == EventKind.REFUSED)
            .order_by(TicketEvent.id)
        ).all()
    assert [body for body, _name, _role in refused] == [*commands, "db upgrade"]
    assert {(name, role.value) for _body, name, role in refused} == {(agent, "agent")}


def test_an_unknown_user_gets_the_embedded_refusal(
    site: SiteServer, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(
        Server, "caller", lambda self, creds, lang: Caller(4242, "nobody-here", False, lang)
    )
    assert remote(site, "import", __file__) == 2
    assert capsys.readouterr().err.strip() == (
        "deskui: 'nobody-here' is not a deskui agent. Ask an admin to run: "
        "deskui agent add nobody-here --role agent --team TEAM"
    )


def test_messages_are_in_the_callers_language(
    site: SiteServer, clock, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from deskui.i18n import _, speaking

    clock.now = clock.now.replace(year=2031)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert remote(site, "--lang", "zh_CN", "retention", "apply", "--years", "2") == 2
    with speaking("zh_CN"):
        chinese = _("this would {plan}; nothing changed: add --yes to confirm without asking")
    assert chinese != "this would {plan}; nothing changed: add --yes to confirm without asking"
    assert capsys.readouterr().err.startswith("deskui: " + chinese.split("{plan}")[0])
    assert remote(site, "retention", "apply", "--years", "2") == 2  # the next caller: English
    assert "add --yes to confirm" in capsys.readouterr().err


def test_no_server_is_one_line_and_a_non_zero_exit(short_dir: Path, capsys) -> None:
    assert main(["--server", str(short_dir / "gone.sock"), "list"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"deskui: no deskui server answers at {short_dir / 'gone.sock'} (No such file or directory)"
    ]


def test_the_server_is_found_from_the_environment_or_the_site_config(
    site: SiteServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    monkeypatch.setenv("DESKUI_SERVER", str(site.server.path))
    assert main(["list", "--limit", "1", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    monkeypatch.delenv("DESKUI_SERVER")
    site_dir = Path(os.environ["XDG_CONFIG_DIRS"]) / "deskui"
    site_dir.mkdir(parents=True)
    (site_dir / "config.toml").write_text(f'server = "{site.server.path}"\n', encoding="utf-8")
    assert main(["list", "--limit", "1", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    # --db with a server: the server chooses the database
    assert main(["--db", "sqlite:///elsewhere.db", "list"]) == 2
    assert "--server none" in capsys.readouterr().err


def test_a_database_fault_in_the_server_is_one_message_and_it_keeps_serving(
    site: SiteServer, db_url: str, capsys
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("damages a SQLite file")
    site.ctx.engine.dispose()
    path = Path(db_url.removeprefix("sqlite:///"))
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    for _ in range(2):
        assert remote(site, "list") == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("deskui: ") and "Traceback" not in err[0]
        # the caller cannot give another --db or see the server's path: retry or tell the admin
        assert "--db" not in err[0] and str(path) not in err[0] and "admin" in err[0], err
    assert site.server._serving.is_set()  # still listening after the faults


def test_the_client_path_imports_neither_sqlalchemy_nor_alembic(site: SiteServer) -> None:
    code = (
        "import sys\n"
        "from deskui.cli import main\n"
        f"code = main(['--server', {str(site.server.path)!r}, 'list', '--limit', '2'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic', 'textual'})\n"
        "print('HEAVY', heavy, code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "HEAVY [] 0", done.stderr


def test_calendar_import_asks_here_and_applies_the_plan_it_showed(
    site: SiteServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from calendar_testdata import write_invented_2027_csv

    path = write_invented_2027_csv(tmp_path / "test-2027.csv")
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    assert remote(site, "calendar", "import", str(path)) == 0
    out = capsys.readouterr().out
    assert out.count("+ 2027-02-05") == 1 and out.count("Apply these changes? [y/N] ") == 1
    assert f"{path}: " in out and "Applied 24 change(s)" in out


def test_a_malformed_site_config_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    site_dir = Path(os.environ["XDG_CONFIG_DIRS"]) / "deskui"
    site_dir.mkdir(parents=True)
    (site_dir / "config.toml").write_text("server = [1]\n", encoding="utf-8")
    assert main(["list"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "server must be a path in quotes" in err[0]
