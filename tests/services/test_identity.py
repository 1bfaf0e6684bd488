"""Who is calling comes from the kernel, and admin commands refuse (and audit) everyone else.

The real-user tests create an OS user (CI runs as root) and run the CLI in a forked child whose
uid is that user's: a real process with a real identity, not a patched function.
"""

from __future__ import annotations

import gc
import io
import os
import pwd
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import select

from deskui.cli import main
from deskui.domain.enums import EventKind, Role
from deskui.services.accounts import os_username
from deskui.store.engine import make_engine
from deskui.store.tables import Agent, Customer, TicketEvent

AGENT_USER = "deskui-t-agent"


def test_the_os_user_is_the_real_uid_whatever_logname_and_user_say(monkeypatch) -> None:
    monkeypatch.setenv("LOGNAME", "admin")
    monkeypatch.setenv("USER", "admin")
    assert os_username() == pwd.getpwuid(os.getuid()).pw_name != "admin"


def _os_user(name: str) -> pwd.struct_passwd:
    """The OS user `name`, created when missing (needs root, as CI has)."""
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("CI runs as root so that identity tests can create OS users")
        pytest.skip("creating OS users needs root")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        # Two test workers may race here; whichever loses finds the user made.
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
            check=False,
            capture_output=True,
        )
        return pwd.getpwnam(name)


