"""A real server as its own OS user, real agents as theirs: the kernel names every caller.

Needs root (CI has it) to create users; skipped otherwise. Each process is a forked child that
drops to its user and calls into deskui in-process: after setuid a child cannot read the
interpreter's library under /root, so the parent first runs every code path once (warm-up).
"""

from __future__ import annotations

import gc
import io
import logging
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from deskui.cli import main
from deskui.config import load_settings
from deskui.domain.enums import EventKind, Role
from deskui.remote.serve import SiteServer
from deskui.store.engine import make_engine
from deskui.store.tables import Agent, Customer, TicketEvent

SERVER_USER, AGENT_USER, GROUP = "deskui-t-srv", "deskui-t-agent", "deskui-t-agents"
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="creating OS users needs root")


def _ensure_users() -> tuple[pwd.struct_passwd, pwd.struct_passwd]:
    """Two workers may race here; whichever loses finds the users made."""
    subprocess.run(["groupadd", "--system", GROUP], check=False, capture_output=True)
    for name in (SERVER_USER, AGENT_USER):
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
            check=False,
            capture_output=True,
        )
    for name in (SERVER_USER, AGENT_USER):  # the server must be in the group to give it the socket
        subprocess.run(["usermod", "-a", "-G", GROUP, name], check=False, capture_output=True)
    return pwd.getpwnam(SERVER_USER), pwd.getpwnam(AGENT_USER)


def _become(user: pwd.struct_passwd) -> None:
    groups = [g for g in os.getgrouplist(user.pw_name, user.pw_gid)]
    os.setgroups(groups)
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)


def _as_user(
    user: pwd.struct_passwd, work: Callable[[], int], env: dict[str, str]
) -> tuple[int, str]:
    """`work()` in a child running as `user`; its exit status and what it wrote to stderr."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            os.dup2(write_end, 2)
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), write_through=True)
            sys.stdout = io.TextIOWrapper(io.FileIO(os.open(os.devnull, os.O_WRONLY), "w"))
            sys.stdin = io.StringIO("")
            _become(user)
            os.environ.update(env)
            os.environ["XDG_CONFIG_HOME"] = os.environ["XDG_DATA_HOME"] = "/nonexistent"
            code = work()
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8", errors="replace") as pipe:
        err = pipe.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err


def _serve_as(user: pwd.struct_passwd, url: str, socket: Path) -> int:
    """Start a server child running as `user`; its pid once it listens."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            sys.stdin = io.StringIO("")
            _become(user)
            os.environ["XDG_CONFIG_HOME"] = os.environ["XDG_DATA_HOME"] = "/nonexistent"
            logging.basicConfig(stream=sys.__stderr__, force=True)  # the server's own log
            from deskui.remote.files import private_umask

            private_umask()
            site = SiteServer(
                load_settings(overrides={"db_url": url}),
                socket,
                group=GROUP,
                sweep_seconds=0,
                feed_seconds=0.2,
            )
            signal.signal(signal.SIGTERM, lambda *_: site.request_stop())
            site.start()
            site.wait()
            site.stop()
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    deadline = time.monotonic() + 30
    while not socket.exists():
        if time.monotonic() > deadline or os.waitpid(pid, os.WNOHANG) != (0, 0):
            raise AssertionError("the server did not start")
        time.sleep(0.05)
    return pid


ADMIN_ONLY = [
    ["agent", "add", AGENT_USER, "--role", "admin"],
    ["retention", "apply", "--years", "2", "--yes"],
    ["sla", "sweep"],
    ["export", "--unmasked", "--out", "/dev/null"],
    ["db", "status"],
    ["db", "upgrade"],
    ["demo", "--tickets", "5"],
    ["init"],
    ["audit"],
]


def _warm_up(folder: Path) -> None:
    """Run each code path once here, so the children find every module already imported."""
    url = f"sqlite:///{folder / 'warm' / 'warm.db'}"
    assert main(["--db", url, "demo", "--tickets", "5"]) == 0
    site = SiteServer(
        load_settings(overrides={"db_url": url}), folder / "warm" / "s.sock", sweep_seconds=0
    )
    site.start()
    try:
        server = ["--server", str(site.server.path)]
        for argv in [*ADMIN_ONLY, ["list", "--limit", "1"], ["audit", "--actor", "nobody"]]:
            main([*server, *argv])
    finally:
        site.stop()


