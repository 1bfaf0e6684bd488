"""The socket server: one thread per connection, requests answered in order on each, handlers
looked up by request kind. What a caller may do is the handlers' business (the services); this
module only says who the caller is, from the kernel, and keeps serving whatever a client sends.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import socketserver
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deskui.i18n import Language
from deskui.remote import wire
from deskui.remote.chunks import Numbering
from deskui.remote.hub import Hub
from deskui.remote.peer import PeerCredentials, peer_credentials
from deskui.remote.uploads import MAX_UPLOAD, UploadRefused, Uploads

log = logging.getLogger("deskui.server")


@dataclass(frozen=True, slots=True)
class Caller:
    """The connected user: uid and name from SO_PEERCRED, language from the request."""

    uid: int
    username: str
    is_admin: bool
    language: Language


@dataclass
class Streamed:
    """A handler's answer with bulk data: `pieces(size)` yields (chunk key, bytes of at most
    `size`), sent as Chunk frames before `payload`; `close` frees what they came from, once
    they are sent or the caller is gone."""

    payload: dict[str, Any]
    pieces: Callable[[int], Iterable[tuple[str, bytes]]]
    close: Callable[[], None]


Handler = Callable[[Caller, dict[str, Any]], "dict[str, Any] | Streamed"]


class HandlerError(Exception):
    """A handler's refusal or failure, shown to the caller as `message` (no traceback)."""

    def __init__(self, message_id: str, code: str = "failed", /, **params: object) -> None:
        """`message_id` is a catalogue id filled by `params` (as a ServiceError's), shown to
        the caller in their language."""
        self.message_id = message_id
        self.params = params
        super().__init__(message_id.format(**params) if params else message_id)
        self.code = code


class ServerRunning(Exception):
    """Another server already answers on the socket path."""


class _UnixServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256  # many desks reconnect at once after a restart
    owner: Server


