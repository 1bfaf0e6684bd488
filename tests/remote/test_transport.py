"""The socket server keeps serving whatever a client sends: garbage, oversize frames, half
frames, a client that vanishes mid-call, many clients at once."""

from __future__ import annotations

import os
import pwd
import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deskui.remote import wire
from deskui.remote.client import ServerError, ServerUnavailable, connect, events
from deskui.remote.server import Caller, HandlerError, Server, ServerRunning
from deskui.services.errors import DatabaseUnavailable, PermissionDenied


def _whoami(caller: Caller, payload: dict[str, Any]) -> dict[str, Any]:
    from deskui.services.accounts import is_superuser, os_username

    return {
        "uid": caller.uid,
        "username": caller.username,
        "admin": caller.is_admin,
        "services_see": [os_username(), is_superuser()],
        "lang": caller.language,
        "echo": payload,
    }


def _slow(caller: Caller, payload: dict[str, Any]) -> dict[str, Any]:
    time.sleep(payload.get("seconds", 0.3))
    return {"slept": True}


def _fails(caller: Caller, payload: dict[str, Any]) -> dict[str, Any]:
    kind = payload["how"]
    if kind == "db":
        raise DatabaseUnavailable("disk I/O error")
    if kind == "denied":
        raise PermissionDenied("export --unmasked is for supervisors and admins")
    if kind == "handler":
        raise HandlerError("no such ticket")
    raise RuntimeError("a bug")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path / "s.sock", limit=64 * 1024)
    srv.register("whoami", _whoami)
    srv.register("slow", _slow)
    srv.register("fails", _fails)
    srv.start()
    yield srv
    srv.shutdown()


def _raw(server: Server) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.connect(str(server.path))
    return sock


def _still_serving(server: Server) -> None:
    with connect(server.path, timeout=5) as conn:
        assert conn.call("whoami", {"n": 1})["echo"] == {"n": 1}