def _run_as(user: pwd.struct_passwd, argv: Sequence[str], env: dict[str, str]) -> tuple[int, str]:
    """`deskui argv` in a child process running as `user`; its exit status and stderr."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become the user for good, then run the command
        code = 99
        try:
            os.dup2(write_end, 2)
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), write_through=True)
            sys.stdout = io.TextIOWrapper(io.FileIO(os.open(os.devnull, os.O_WRONLY), "w"))
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            os.environ.update(env)
            # This test process's own config dirs are root's; the user has its own.
            os.environ["XDG_CONFIG_HOME"] = os.environ["XDG_DATA_HOME"] = "/nonexistent"
            code = main(list(argv))
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8", errors="replace") as pipe:
        err = pipe.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err


@pytest.fixture
def shared_file_db() -> Iterator[str]:
    """A demo database that root set up and left writable to everyone (embedded, shared file)."""
    _os_user(AGENT_USER)
    folder = Path(tempfile.mkdtemp(prefix="deskui-identity-"))
    folder.chmod(0o777)
    url = f"sqlite:///{folder / 'site.db'}"
    assert main(["--db", url, "demo", "--tickets", "30"]) == 0
    assert (
        main(["--db", url, "agent", "add", AGENT_USER, "--role", "agent", "--team", "客服一组"])
        == 0
    )
    # The CLI's own commands also load every module the child needs: after setuid the child
    # cannot read the interpreter's library under /root.
    assert main(["--db", url, "export", "--out", str(folder / "warm.csv")]) == 0
    gc.collect()  # close pooled connections, so the WAL files go away with them
    for path in folder.iterdir():
        path.chmod(0o666)
    yield url
    subprocess.run(["rm", "-rf", str(folder)], check=False)


ADMIN_ONLY = [
    ["agent", "add", AGENT_USER, "--role", "admin"],
    ["init"],
    ["retention", "apply", "--years", "0"],
    ["sla", "sweep"],
    ["export", "--unmasked", "--out", "/dev/null"],
]


def test_an_agent_cannot_spoof_an_admin_and_is_audited_under_its_own_name(
    shared_file_db: str,
) -> None:
    user = pwd.getpwnam(AGENT_USER)
    spoof = {"LOGNAME": "root", "USER": "root", "HOME": "/tmp"}
    engine = make_engine(shared_file_db)
    with engine.connect() as conn:
        before = conn.execute(select(Customer.name).order_by(Customer.id)).scalars().all()
    for argv in ADMIN_ONLY:
        code, err = _run_as(user, ["--db", shared_file_db, *argv], spoof)
        assert code == 2, (argv, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("deskui: "), (argv, err)
        assert "Traceback" not in err
    with engine.connect() as conn:
        role = conn.execute(select(Agent.role).where(Agent.username == AGENT_USER)).scalar_one()
        after = conn.execute(select(Customer.name).order_by(Customer.id)).scalars().all()
        refused = conn.execute(
            select(TicketEvent.body, TicketEvent.after, Agent.username)
            .outerjoin(Agent, Agent.id == TicketEvent.actor_id)
            .where(TicketEvent.kind == EventKind.REFUSED)
            .order_by(TicketEvent.id)
        ).all()
    engine.dispose()
    assert role is Role.AGENT and after == before
    assert [body for body, _, _ in refused] == [
        "agent add",
        "init",
        "retention apply",
        "sla sweep",
        "export",
    ]
    assert {(extra or {}).get("user") for _, extra, _ in refused} == {AGENT_USER}
    assert {username for _, _, username in refused} == {AGENT_USER}


def test_an_export_is_audited_under_the_real_user_not_the_spoofed_one(
    shared_file_db: str,
) -> None:
    user = pwd.getpwnam(AGENT_USER)
    promote = ["--db", shared_file_db, "agent", "add", AGENT_USER, "--role", "supervisor"]
    assert main(promote) == 0
    gc.collect()
    out = Path(tempfile.mkdtemp(prefix="deskui-export-"))
    out.chmod(0o777)
    code, err = _run_as(
        user,
        ["--db", shared_file_db, "export", "--out", str(out / "t.csv")],
        {"LOGNAME": "root", "USER": "root", "HOME": "/tmp"},
    )
    assert code == 0, err
    assert "****" in (out / "t.csv").read_text(encoding="utf-8")
    engine = make_engine(shared_file_db)
    with engine.connect() as conn:
        exporter = conn.execute(
            select(Agent.username)
            .join(TicketEvent, TicketEvent.actor_id == Agent.id)
            .where(TicketEvent.kind == EventKind.EXPORT)
            .order_by(TicketEvent.id.desc())
            .limit(1)
        ).scalar_one()
    engine.dispose()
    subprocess.run(["rm", "-rf", str(out)], check=False)
    assert exporter == AGENT_USER


def test_init_makes_the_first_admin_and_later_needs_one(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setattr("deskui.services.accounts.os_username", lambda: "first.admin")
    monkeypatch.setattr("deskui.services.accounts.is_superuser", lambda: False)
    assert main(["--db", url, "init"]) == 0
    assert main(["--db", url, "agent", "add", "lina", "--role", "agent"]) == 0
    monkeypatch.setattr("deskui.services.accounts.os_username", lambda: "lina")
    assert main(["--db", url, "init"]) == 2
    assert main(["--db", url, "agent", "add", "lina", "--role", "admin"]) == 2
    engine = make_engine(url)
    with engine.connect() as conn:
        roles = dict(conn.execute(select(Agent.username, Agent.role)).all())
    engine.dispose()
    assert roles == {"first.admin": Role.ADMIN, "lina": Role.AGENT}


def test_agent_add_says_when_it_starts_a_new_team(tmp_path: Path, monkeypatch, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setattr("deskui.services.accounts.os_username", lambda: "first.admin")
    monkeypatch.setattr("deskui.services.accounts.is_superuser", lambda: False)
    assert main(["--db", url, "init"]) == 0
    capsys.readouterr()
    assert main(["--db", url, "agent", "add", "lina", "--role", "agent", "--team", "客服一组"]) == 0
    assert capsys.readouterr().out.strip() == "Agent lina (Agent) saved, in a new team: 客服一组."
    assert main(["--db", url, "agent", "add", "bo", "--role", "agent", "--team", "客服一组"]) == 0
    assert capsys.readouterr().out.strip() == "Agent bo (Agent) saved."
    assert main(["--db", url, "--lang", "zh_CN", "agent", "add", "mei", "--role", "agent"]) == 0
    assert capsys.readouterr().out.strip() == "已保存处理人 mei（客服）。"