class _Connection(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.server.owner._serve_connection(self.request)  # type: ignore[attr-defined]


class Server:
    """`register` handlers, then `serve_forever` (or `start` a thread for tests)."""

    def __init__(
        self,
        path: Path,
        *,
        admin_uids: frozenset[int] | None = None,
        limit: int = wire.MAX_FRAME,
        max_upload: int = MAX_UPLOAD,
    ) -> None:
        self.path = Path(path)
        self.limit = limit  # of one frame, either way; bulk data goes in chunks within it
        self.max_upload = max_upload
        self.admin_uids = admin_uids if admin_uids is not None else frozenset({0, os.getuid()})
        self.hub = Hub()
        self._handlers: dict[str, Handler] = {}
        self._after: list[Callable[[], None]] = []
        self._server: _UnixServer | None = None
        self._thread: threading.Thread | None = None
        self._serving = threading.Event()
        self._live: set[socket.socket] = set()  # open connections, closed when the server stops
        self._live_lock = threading.Lock()

    def register(self, kind: str, handler: Handler) -> None:
        """Answer requests of `kind` with `handler(caller, payload) -> payload`."""
        if kind == "subscribe":
            raise ValueError("'subscribe' is the server's own kind")
        self._handlers[kind] = handler

    def after_request(self, hook: Callable[[], None]) -> None:
        """Run `hook` after every answered request (the change feed looks for writes)."""
        self._after.append(hook)

    # -- life cycle ---------------------------------------------------------------------------
    def bind(self) -> None:
        _clear_stale(self.path)
        server = _UnixServer(str(self.path), _Connection, bind_and_activate=True)
        server.owner = self
        self._server = server

    def serve_forever(self) -> None:
        if self._server is None:
            self.bind()
        assert self._server is not None
        self._serving.set()
        try:
            self._server.serve_forever(poll_interval=0.5)
        finally:
            self._serving.clear()

    def start(self) -> None:
        """Serve in a background thread (tests, bench)."""
        if self._server is None:
            self.bind()
        self._thread = threading.Thread(
            target=self.serve_forever, name="deskui-server", daemon=True
        )
        self._thread.start()

    def shutdown(self) -> None:
        if self._server is not None:
            if self._serving.is_set():
                self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.hub.close_all()
        with self._live_lock:
            live = list(self._live)
        for sock in live:  # as a process that exits would: every client learns it is gone
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    # -- one connection -----------------------------------------------------------------------
    def caller(self, creds: PeerCredentials, language: Language) -> Caller:
        return Caller(creds.uid, creds.username, creds.uid in self.admin_uids, language)

    def _serve_connection(self, sock: socket.socket) -> None:
        with self._live_lock:
            self._live.add(sock)
        uploads = Uploads(self.max_upload)
        try:
            self._serve_frames(sock, uploads)
        finally:
            uploads.clear()
            with self._live_lock:
                self._live.discard(sock)

    def _serve_frames(self, sock: socket.socket, uploads: Uploads) -> None:
        try:
            creds = peer_credentials(sock)
        except OSError:
            return
        while True:
            try:
                message = wire.receive(sock, self.limit)
            except wire.Closed:
                return
            except wire.FrameTooLarge as exc:
                _try_send(sock, wire.Error(code="too_large", message=str(exc)))
                return  # the rest of that frame is still on the wire: no way to resync
            except wire.WireError as exc:
                if not _try_send(sock, wire.Error(code="bad_frame", message=str(exc))):
                    return
                continue
            except OSError:
                return
            if isinstance(message, wire.Chunk):
                try:
                    uploads.add(message)
                except UploadRefused as exc:
                    _try_send(sock, wire.Error(id=message.id, code=exc.code, message=str(exc)))
                    return  # the client is still sending the rest: no way to resync
                except OSError as exc:
                    log.error("cannot keep an upload from %s: %s", creds.username, exc)
                    _try_send(sock, wire.Error(id=message.id, code="internal", message=str(exc)))
                    return
                continue
            if not isinstance(message, wire.Request):
                if not _try_send(sock, wire.Error(code="bad_frame", message="expected a request")):
                    return
                continue
            caller = self.caller(creds, message.lang)
            if message.kind == "subscribe":
                self.hub.serve(sock, caller.username, message.id)
                return
            with uploads.serving(message.id):
                reply = self.dispatch(caller, message)
            if isinstance(reply, Streamed):
                sent = self._stream(sock, caller, message, reply)
            else:
                sent = _try_send(sock, reply, self.limit)
            for hook in self._after:
                _run_hook(hook)
            if not sent:
                return

    def _stream(
        self, sock: socket.socket, caller: Caller, request: wire.Request, reply: Streamed
    ) -> bool:
        """Send the reply's chunks, then its payload; False when the caller is gone."""
        numbering = Numbering()
        try:
            pieces = iter(reply.pieces(wire.chunk_size(self.limit)))
            while True:
                try:
                    piece = next(pieces, None)
                except Exception:  # the file it reads went away, the disk failed, …
                    log.exception("request %s from %s failed", request.kind, caller.username)
                    return _try_send(sock, _internal(caller, request))
                if piece is None:
                    break
                key, data = piece
                chunk = wire.Chunk(id=request.id, key=key, seq=numbering(key), data=data)
                if not _try_send(sock, chunk, self.limit):
                    return False
            return _try_send(sock, wire.Response(id=request.id, payload=reply.payload), self.limit)
        finally:
            reply.close()

    def dispatch(
        self, caller: Caller, request: wire.Request
    ) -> wire.Response | wire.Error | Streamed:
        """One request's answer; a handler's failure becomes an Error, never a dead thread."""
        from deskui.i18n import _, describe, speaking
        from deskui.services.accounts import PeerIdentity, acting_for

        handler = self._handlers.get(request.kind)
        if handler is None:
            known = ", ".join(sorted([*self._handlers, "subscribe"]))
            with speaking(caller.language):
                message = _("this server does not answer {kind!r} requests (it answers: {known})")
            return wire.Error(
                id=request.id,
                code="unknown_kind",
                message=message.format(kind=request.kind, known=known),
            )
        from deskui.services.errors import PermissionDenied, ServiceError

        try:
            peer = PeerIdentity(caller.username, caller.is_admin)
            with speaking(caller.language), acting_for(peer):
                payload = handler(caller, request.payload)
        except (HandlerError, ServiceError) as exc:  # in the caller's language
            code = exc.code if isinstance(exc, HandlerError) else "failed"
            if isinstance(exc, PermissionDenied):
                code = "refused"
            with speaking(caller.language):
                return wire.Error(id=request.id, code=code, message=describe(exc))
        except Exception:
            log.exception("request %s from %s failed", request.kind, caller.username)
            return _internal(caller, request)
        if isinstance(payload, Streamed):
            return payload
        return wire.Response(id=request.id, payload=payload)


def _internal(caller: Caller, request: wire.Request) -> wire.Error:
    from deskui.i18n import _, speaking

    with speaking(caller.language):
        message = _(
            "the server could not answer this request (a fault in the server; its log has the "
            "details)"
        )
    return wire.Error(id=request.id, code="internal", message=message)


def _try_send(sock: socket.socket, message: Any, limit: int = wire.MAX_FRAME) -> bool:
    try:
        wire.send(sock, message, limit)
    except wire.FrameTooLarge as exc:
        error = wire.Error(id=getattr(message, "id", None), code="too_large", message=str(exc))
        return _try_send(sock, error)
    except OSError:
        return False
    return True


def _run_hook(hook: Callable[[], None]) -> None:
    try:
        hook()
    except Exception:
        log.exception("after-request hook failed")


def _clear_stale(path: Path) -> None:
    """Remove a socket file a crashed server left; refuse when a server still answers there."""
    if not path.exists() and not path.is_symlink():
        return
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
    except OSError:
        path.unlink()
        return
    finally:
        probe.close()
    raise ServerRunning(f"a deskui server already answers on {path}")
