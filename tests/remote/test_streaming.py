"""Big files through the server travel in chunk frames, never in one frame: an export larger
than the frame limit arrives whole and byte for byte what embedded mode writes; a transfer cut
off half-way leaves nothing under the caller's name; a malformed chunk is refused."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from deskui.cli import main
from deskui.config import load_settings
from deskui.remote import cli_served, client, wire
from deskui.remote.receive import Receiver
from deskui.remote.serve import SiteServer
from deskui.store.tables import Ticket

LIMIT = 64 * 1024  # the frame limit of these tests' servers, and of their clients


@contextlib.contextmanager
def _served(db_url: str, clock, folder: Path, tickets: int, limit: int) -> Iterator[SiteServer]:
    assert main(["--db", db_url, "demo", "--tickets", str(tickets)], clock=clock) == 0
    loaded = load_settings(overrides={"db_url": db_url})
    server = SiteServer(
        loaded,
        folder / "run" / "s.sock",
        sweep_seconds=0,
        feed_seconds=0.2,
        clock=clock,
        limit=limit,
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def small_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client refuses any frame over LIMIT too, and sends its input in chunks within it."""
    monkeypatch.setattr(client, "RECEIVE_LIMIT", LIMIT)
    monkeypatch.setattr(client, "SEND_LIMIT", LIMIT)


@pytest.fixture
def big_site(db_url: str, clock, short_dir: Path, small_frames: None) -> Iterator[SiteServer]:
    with _served(db_url, clock, short_dir, 2000, LIMIT) as server:
        yield server


@pytest.fixture
def small_site(db_url: str, clock, short_dir: Path, small_frames: None) -> Iterator[SiteServer]:
    """40 tickets, in frames of 4 KiB: an export is a handful of chunks."""
    with _served(db_url, clock, short_dir, 40, 4096) as server:
        yield server


def remote(site: SiteServer, *argv: str) -> int:
    return main(["--server", str(site.server.path), *argv])


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_over_the_frame_limit_arrives_whole_and_as_embedded_writes_it(
    big_site: SiteServer, db_url: str, clock, tmp_path: Path, capsys, fmt: str
) -> None:
    here, there = tmp_path / f"embedded.{fmt}", tmp_path / f"served.{fmt}"
    assert main(["--db", db_url, "export", "--format", fmt, "--out", str(here)], clock=clock) == 0
    capsys.readouterr()
    assert remote(big_site, "export", "--format", fmt, "--out", str(there)) == 0
    assert capsys.readouterr().err.strip() == f"exported 2000 tickets to {there}"
    assert here.stat().st_size > 4 * LIMIT  # many frames' worth
    assert there.read_bytes() == here.read_bytes()
    assert _leftovers(tmp_path) == []


def test_an_export_to_standard_output_streams_and_prints_as_embedded_does(
    big_site: SiteServer, db_url: str, clock, capsys
) -> None:
    assert main(["--db", db_url, "export"], clock=clock) == 0
    embedded = capsys.readouterr().out
    assert remote(big_site, "export") == 0
    served = capsys.readouterr()
    assert len(embedded.encode()) > 4 * LIMIT
    assert served.out == embedded and served.err == ""


def test_an_input_file_over_the_frame_limit_is_streamed_to_the_server(
    big_site: SiteServer, tmp_path: Path, capsys
) -> None:
    row = (
        "2026-11-20T10:00:00+08:00,phone,help,normal,normal,张三,13800138000,门锁不响应,"
        "按键无反应 {n}\n"
    )
    source = tmp_path / "calls.csv"
    header = (
        "created_at,channel,category,priority,tier,customer_name,customer_phone,subject,"
        "description\n"
    )
    source.write_text(header + "".join(row.format(n=n) for n in range(1500)), encoding="utf-8")
    assert source.stat().st_size > 2 * LIMIT
    with big_site.ctx.read() as session:
        before = session.execute(select(func.count()).select_from(Ticket)).scalar_one()
    assert remote(big_site, "import", str(source)) == 0, capsys.readouterr().err
    with big_site.ctx.read() as session:
        after = session.execute(select(func.count()).select_from(Ticket)).scalar_one()
    assert after - before == 1500


def test_site_export_through_the_server_writes_the_callers_file(
    small_site: SiteServer, db_url: str, clock, tmp_path: Path, capsys
) -> None:
    """Its FILE is an output (cli_paths' files_out), not an input to read here."""
    here, there = tmp_path / "embedded.toml", tmp_path / "served.toml"
    assert main(["--db", db_url, "site", "export", str(here)], clock=clock) == 0
    assert remote(small_site, "site", "export", str(there)) == 0
    assert str(there) in capsys.readouterr().out
    assert there.read_bytes() == here.read_bytes()


def _cut_after_first_chunk(monkeypatch: pytest.MonkeyPatch, cut: Callable[[], None]) -> None:
    """The server sends one chunk of the file, then waits while `cut` runs at the client."""
    real_pieces, real_take = cli_served.file_pieces, Receiver.take
    done = threading.Event()

    def pieces(path: Path, key: str, size: int) -> Iterator[tuple[str, bytes]]:
        for n, piece in enumerate(real_pieces(path, key, size)):
            if n == 1:
                done.wait(10)
            yield piece

    def take(self: Receiver, key: str, data: bytes) -> None:
        real_take(self, key, data)
        if key.startswith("file:") and not done.is_set():
            cut()
            done.set()

    monkeypatch.setattr(cli_served, "file_pieces", pieces)
    monkeypatch.setattr(Receiver, "take", take)


