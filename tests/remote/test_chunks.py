"""The pieces of streaming, one by one: the Chunk frame and its checks, the pending output file
(never half a file under the caller's name, the mode a plain write gives), the receiver of
printed output, the capture's spool, and uploads a client streams to the server."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deskui.remote import wire
from deskui.remote.capture import Capture
from deskui.remote.client import ServerError, connect
from deskui.remote.outfile import PendingFile
from deskui.remote.receive import Receiver
from deskui.remote.server import Caller, Server, Streamed
from deskui.remote.uploads import uploaded


# -- the frame ----------------------------------------------------------------------------------
def test_a_chunk_round_trips_and_its_data_is_strict_base64() -> None:
    chunk = wire.Chunk(id=3, key="file:out", seq=0, data=b"\x00\xffbytes")
    assert wire.decode(wire.encode(chunk)[wire.HEADER.size :]) == chunk
    good = b'{"type":"chunk","id":3,"key":"file:out","seq":0,"data":"aWQK"}'
    assert wire.decode(good).data == b"id\n"  # type: ignore[union-attr]
    for bad in (
        good.replace(b"aWQK", b"aW QK"),  # a stray character is not skipped
        good.replace(b"aWQK", b"aWQ"),  # nor is a short last group
        good.replace(b'"aWQK"', b"12"),
        good.replace(b'"seq":0', b'"seq":-1'),
        good.replace(b"file:out", b"file:../../etc/passwd"),
        good.replace(b"file:out", b"stdout"),
        good.replace(b"}", b',"size":9}'),
        good.replace(b',"seq":0', b""),
    ):
        with pytest.raises(wire.WireError):
            wire.decode(bad)


def test_a_chunk_of_the_chunk_size_fits_its_frame_limit() -> None:
    for limit in (4096, 64 * 1024, wire.MAX_FRAME):
        size = wire.chunk_size(limit)
        frame = wire.encode(
            wire.Chunk(id=2**31, key="file:" + "x" * 32, seq=2**31, data=b"\xff" * size), limit
        )
        assert len(frame) <= limit + wire.HEADER.size
    assert wire.chunk_size(wire.MAX_FRAME) == wire.CHUNK


# -- the pending output file --------------------------------------------------------------------
@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    yield
    os.umask(old)


def _parts(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def test_a_new_file_appears_only_on_commit_with_the_umasks_mode(
    tmp_path: Path, umask_027: None
) -> None:
    target = tmp_path / "out.csv"
    pending = PendingFile(target)
    pending.write(b"a,b\n")
    assert not target.exists() and len(_parts(tmp_path)) == 1
    pending.commit()
    assert target.read_bytes() == b"a,b\n" and _parts(tmp_path) == []
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_an_existing_file_keeps_its_mode_and_a_discard_leaves_it_as_it_was(
    tmp_path: Path, umask_027: None
) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    target.chmod(0o604)
    pending = PendingFile(target)
    pending.write(b"half")
    pending.discard()
    assert target.read_bytes() == b"old" and _parts(tmp_path) == []
    pending = PendingFile(target)
    pending.write(b"new")
    pending.commit()
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o604


def test_a_symlink_is_written_through_and_a_fifo_straight(tmp_path: Path) -> None:
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_bytes(b"old")
    link.symlink_to(real)
    pending = PendingFile(link)
    pending.write(b"new")
    pending.commit()
    assert link.is_symlink() and real.read_bytes() == b"new"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        pending = PendingFile(fifo)
        pending.write(b"through")
        pending.commit()
        assert os.read(reader, 100) == b"through" and stat.S_ISFIFO(fifo.stat().st_mode)
    finally:
        os.close(reader)
    assert _parts(tmp_path) == []


def test_a_missing_folder_fails_at_once_naming_the_callers_file(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "out.csv"
    with pytest.raises(FileNotFoundError) as caught:
        PendingFile(target)
    assert caught.value.filename == str(target)


# -- printed output -----------------------------------------------------------------------------
def test_text_split_inside_a_character_or_a_crlf_is_shown_whole(tmp_path: Path, capsys) -> None:
    from deskui.cli_output import safe_output

    text = "工单,状态\r\n张三,open\r\n".encode()
    receiver = Receiver({})
    with safe_output():  # as the client shows it: a CRLF's CR dropped, other controls escaped
        receiver.take("text:stdout", text[:2])  # inside 工
        receiver.take("text:stdout", text[2:14])  # ends with the CR of the CRLF
        assert text[13:14] == b"\r"
        receiver.take("text:stdout", text[14:])
        receiver.take("bytes:stderr", b"\x00raw")
        receiver.end_of_output()
    captured = capsys.readouterr()
    assert captured.out == "工单,状态\n张三,open\n" and captured.err == "\x00raw"


def test_text_that_is_not_utf8_is_refused() -> None:
    receiver = Receiver({})
    with pytest.raises(wire.WireError):
        receiver.take("text:stdout", b"\xff\xfe")
    receiver.take("text:stderr", "工".encode()[:2])
    with pytest.raises(wire.WireError):
        receiver.end_of_output()  # ends inside a character


# -- the capture's spool ------------------------------------------------------------------------
def test_output_past_the_spill_size_goes_to_disk_and_comes_back_the_same(tmp_path: Path) -> None:
    capture = Capture(spool_dir=tmp_path, spill_at=100, rename={"/tmp/x/out.csv": "mine.csv"})
    capture.write("stderr", "wrote /tmp/x/out.csv\n")
    capture.write("stdout", "工单" * 20)
    assert not capture.spilled
    capture.write("stdout", b"\x00\x01" * 30)
    capture.write("stdout", "tail\n")
    assert capture.spilled and capture.chunks == []
    assert list(capture.items()) == [
        ("stderr", "wrote mine.csv\n"),
        ("stdout", "工单" * 20),
        ("stdout", b"\x00\x01" * 30),
        ("stdout", "tail\n"),
    ]
    pieces = list(capture.unseen(50))
    assert [key for key, _ in pieces] == [
        "text:stderr",
        "text:stdout",  # 120 bytes of UTF-8: 50 + 50 + 20
        "text:stdout",
        "text:stdout",
        "bytes:stdout",
        "bytes:stdout",
        "text:stdout",
    ]
    assert all(len(data) <= 50 for _, data in pieces)
    assert b"".join(d for k, d in pieces if k == "text:stdout") == ("工单" * 20 + "tail\n").encode()
    capture.close()


def test_the_spool_leaves_out_what_the_caller_saw_before_its_last_answer(tmp_path: Path) -> None:
    capture = Capture(spool_dir=tmp_path, spill_at=10)
    capture.write("stdout", "a long plan of changes\nGo ahead? ")
    capture.answers = [(capture.transcript(), "y")]
    assert capture.readline() == "y\n"
    capture.write("stdout", "applied\n")
    assert list(capture.unseen(1000)) == [("text:stdout", b"applied\n")]
    capture.close()


# -- uploads and streamed answers on the server -------------------------------------------------
def _upload_size(caller: Caller, payload: dict[str, Any]) -> dict[str, Any]:
    path = uploaded("file:file")
    return {"size": None if path is None else path.stat().st_size, "where": str(path)}


def _echo_stream(caller: Caller, payload: dict[str, Any]) -> Streamed:
    closed: list[bool] = []
    data = bytes(range(256)) * payload["kib"] * 4
    return Streamed(
        {"n": len(data)},
        lambda size: (("file:out", data[i : i + size]) for i in range(0, len(data), size)),
        lambda: closed.append(True),
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path / "s.sock", limit=16 * 1024, max_upload=100_000)
    srv.register("size", _upload_size)
    srv.register("stream", _echo_stream)
    srv.start()
    yield srv
    srv.shutdown()


def _raw(server: Server) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.connect(str(server.path))
    return sock


def _pieces(data: bytes, size: int = 8000) -> Iterator[tuple[str, bytes]]:
    for i in range(0, len(data), size):
        yield "file:file", data[i : i + size]


def test_an_upload_bigger_than_a_frame_reaches_the_handler_and_is_gone_after(
    server: Server,
) -> None:
    with connect(server.path, timeout=5) as conn:
        answer = conn.call("size", {}, upload=_pieces(b"x" * 90_000))
        assert answer["size"] == 90_000
        assert not Path(answer["where"]).exists()  # removed once answered
        assert conn.call("size", {})["size"] is None  # the next request had none


def test_a_streamed_answer_comes_in_numbered_chunks_within_the_limit(server: Server) -> None:
    got: list[tuple[str, bytes]] = []
    with connect(server.path, timeout=5) as conn:
        answer = conn.call("stream", {"kib": 100}, on_chunk=lambda k, d: got.append((k, d)))
        assert answer == {"n": 100 * 1024}
        assert b"".join(d for _, d in got) == bytes(range(256)) * 400
        assert len(got) > 1 and all(len(d) <= wire.chunk_size(16 * 1024) for _, d in got)
        with pytest.raises(ServerError) as caught:  # a caller that takes no chunks
            conn.call("stream", {"kib": 1})
        assert caught.value.code == "bad_frame"


@pytest.mark.parametrize(
    "chunks, code",
    [
        ([(1, "file:file", 1)], "bad_frame"),  # seq 1 first
        ([(1, "file:file", 0), (1, "file:file", 0)], "bad_frame"),  # repeated
        ([(1, "text:stdout", 0)], "bad_frame"),  # a client sends files only
        ([(1, "file:file", 0), (2, "file:file", 0)], "bad_frame"),  # two requests mixed
        ([(1, "file:file", n) for n in range(13)], "too_large"),  # 13 x 8000 > max_upload
    ],
)
def test_a_bad_upload_is_refused_and_the_server_hangs_up(
    server: Server, chunks: list[tuple[int, str, int]], code: str
) -> None:
    sock = _raw(server)
    answer: wire.Message | None = None
    try:
        for request_id, key, seq in chunks:
            wire.send(sock, wire.Chunk(id=request_id, key=key, seq=seq, data=b"y" * 8000))
        answer = wire.receive(sock)
        assert sock.recv(1) == b""
    except (BrokenPipeError, ConnectionResetError):
        pass  # it hung up while we were still sending
    finally:
        sock.close()
    if answer is not None:
        assert isinstance(answer, wire.Error) and answer.code == code
    with connect(server.path, timeout=5) as conn:  # and goes on serving
        assert conn.call("size", {})["size"] is None


def test_a_client_told_why_mid_upload_shows_the_servers_reason(server: Server) -> None:
    with connect(server.path, timeout=5) as conn, pytest.raises(ServerError) as caught:
        conn.call("size", {}, upload=_pieces(b"z" * 400_000))
    assert caught.value.code == "too_large" and "100,000-byte limit" in str(caught.value)