def test_the_caller_is_whoever_the_kernel_says_not_what_the_environment_says(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGNAME", "someone-else")
    monkeypatch.setenv("USER", "someone-else")
    with connect(server.path, language="zh_CN") as conn:
        answer = conn.call("whoami", {"username": "someone-else", "uid": 0})
    me = pwd.getpwuid(os.getuid()).pw_name
    assert answer["uid"] == os.getuid() and answer["username"] == me
    assert answer["services_see"] == [me, True]  # the server's own user counts as an admin
    assert answer["admin"] is True and answer["lang"] == "zh_CN"


def test_only_root_and_the_servers_own_user_are_admins(tmp_path: Path) -> None:
    srv = Server(tmp_path / "a.sock", admin_uids=frozenset({os.getuid() + 1}))
    srv.register("whoami", _whoami)
    srv.start()
    try:
        with connect(srv.path) as conn:
            answer = conn.call("whoami", {})
    finally:
        srv.shutdown()
    assert answer["admin"] is False and answer["services_see"][1] is False


def test_garbage_frames_get_an_error_and_the_connection_goes_on(server: Server) -> None:
    sock = _raw(server)
    for body in (b"\xff\xfe not utf-8", b"{not json", b'{"type": "request"}', b"[1, 2]", b""):
        sock.sendall(struct.pack(">I", len(body)) + body)
        answer = wire.receive(sock)
        assert isinstance(answer, wire.Error) and answer.code == "bad_frame", body
    response = wire.Response(id=1)
    wire.send(sock, response)  # a response is not a request
    assert wire.receive(sock).code == "bad_frame"  # type: ignore[union-attr]
    wire.send(sock, wire.Request(id=9, kind="whoami", payload={"x": 1}))
    answer = wire.receive(sock)
    assert (
        isinstance(answer, wire.Response) and answer.id == 9 and answer.payload["echo"] == {"x": 1}
    )
    sock.close()
    _still_serving(server)


def test_an_oversize_frame_is_refused_before_it_is_read(server: Server) -> None:
    sock = _raw(server)
    sock.sendall(struct.pack(">I", 2**31))  # announces 2 GiB, sends none of it
    answer = wire.receive(sock)
    assert isinstance(answer, wire.Error) and answer.code == "too_large"
    assert sock.recv(1) == b""  # and the server hung up on that connection
    sock.close()
    with connect(server.path) as conn, pytest.raises(ServerError) as caught:
        conn.call("whoami", {"blob": "x" * 100_000})
    assert caught.value.code in ("too_large", "unavailable")
    _still_serving(server)


def test_an_answer_too_large_to_send_is_an_error_not_a_hang(server: Server) -> None:
    with connect(server.path) as conn, pytest.raises(ServerError) as caught:
        conn.call("whoami", {"blob": "x" * 40_000, "more": "y" * 30_000})
    assert caught.value.code == "too_large"


def test_half_frames_and_half_closed_connections_do_not_stop_the_server(server: Server) -> None:
    half_header = _raw(server)
    half_header.sendall(b"\x00\x00")
    half_body = _raw(server)
    half_body.sendall(struct.pack(">I", 100) + b'{"type": "req')
    half_closed = _raw(server)
    half_closed.sendall(struct.pack(">I", 100) + b"{")
    half_closed.shutdown(socket.SHUT_WR)
    assert half_closed.recv(1) == b""  # the server gave up on it and closed
    _still_serving(server)  # while two connections still hang mid-frame
    for sock in (half_header, half_body, half_closed):
        sock.close()
    _still_serving(server)


def test_a_client_that_disconnects_mid_call_leaves_the_server_serving(server: Server) -> None:
    sock = _raw(server)
    wire.send(sock, wire.Request(id=1, kind="slow", payload={"seconds": 0.3}))
    sock.close()
    _still_serving(server)
    time.sleep(0.4)  # the slow handler finishes and finds nobody to answer
    _still_serving(server)


def test_many_concurrent_clients_each_get_their_own_answers(server: Server) -> None:
    results: dict[int, list[Any]] = {}
    errors: list[BaseException] = []

    def client(n: int) -> None:
        try:
            with connect(server.path, timeout=20) as conn:
                results[n] = [conn.call("whoami", {"n": n, "i": i})["echo"] for i in range(20)]
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == {n: [{"n": n, "i": i} for i in range(20)] for n in range(40)}


def test_handler_faults_reach_the_client_as_one_message(server: Server) -> None:
    with connect(server.path) as conn:
        for how, code, text in [
            ("db", "failed", "the database could not be used: disk I/O error; nothing was saved"),
            ("denied", "refused", "export --unmasked is for supervisors and admins"),
            ("handler", "failed", "no such ticket"),
        ]:
            with pytest.raises(ServerError) as caught:
                conn.call("fails", {"how": how})
            assert (caught.value.code, str(caught.value)) == (code, text)
        with pytest.raises(ServerError) as caught:
            conn.call("fails", {"how": "bug"})
        assert caught.value.code == "internal" and "Traceback" not in str(caught.value)
        with pytest.raises(ServerError) as caught:
            conn.call("nope", {})
        assert caught.value.code == "unknown_kind" and "whoami" in str(caught.value)
        assert conn.call("whoami", {})["echo"] == {}  # the same connection still works


def test_subscribers_get_events_and_only_their_own_notifications(server: Server) -> None:
    me = pwd.getpwuid(os.getuid()).pw_name
    stream = events(server.path)
    got: list[wire.Event] = []

    def reader() -> None:
        for event in stream:
            got.append(event)
            if len(got) == 2:
                return

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while server.hub.count() == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.hub.publish("notification", {"ticket": 1}, to_user="somebody-else")
    server.hub.publish("changed", {"tickets": [1, 2]})
    server.hub.publish("notification", {"ticket": 3}, to_user=me)
    thread.join(5)
    assert [(e.topic, e.data) for e in got] == [
        ("changed", {"tickets": [1, 2]}),
        ("notification", {"ticket": 3}),
    ]


def test_a_subscriber_that_leaves_is_forgotten(server: Server) -> None:
    sock = _raw(server)
    wire.send(sock, wire.Request(id=1, kind="subscribe"))
    assert isinstance(wire.receive(sock), wire.Response)
    assert server.hub.count() == 1
    sock.close()
    deadline = time.monotonic() + 5
    while server.hub.count() and time.monotonic() < deadline:
        server.hub.publish("changed", {"tickets": []})
        time.sleep(0.05)
    assert server.hub.count() == 0


def test_no_server_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ServerUnavailable) as caught:
        connect(tmp_path / "none.sock")
    assert str(caught.value).startswith(f"no deskui server answers at {tmp_path / 'none.sock'}")


def test_a_second_server_on_a_live_socket_is_refused_and_a_stale_one_is_replaced(
    server: Server, tmp_path: Path
) -> None:
    with pytest.raises(ServerRunning):
        Server(server.path).bind()
    stale = tmp_path / "stale.sock"
    left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    left.bind(str(stale))
    left.close()  # a socket file nobody listens on, as a crashed server leaves it
    srv = Server(stale)
    srv.register("whoami", _whoami)
    srv.start()
    try:
        with connect(stale) as conn:
            assert conn.call("whoami", {})["echo"] == {}
    finally:
        srv.shutdown()