def test_a_server_gone_mid_transfer_leaves_no_file_and_says_so_in_one_line(
    small_site: SiteServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    _cut_after_first_chunk(monkeypatch, small_site.server.shutdown)
    out = tmp_path / "mine.csv"
    assert remote(small_site, "export", "--out", str(out)) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("deskui: no deskui server answers at ")
    assert err[0].endswith(f"; nothing was written to {out}")
    assert not out.exists() and _leftovers(tmp_path) == []


def test_a_connection_dropped_mid_transfer_leaves_the_old_file_as_it_was(
    small_site: SiteServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    def drop() -> None:
        for sock in list(small_site.server._live):
            sock.shutdown(socket.SHUT_RDWR)

    _cut_after_first_chunk(monkeypatch, drop)
    out = tmp_path / "mine.csv"
    out.write_text("yesterday's export\n", encoding="utf-8")
    assert remote(small_site, "export", "--out", str(out)) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"nothing was written to {out}" in err[0]
    assert out.read_text(encoding="utf-8") == "yesterday's export\n"
    assert _leftovers(tmp_path) == []
    with client.connect(small_site.server.path) as conn:
        assert conn.call("cli", {"argv": ["list", "--limit", "1"]})["code"] == 0  # still serving


def test_a_fault_reading_the_file_in_the_server_is_one_line_and_no_file(
    small_site: SiteServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    real_pieces = cli_served.file_pieces

    def pieces(path: Path, key: str, size: int) -> Iterator[tuple[str, bytes]]:
        for n, piece in enumerate(real_pieces(path, key, size)):
            if n == 2:
                raise OSError(5, "Input/output error")
            yield piece

    monkeypatch.setattr(cli_served, "file_pieces", pieces)
    out = tmp_path / "mine.csv"
    assert remote(small_site, "export", "--out", str(out)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "a fault in the server" in err[0] and "Traceback" not in err[0]
    assert not out.exists() and _leftovers(tmp_path) == []


class _FakeServer:
    """Answers one `cli` request with the frames a test gives (raw bodies)."""

    def __init__(self, path: Path, frames: Callable[[int], list[bytes]]) -> None:
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(path))
        self.listener.listen(1)
        self.frames = frames
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            request = wire.receive(conn)
            assert isinstance(request, wire.Request)
            with contextlib.suppress(OSError):  # the client may hang up half-way
                for body in self.frames(request.id):
                    conn.sendall(wire.HEADER.pack(len(body)) + body)
                conn.recv(1)  # until the client hangs up

    def close(self) -> None:
        self.listener.close()
        self.thread.join(5)


def _chunk(request_id: int, key: str = "file:out", seq: int = 0, data: bytes = b"id,x\n") -> bytes:
    return wire.Chunk(id=request_id, key=key, seq=seq, data=data).model_dump_json().encode()


def _answer(request_id: int, size: int | None = 5) -> bytes:
    files = {} if size is None else {"out": {"size": size}}
    payload = {"code": 0, "output": [], "files": files}
    return wire.Response(id=request_id, payload=payload).model_dump_json().encode()


MALFORMED: dict[str, Callable[[int], list[bytes]]] = {
    "data that is not base64": lambda i: [
        _chunk(i),
        _chunk(i, seq=1).replace(b'"data":"aWQseAo="', b'"data":"not base64!"'),
    ],
    "a chunk missing": lambda i: [_chunk(i), _chunk(i, seq=2), _answer(i, 10)],
    "a chunk repeated": lambda i: [_chunk(i), _chunk(i), _answer(i, 10)],
    "a file the command does not write": lambda i: [_chunk(i), _chunk(i, key="file:other")],
    "a chunk for another request": lambda i: [_chunk(i), _chunk(i + 1, seq=1)],
    "an unknown key": lambda i: [_chunk(i), _chunk(i).replace(b"file:out", b"file:../x")],
    "a field too many": lambda i: [_chunk(i), _chunk(i, seq=1)[:-1] + b',"more":1}'],
    "fewer bytes than the answer says": lambda i: [_chunk(i), _answer(i, 6)],
    "an oversized frame": lambda i: [_chunk(i), _chunk(i, seq=1, data=b"x" * LIMIT)],
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_chunk_is_refused_and_the_callers_file_left_alone(
    short_dir: Path, tmp_path: Path, small_frames: None, capsys, case: str
) -> None:
    fake = _FakeServer(short_dir / "fake.sock", MALFORMED[case])
    out = tmp_path / "mine.csv"
    out.write_text("kept\n", encoding="utf-8")
    try:
        code = main(["--server", str(short_dir / "fake.sock"), "export", "--out", str(out)])
    finally:
        fake.close()
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("deskui: "), err
    assert "not readable" in err[0] and err[0].endswith(f"nothing was written to {out}")
    assert out.read_text(encoding="utf-8") == "kept\n" and _leftovers(tmp_path) == []


def test_a_well_formed_fake_answer_is_written(
    short_dir: Path, tmp_path: Path, small_frames: None
) -> None:
    """The fake server above can succeed: the refusals are the chunks' fault."""
    fake = _FakeServer(short_dir / "fake.sock", lambda i: [_chunk(i), _answer(i)])
    out = tmp_path / "mine.csv"
    try:
        assert main(["--server", str(short_dir / "fake.sock"), "export", "--out", str(out)]) == 0
    finally:
        fake.close()
    assert out.read_bytes() == b"id,x\n"
