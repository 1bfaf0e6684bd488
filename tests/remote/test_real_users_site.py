"""A shared site with real OS users, on SQLite and on PostgreSQL: the server as its own user,
two agents as theirs, each with a hostile personal config.

- both agents' new tickets get the site's due times and the site's day in their numbers,
  whatever their personal time zone or SLA rules say;
- a change by one agent is pushed to the other's desk within a second;
- every admin-only command, `site import` among them, is refused and audited under the
  agent's real name, whatever LOGNAME says.

The children are forked from this process (see test_real_users.py for why), so everything
they run is imported and warmed up here first.
"""

from __future__ import annotations

import gc
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from deskui.api.codec import RemoteDeskApi
from deskui.cli import main
from deskui.config import load_settings
from deskui.domain.enums import Category, Channel, EventKind, Priority
from deskui.domain.schemas import IntakeForm
from deskui.remote.desk_client import DeskLink
from deskui.store.engine import make_engine
from deskui.store.tables import Agent, TicketEvent

from .test_real_users import (
    ADMIN_ONLY,
    AGENT_USER,
    GROUP,
    _as_user,
    _ensure_users,
    _serve_as,
    _warm_up,
)

SECOND_AGENT = "deskui-t-agent2"
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="creating OS users needs root")

# A personal config that tries to set site policy: another zone, and a 3-year urgent target.
HOSTILE = """
lang = "en"
tz = "America/New_York"

[sla]
at_risk_fraction = 0.9

[[sla.rules]]
name = "mine"
priority = "urgent"
response = { minutes = 1000000, calendar = "24x7" }
resolution = { hours = 26000.0, calendar = "24x7" }
"""
SITE_POLICY = '[[sla.rules]]\nname = "mine"\npriority = "urgent"\n'


def _second_agent() -> pwd.struct_passwd:
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SECOND_AGENT],
        check=False,
        capture_output=True,
    )
    subprocess.run(["usermod", "-a", "-G", GROUP, SECOND_AGENT], check=False, capture_output=True)
    return pwd.getpwnam(SECOND_AGENT)


def _form(subject: str) -> IntakeForm:
    return IntakeForm(
        customer_name="共享站点 客户",
        customer_phone="13600000000",
        channel=Channel.PHONE,
        category=Category.REPAIR,
        priority=Priority.URGENT,
        subject=subject,
    )


def _intake(socket: Path, config: Path, subject: str) -> int:
    """As a desk does it: the personal settings, then the intake over the socket; the new
    ticket's number and due offsets go to stderr as JSON."""
    settings = load_settings(config)
    api = RemoteDeskApi(DeskLink(socket, settings.settings.lang).send, can_push=False)
    api.me()
    detail = api.intake(_form(subject))
    done = time.time()
    print(
        json.dumps(
            {
                "done_at": done,
                "number": detail.number,
                "response": (detail.response_due_at - detail.created_at).total_seconds(),
                "resolution": (detail.resolve_due_at - detail.created_at).total_seconds(),
                "created": detail.created_at.isoformat(),
            }
        ),
        file=sys.stderr,
    )
    return 0


def _watch(socket: Path, ready: Path, seconds: float = 15.0) -> int:
    """A desk's push subscription: the times of the changes it is told about, as JSON."""
    times: list[float] = []

    def pushed(batch: dict[str, Any] | None) -> None:
        if batch is not None and int(batch.get("marker", -1)) > 0:
            times.append(time.time())
        elif batch is not None:
            ready.touch()  # connected: the subscription's first (catch-up) change

    link = DeskLink(socket, "en")
    link.watch(pushed)
    end = time.monotonic() + seconds
    while not times and time.monotonic() < end:
        time.sleep(0.01)
    link.close()
    print(json.dumps({"times": times}), file=sys.stderr)
    return 0


def _last_json(err: str) -> dict[str, Any]:
    lines = [line for line in err.splitlines() if line.startswith("{")]
    assert lines, err
    return json.loads(lines[-1])  # type: ignore[no-any-return]