@pytest.fixture
def real_site() -> Iterator[dict[str, Any]]:
    server_user, agent_user = _ensure_users()
    folder = Path(tempfile.mkdtemp(prefix="dk-users-"))
    folder.chmod(0o755)
    _warm_up(folder)
    data = folder / "data"
    data.mkdir()
    os.chown(data, server_user.pw_uid, server_user.pw_gid)
    url = f"sqlite:///{data / 'site' / 'site.db'}"
    # root fills the site embedded (fastest: the loader has the file to itself), then hands the
    # folder to the server's user, which tightens it to 0700/0600 on start.
    assert main(["--db", url, "demo", "--tickets", "30"]) == 0
    gc.collect()
    for path in [data / "site", *(data / "site").iterdir()]:
        os.chown(path, server_user.pw_uid, server_user.pw_gid)
    run = folder / "run"
    run.mkdir()
    os.chown(run, server_user.pw_uid, server_user.pw_gid)
    socket = run / "deskui" / "deskui.sock"
    pid = _serve_as(server_user, url, socket)
    try:
        yield {"url": url, "socket": socket, "db": data / "site" / "site.db", "agent": agent_user}
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        shutil.rmtree(folder, ignore_errors=True)


def _refusals(db: Path) -> list[tuple[str, str | None]]:
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(
            select(TicketEvent.body, Agent.username)
            .outerjoin(Agent, Agent.id == TicketEvent.actor_id)
            .where(TicketEvent.kind == EventKind.REFUSED)
            .order_by(TicketEvent.id)
        ).all()
    engine.dispose()
    return [(body, name) for body, name in rows]


def test_a_real_server_names_each_caller_by_uid_and_keeps_its_file_to_itself(
    real_site: dict[str, Any],
) -> None:
    socket, db, agent = real_site["socket"], real_site["db"], real_site["agent"]
    server = ["--server", str(socket)]
    # root over the socket is an admin: it adds the first agent
    assert main([*server, "agent", "add", AGENT_USER, "--role", "agent", "--team", "客服一组"]) == 0
    assert (db.stat().st_mode & 0o777, db.parent.stat().st_mode & 0o777) == (0o600, 0o700)
    assert db.stat().st_uid == pwd.getpwnam(SERVER_USER).pw_uid
    assert socket.parent.stat().st_mode & 0o777 == 0o750 and socket.stat().st_mode & 0o777 == 0o660

    spoof = {"LOGNAME": "root", "USER": "root", "HOME": "/tmp"}

    def read_the_file() -> int:
        try:
            db.read_bytes()
        except PermissionError:
            return 13
        return 0

    assert _as_user(agent, read_the_file, spoof)[0] == 13
    engine = make_engine(real_site["url"])
    with engine.connect() as conn:
        before = conn.execute(select(Customer.name).order_by(Customer.id)).scalars().all()
    for argv in ADMIN_ONLY:
        code, err = _as_user(agent, lambda argv=argv: main([*server, *argv]), spoof)
        lines = err.strip().splitlines()
        assert code == 2 and len(lines) == 1 and lines[0].startswith("deskui: "), (argv, err)
    code, err = _as_user(agent, lambda: main([*server, "list", "--limit", "3"]), spoof)
    assert code == 0, err
    with engine.connect() as conn:
        role = conn.execute(select(Agent.role).where(Agent.username == AGENT_USER)).scalar_one()
        after = conn.execute(select(Customer.name).order_by(Customer.id)).scalars().all()
    engine.dispose()
    assert role is Role.AGENT and after == before
    assert _refusals(db) == [
        ("agent add", AGENT_USER),
        ("retention apply", AGENT_USER),
        ("sla sweep", AGENT_USER),
        ("export", AGENT_USER),
        ("db status", AGENT_USER),
        ("db upgrade", AGENT_USER),
        ("demo", AGENT_USER),
        ("init", AGENT_USER),
        ("audit", AGENT_USER),
    ]


def test_a_user_outside_the_group_cannot_reach_the_socket(real_site: dict[str, Any]) -> None:
    outsider = pwd.getpwnam("nobody")
    code, err = _as_user(outsider, lambda: main(["--server", str(real_site["socket"]), "list"]), {})
    assert code == 3 and "Permission denied" in err and len(err.strip().splitlines()) == 1
