"""A pseudo-terminal for benchmarks: run a program as a user's terminal would, read what it
draws, send it keys. Shared by `launch_pty.py`, `keys_pty.py` and `idle_bandwidth.py`."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence


class Pty:
    """One child process on a pty of `cols` x `rows`."""

    def __init__(self, argv: Sequence[str], cols: int, rows: int, env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", **env}
        full_env.pop("TEXTUAL", None)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=full_env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.seen = b""
        self.drawn = 0  # bytes read in all

    def read(self, timeout: float) -> bytes | None:
        """What the child drew within `timeout` seconds: None if nothing, b"" once it has
        closed the terminal. The last 64 KiB are kept in `seen`."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return None
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return b""
        self.seen = (self.seen + chunk)[-65536:]
        self.drawn += len(chunk)
        return chunk

    def burst(self, quiet: float = 0.15, limit: float = 10.0) -> tuple[float | None, float | None]:
        """Read until `quiet` seconds pass with no output: (first byte, last byte) times."""
        first = last = None
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline and self.read(quiet):
            last = time.perf_counter()
            first = first or last
        return first, last

    def until(self, pattern: bytes, limit: float = 60.0) -> float:
        """Seconds from start until `pattern` has been drawn."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            if pattern in self.seen:
                return time.perf_counter() - self.started
            if self.read(0.05) == b"":
                break
        raise TimeoutError(f"{pattern!r} not drawn within {limit} s")

    def count(self, seconds: float) -> int:
        """Bytes drawn during the next `seconds`."""
        total = 0
        until = time.perf_counter() + seconds
        while (left := until - time.perf_counter()) > 0:
            chunk = self.read(left)
            if chunk == b"":
                break
            total += len(chunk or b"")
        return total

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, quit_keys: str = "\x11") -> int:
        """Quit politely (ctrl+q), then by force; the child's peak RSS in KiB."""
        try:
            self.send(quit_keys)
            deadline = time.perf_counter() + 5
            while time.perf_counter() < deadline:
                self.burst(quiet=0.05, limit=0.2)
                pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
                if pid:
                    self.proc.returncode = status
                    return usage.ru_maxrss
            os.killpg(self.proc.pid, signal.SIGKILL)
            _pid, _status, usage = os.wait4(self.proc.pid, 0)
            self.proc.returncode = _status
            return usage.ru_maxrss
        finally:
            os.close(self.master)
