"""The shared server's speed: call latency, push delay to many subscribers, idle CPU, and a
client command's start-up against embedded mode.

Usage: python bench/server_roundtrip.py [--tickets 2000] [--clients 50] [--calls 200]
Targets (issue 13): a change pushed to 50 connected clients within 1 s; the idle server under
5 % of a core.
"""

from __future__ import annotations

import argparse
import base64
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from deskui.cli import main
from deskui.config import load_settings
from deskui.remote import client, wire
from deskui.remote.serve import SiteServer


def _percentiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[int(len(values) * 0.95) - 1] if len(values) > 1 else values[0]
    return f"median {statistics.median(values) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def _subscribers(
    path: Path, count: int
) -> tuple[list[float | None], list[threading.Event], list[client.Connection]]:
    arrived: list[float | None] = [None] * count
    ready = [threading.Event() for _ in range(count)]
    conns = [client.connect(path) for _ in range(count)]

    def listen(i: int) -> None:
        conns[i].call("subscribe", {})
        ready[i].set()
        while True:
            try:
                message = conns[i]._receive()
            except client.ServerError:
                return
            if (
                isinstance(message, wire.Event)
                and message.topic == "changed"
                and arrived[i] is None
            ):
                arrived[i] = time.perf_counter()

    for i in range(count):
        threading.Thread(target=listen, args=(i,), daemon=True).start()
    for event in ready:
        event.wait(10)
    return arrived, ready, conns


def _startup(argv: list[str], runs: int = 5) -> float:
    code = f"from deskui.cli import main; raise SystemExit(main({argv!r}))"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(tickets: int, clients: int, calls: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="dk-bench-"))
    url = f"sqlite:///{folder / 'site.db'}"
    try:
        main(["--db", url, "demo", "--tickets", str(tickets)])
        site = SiteServer(
            load_settings(overrides={"db_url": url}), folder / "s.sock", sweep_seconds=0
        )
        site.server.register("ping", lambda caller, payload: {})
        site.start()
        path = site.server.path
        with client.connect(path) as conn:
            ping, listing = [], []
            for _ in range(calls):
                start = time.perf_counter()
                conn.call("ping", {})
                ping.append(time.perf_counter() - start)
            for _ in range(max(10, calls // 10)):
                start = time.perf_counter()
                conn.call("cli", {"argv": ["list", "--limit", "20", "--format", "json"], "tty": {}})
                listing.append(time.perf_counter() - start)
        print(f"call 'ping':              {_percentiles(ping)}")
        print(f"call 'cli list --limit 20': {_percentiles(listing)}")

        row = (
            "created_at,channel,category,priority,tier,customer_name,customer_phone,subject,"
            "description\n2026-11-20T10:00:00+08:00,phone,help,normal,normal,张三,13800138000,"
            "门锁不响应,按键无反应\n"
        )
        data = base64.b64encode(row.encode()).decode()
        arrived, _, conns = _subscribers(path, clients)
        with client.connect(path) as conn:
            start = time.perf_counter()
            reply = conn.call(
                "cli", {"argv": ["import", "one.csv"], "files": {"file": {"data": data}}}
            )
            answered = time.perf_counter()
        if reply.get("code") != 0:
            print("import failed:", reply.get("output"))
        deadline = time.perf_counter() + 5
        while any(a is None for a in arrived) and time.perf_counter() < deadline:
            time.sleep(0.005)
        delays = [a - start for a in arrived if a is not None]
        print(f"write (import 1 row):     {(answered - start) * 1000:.1f} ms")
        print(
            f"push to {clients} subscribers: {len(delays)}/{clients} got it; "
            f"slowest {max(delays) * 1000:.1f} ms after the write began"
            if delays
            else f"push to {clients} subscribers: none arrived"
        )

        cpu0, wall0 = time.process_time(), time.perf_counter()
        time.sleep(10)
        cpu = (time.process_time() - cpu0) / (time.perf_counter() - wall0)
        print(
            f"idle, {clients} subscribers: {cpu * 100:.2f} % of a core (server and bench clients)"
        )
        for conn in conns:
            conn.close()

        remote = _startup(["--server", str(path), "list", "--limit", "1"])
        embedded = _startup(["--db", url, "list", "--limit", "1"])
        print(
            f"`deskui list --limit 1`: client {remote * 1000:.0f} ms, embedded {embedded * 1000:.0f} ms"
        )
        site.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--calls", type=int, default=200)
    options = parser.parse_args()
    run(options.tickets, options.clients, options.calls)
