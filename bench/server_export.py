"""A big export through the shared server: time and peak RSS of the server and of the client,
against the same export embedded, and whether the file is byte for byte the embedded one.

Usage: python bench/server_export.py --db sqlite:////tmp/x.db [--format csv json xlsx]
(make the database first, e.g. `deskui --db sqlite:////tmp/x.db demo --tickets 50000`).
Target (issue 13): memory on both sides bounded independent of the file's size (files travel
in chunk frames of at most 1 MiB; the server writes the export to a private file first).
The server's peak is its high-water mark during the export alone (reset through
/proc/PID/clear_refs where the kernel allows it, else since the server started).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DESKUI = [sys.executable, "-m", "deskui"]


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def _peak_kib(pid: int) -> int:
    """VmHWM of a running process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def _reset_peak(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _run(argv: list[str]) -> tuple[float, int, int]:
    """(seconds, exit code, peak RSS in KiB) of one command run to its end."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    assert child.stderr is not None
    err = child.stderr.read().decode(errors="replace").strip()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        print(f"  {' '.join(argv[3:])}: exit {child.returncode}: {err}")
    return seconds, child.returncode, usage.ru_maxrss


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while data := handle.read(1 << 20):
            sha.update(data)
    return sha.hexdigest()


def _wait_for(path: Path, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(path))
            return
        except OSError:
            time.sleep(0.2)
        finally:
            probe.close()
    raise SystemExit("the server did not start in 120 s")


def run(url: str, formats: list[str]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="dk-export-"))
    sock = folder / "s.sock"
    server = subprocess.Popen(
        [*DESKUI, "--db", url, "server", "--socket", str(sock), "--sweep-seconds", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(sock, server)
        idle = _peak_kib(server.pid)
        print(f"server started: peak RSS {_mib(idle)}")
        for fmt in formats:
            here, there = folder / f"embedded.{fmt}", folder / f"served.{fmt}"
            took, _, embedded = _run(
                [*DESKUI, "--db", url, "export", "--format", fmt, "--out", str(here)]
            )
            reset = _reset_peak(server.pid)
            before = _peak_kib(server.pid)
            took_served, code, client = _run(
                [*DESKUI, "--server", str(sock), "export", "--format", fmt, "--out", str(there)]
            )
            served = _peak_kib(server.pid)
            size = here.stat().st_size
            same = code == 0 and (fmt == "xlsx" or _digest(here) == _digest(there))
            since = "during the export" if reset else "since start"
            print(
                f"{fmt}: {size / 2**20:.1f} MiB file; embedded {took:.1f} s, peak RSS "
                f"{_mib(embedded)}; through the server {took_served:.1f} s, client peak RSS "
                f"{_mib(client)}, server peak RSS {_mib(served)} {since} (at its start "
                f"{_mib(before)}); "
                + ("byte-identical" if same and fmt != "xlsx" else "")
                + ("written" if same and fmt == "xlsx" else "")
                + ("" if same else "DIFFERENT or failed")
            )
            for path in (here, there):
                path.unlink(missing_ok=True)
        if "csv" in formats:  # printed output: spooled by the server, shown as it arrives
            reset = _reset_peak(server.pid)
            took_served, code, client = _run([*DESKUI, "--server", str(sock), "export"])
            since = "during the export" if reset else "since start"
            print(
                f"csv to standard output through the server: {took_served:.1f} s, exit {code}, "
                f"client peak RSS {_mib(client)}, server peak RSS {_mib(_peak_kib(server.pid))} "
                f"{since}"
            )
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="a demo database URL")
    parser.add_argument("--format", nargs="+", default=["csv", "json"], dest="formats")
    options = parser.parse_args()
    run(options.db, options.formats)
