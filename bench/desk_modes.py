"""The two ways the desk runs, for `launch_pty.py`, `keys_pty.py` and `idle_bandwidth.py`:
embedded (`deskui --db URL`) or as the client of a real `deskui server --db URL --socket PATH`
process (`deskui --server PATH`). Starts and stops that server, reads a process's CPU time,
counts the bytes on the socket, and prints each mode's table of figures against targets.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

MODES = ("embedded", "server")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def modes(choice: str) -> tuple[str, ...]:
    """The modes `--mode embedded|server|both` asks for, embedded first."""
    return MODES if choice == "both" else (choice,)


def add_mode_option(parser: object) -> None:
    parser.add_argument(  # type: ignore[attr-defined]
        "--mode",
        choices=("embedded", "server", "both"),
        default="both",
        help="embedded: deskui --db; server: deskui --server SOCKET against a real "
        "`deskui server` on the same database; both (default)",
    )


def deskui_exe() -> str:
    """The `deskui` command of this virtual environment."""
    return shutil.which("deskui", path=str(Path(sys.executable).parent)) or "deskui"


def db_url(db: str) -> str:
    """A database URL as given (PostgreSQL), or a SQLite file's."""
    return db if "://" in db else f"sqlite:///{Path(db).resolve()}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class ServerProcess:
    """`deskui server --db URL --socket PATH` in a process of its own; `socket` once started."""

    def __init__(self, db: str, sweep_seconds: float = 60.0) -> None:
        self.url = db_url(db)
        self.sweep_seconds = sweep_seconds
        self.folder = Path(tempfile.mkdtemp(prefix="dk-bench-"))  # short: sockets <= 108 bytes
        self.socket = self.folder / "run" / "deskui.sock"
        self.log = self.folder / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, limit: float = 120.0) -> float:
        """Start the server and wait until it answers a request; seconds that took."""
        argv = [deskui_exe(), "server", "--db", self.url, "--socket", str(self.socket)]
        argv += ["--sweep-seconds", str(self.sweep_seconds)]
        started = time.perf_counter()
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        deadline = started + limit
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"deskui server exited:\n{self.log.read_text()}")
            if self.answers():
                return time.perf_counter() - started
            time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"deskui server did not answer within {limit} s")

    def answers(self) -> bool:
        """True once the server answers on its socket (a request of no kind it knows is
        refused, which proves it is serving)."""
        from deskui.remote.client import ServerError, ServerUnavailable, connect

        if not self.socket.exists():
            return False
        try:
            with connect(self.socket, timeout=2.0) as conn:
                conn.call("bench-ping", {})
        except ServerUnavailable:
            return False
        except ServerError:
            pass
        return True

    def cpu(self) -> float:
        assert self.proc is not None
        return cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        """SIGTERM (the server stops cleanly and removes its socket), then by force."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


@contextmanager
def desk_argv(mode: str, db: str) -> Iterator[tuple[list[str], ServerProcess | None]]:
    """The `deskui` command line for `mode` (and its running server in server mode)."""
    if mode == "embedded":
        yield [deskui_exe(), "--db", db_url(db)], None
        return
    with ServerProcess(db) as server:
        yield [deskui_exe(), "--server", str(server.socket)], server


class CountingRelay:
    """A Unix socket that forwards every connection to `target`, counting the bytes each way
    (the desk connects here instead of to the server)."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path = target.with_name("relay.sock")
        self.to_server = self.to_desk = 0
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(self.path))
        self._listener.listen(16)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                desk, _ = self._listener.accept()
            except OSError:
                return
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.connect(str(self.target))
            threading.Thread(target=self._pump, args=(desk, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, desk, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, upstream: bool) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
                with self._lock:
                    if upstream:
                        self.to_server += len(chunk)
                    else:
                        self.to_desk += len(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def total(self) -> int:
        with self._lock:
            return self.to_server + self.to_desk

    def close(self) -> None:
        self._listener.close()


def print_table(title: str, rows: list[tuple[str, str, str, bool | None]]) -> None:
    """One mode's figures: (what, value, target, passed); passed None: no target."""
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    widths[1], widths[2] = max(widths[1], 5), max(widths[2], 6)
    print(f"\n{title}")
    print(f"  {'':<{widths[0]}}  {'value':>{widths[1]}}  {'target':>{widths[2]}}  result")
    for what, value, target, passed in rows:
        verdict = "" if passed is None else ("PASS" if passed else "FAIL")
        line = f"  {what:<{widths[0]}}  {value:>{widths[1]}}  {target:>{widths[2]}}  {verdict}"
        print(line.rstrip())