@pytest.fixture
def shared_site(db_url: str) -> Iterator[dict[str, Any]]:
    server_user, agent_user = _ensure_users()
    second = _second_agent()
    folder = Path(tempfile.mkdtemp(prefix="dk-shared-"))
    folder.chmod(0o755)
    _warm_up(folder)
    data = folder / "data"
    data.mkdir()
    os.chown(data, server_user.pw_uid, server_user.pw_gid)
    url = db_url if db_url.startswith("postgresql") else f"sqlite:///{data / 'site' / 'site.db'}"
    assert main(["--db", url, "demo", "--tickets", "20"]) == 0
    gc.collect()
    if url.startswith("sqlite"):
        for path in [data / "site", *(data / "site").iterdir()]:
            os.chown(path, server_user.pw_uid, server_user.pw_gid)
    configs = folder / "configs"
    configs.mkdir()
    for name in ("a", "b"):
        (configs / f"{name}.toml").write_text(HOSTILE, encoding="utf-8")
        (configs / f"{name}.toml").chmod(0o644)
    (configs / "policy.toml").write_text(SITE_POLICY, encoding="utf-8")
    (configs / "policy.toml").chmod(0o644)
    signals = folder / "signals"  # where the agents' children say they are ready
    signals.mkdir()
    signals.chmod(0o777)
    run = folder / "run"
    run.mkdir()
    os.chown(run, server_user.pw_uid, server_user.pw_gid)
    socket = run / "deskui" / "deskui.sock"
    pid = _serve_as(server_user, url, socket)
    server = ["--server", str(socket)]
    for user in (AGENT_USER, SECOND_AGENT):
        assert main([*server, "agent", "add", user, "--role", "agent", "--team", "客服一组"]) == 0
    # warm up the desk's client path here, as root, so the children find it imported
    _as_root = _intake(socket, configs / "a.toml", "warm-up")
    assert _as_root == 0
    _watch(socket, signals / "warm-ready", seconds=0.3)
    try:
        yield {
            "url": url,
            "socket": socket,
            "configs": configs,
            "signals": signals,
            "agents": (agent_user, second),
        }
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        shutil.rmtree(folder, ignore_errors=True)


def test_two_agents_get_the_sites_due_times_and_each_others_changes_within_a_second(
    shared_site: dict[str, Any],
) -> None:
    socket, configs = shared_site["socket"], shared_site["configs"]
    first, second = shared_site["agents"]
    spoof = {"LOGNAME": "root", "USER": "root", "HOME": "/tmp", "DESKUI_TZ": "America/New_York"}
    ready = shared_site["signals"] / "second-ready"
    watched: dict[str, Any] = {}

    def watch() -> None:
        watched["result"] = _as_user(second, lambda: _watch(socket, ready), spoof)

    watcher = threading.Thread(target=watch)
    watcher.start()
    end = time.monotonic() + 15
    while not ready.exists():
        assert time.monotonic() < end and watcher.is_alive(), watched
        time.sleep(0.02)
    code, err = _as_user(first, lambda: _intake(socket, configs / "a.toml", "门锁 A"), spoof)
    assert code == 0, err
    made_by_first = _last_json(err)
    watcher.join(30)
    code, err = watched["result"]
    assert code == 0, err
    pushes = _last_json(err)["times"]
    assert pushes, "the second desk heard of no change"
    assert pushes[0] - made_by_first["done_at"] < 1.0
    code, err = _as_user(second, lambda: _intake(socket, configs / "b.toml", "门锁 B"), spoof)
    assert code == 0, err
    made_by_second = _last_json(err)
    # the site's urgent rule (15 min / 2 h, 24x7), not the personal 3-year one, for both
    for made in (made_by_first, made_by_second):
        assert (made["response"], made["resolution"]) == (15 * 60, 2 * 3600), made
    # numbered by the site's day (Asia/Shanghai), not New York's
    site_day = (datetime.fromisoformat(made_by_first["created"]) + timedelta(hours=8)).date()
    for made in (made_by_first, made_by_second):
        assert made["number"].startswith(f"SR-{site_day:%Y%m%d}-"), made


def test_an_agents_admin_commands_are_refused_and_audited_under_its_real_name(
    shared_site: dict[str, Any],
) -> None:
    socket, configs, url = shared_site["socket"], shared_site["configs"], shared_site["url"]
    agent = shared_site["agents"][0]
    spoof = {"LOGNAME": "root", "USER": "root", "HOME": "/tmp"}
    server = ["--server", str(socket)]
    attempts = [*ADMIN_ONLY, ["site", "import", str(configs / "policy.toml"), "--yes"]]
    for argv in attempts:
        code, err = _as_user(agent, lambda argv=argv: main([*server, *argv]), spoof)
        lines = err.strip().splitlines()
        assert code == 2 and len(lines) == 1 and lines[0].startswith("deskui: "), (argv, err)
    engine = make_engine(url)
    with engine.connect() as conn:
        refused = conn.execute(
            select(TicketEvent.body, Agent.username)
            .outerjoin(Agent, Agent.id == TicketEvent.actor_id)
            .where(TicketEvent.kind == EventKind.REFUSED)
            .order_by(TicketEvent.id)
        ).all()
    engine.dispose()
    names = {name for _, name in refused}
    assert names == {AGENT_USER}, refused
    bodies = [body for body, _ in refused]
    for command in ("agent add", "retention apply", "sla sweep", "export", "site import"):
        assert command in bodies, (command, bodies)
