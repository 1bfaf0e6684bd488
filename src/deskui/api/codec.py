"""Calls of `DeskCalls` as JSON-ready dicts, driven by the protocol's own annotations.

A request is `{"call": name, "params": {parameter: value}}`; a reply is `{"result": value}`
or `{"error": {...}}`. Values go through pydantic `TypeAdapter`s built from the protocol's
type hints (`mode="json"`: dataclasses, enums, datetimes, decimals and tuples included), so
what crosses is exactly what the annotations say, and a new call needs no codec code.

- `dispatch(api, request)` (the server side) runs one call on `api`. Only `DeskCalls`'
  methods can be called; an unknown call or parameters that do not fit come back as a
  `BadRequest` error, never as a traceback.
- `RemoteDeskApi(send)` (the desk side) is a `DeskApi` whose every call is `send(request)`;
  errors come back as the same `ServiceError` subclasses, and a lost connection (`send`
  raising `OSError`/`ConnectionError`) as `ServerUnavailable`.

This module imports no services, store or SQLAlchemy (`lint-imports` checks it).
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any, get_type_hints

from pydantic import TypeAdapter, ValidationError

from deskui.api import protocol
from deskui.api.protocol import LOCAL_PARAMS, DeskCalls, call_names
from deskui.api.types import ChangeBatch, Notice, PolicyInputs
from deskui.clock import utc_now
from deskui.domain import errors
from deskui.domain.calendar import FROM_SERVER, years_around
from deskui.domain.search_tokens import SearchRefused
from deskui.domain.sla import SlaPolicy

log = logging.getLogger(__name__)
Send = Callable[[dict[str, Any]], dict[str, Any]]
CALLS = frozenset(call_names())
POLICY_CHECK_SECONDS = 10.0  # how often a remote desk asks whether the site policy moved
_CONFLICT_FIELDS = ("ticket_id", "expected", "current")


@dataclass(frozen=True)
class Signature:
    """One call's parameters (name -> adapter, default) and result adapter."""

    params: dict[str, tuple[TypeAdapter[Any], Any]]
    result: TypeAdapter[Any]


@cache
def _type_only_homes() -> dict[str, str]:
    """Name -> module of the protocol's `if TYPE_CHECKING:` imports, read from its source so
    that the list lives in one place."""
    homes: dict[str, str] = {}
    for node in ast.parse(inspect.getsource(protocol)).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for found in node.body:
                if isinstance(found, ast.ImportFrom) and found.module:
                    homes.update({a.asname or a.name: found.module for a in found.names})
    return homes


class _ProtocolNames(dict[str, Any]):
    """The names the protocol's annotations use: its type-only imports are imported when a
    call's signature first needs one (other names fall through to the module's own)."""

    def __missing__(self, name: str) -> Any:
        home = _type_only_homes().get(name)
        if home is None:
            raise KeyError(name)
        value = self[name] = getattr(importlib.import_module(home), name)
        return value


_NAMES = _ProtocolNames()


@cache
def signature(name: str) -> Signature:
    """The call's adapters, built once from `DeskCalls`' annotations."""
    if name not in CALLS:
        raise KeyError(name)
    method = getattr(DeskCalls, name)
    hints = get_type_hints(method, vars(protocol), _NAMES)
    params: dict[str, tuple[TypeAdapter[Any], Any]] = {}
    for param in list(inspect.signature(method).parameters.values())[1:]:
        if param.name in LOCAL_PARAMS:
            continue
        params[param.name] = (TypeAdapter(hints[param.name]), param.default)
    return Signature(params, TypeAdapter(hints["return"]))


# -- requests ----------------------------------------------------------------------------------
def encode_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request for `name(*args, **kwargs)` (local-only parameters dropped)."""
    sig = signature(name)
    method = getattr(DeskCalls, name)
    bound = inspect.signature(method).bind(None, *args, **kwargs)
    params = {
        key: sig.params[key][0].dump_python(value, mode="json")
        for key, value in bound.arguments.items()
        if key in sig.params
    }
    return {"call": name, "params": params}


def decode_params(name: str, raw: Any) -> dict[str, Any]:
    """The call's arguments from a request's params; `BadRequest` when they do not fit."""
    if not isinstance(raw, dict):
        raise errors.BadRequest("{call}: params must be an object", call=name)
    sig = signature(name)
    unknown = sorted(set(raw) - set(sig.params))
    if unknown:
        raise errors.BadRequest(
            "{call}: unknown parameter(s) {names}", call=name, names=", ".join(unknown)
        )
    values: dict[str, Any] = {}
    for key, (adapter, default) in sig.params.items():
        if key not in raw:
            if default is inspect.Parameter.empty:
                raise errors.BadRequest("{call}: missing parameter {key}", call=name, key=key)
            continue
        try:
            values[key] = adapter.validate_python(raw[key])
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            detail = f"{key}.{where}" if where else key
            raise errors.BadRequest(
                "{call}: bad {key}: {problem}", call=name, key=detail, problem=first["msg"]
            ) from None
    return values


# -- errors --------------------------------------------------------------------------------------
def encode_error(exc: BaseException) -> dict[str, Any]:
    """Whatever the exception carries that a desk shows or acts on (never a traceback)."""
    params = getattr(exc, "params", None) or getattr(exc, "values", None) or {}
    body: dict[str, Any] = {
        "type": type(exc).__name__,
        "message": str(exc),
        "service": isinstance(exc, errors.ServiceError | SearchRefused),
        "message_id": getattr(exc, "message_id", None),
        "params": _plain(params),
        # which parameters are enum members, so the desk names them in its language
        "enums": {k: type(v).__name__ for k, v in dict(params).items() if isinstance(v, StrEnum)},
    }
    for name in ("detail", *_CONFLICT_FIELDS):
        value = getattr(exc, name, None)
        if isinstance(value, str | int):
            body[name] = value
    if isinstance(exc, errors.Conflict):
        body["changes"] = _events().dump_python(list(exc.changes), mode="json")
    return body


@cache
def _events() -> TypeAdapter[Any]:
    from deskui.domain.rows import EventRow

    return TypeAdapter(list[EventRow])


def _plain(value: Any) -> Any:
    try:
        return TypeAdapter(Any).dump_python(value, mode="json")
    except Exception:  # a parameter JSON cannot carry: its text
        return {key: str(item) for key, item in dict(value).items()}


def _error_classes() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {"SearchRefused": SearchRefused}
    todo: list[type[BaseException]] = [errors.ServiceError]
    while todo:
        cls = todo.pop()
        found.setdefault(cls.__name__, cls)
        todo.extend(cls.__subclasses__())
    return found


class RemoteError(errors.ServiceError):
    """An error of a kind this desk does not know (a newer server, or not a ServiceError)."""

    type_name: str = ""


def decode_error(body: dict[str, Any]) -> BaseException:
    """The exception a reply's error describes, of the same class when this side knows it."""
    message = str(body.get("message", ""))
    cls = _error_classes().get(str(body.get("type", "")))
    if cls is None:
        if body.get("service"):  # a newer server's error: its text, already in words
            exc: BaseException = RemoteError("{message}", message=message)
        else:
            exc = RemoteError("{kind}: {message}", kind=str(body.get("type")), message=message)
        exc.type_name = str(body.get("type", ""))  # type: ignore[attr-defined]
        return exc
    exc = cls.__new__(cls)
    Exception.__init__(exc, message)
    params = _enums(body.get("params") or {}, body.get("enums") or {})
    exc.message_id = body.get("message_id")  # type: ignore[attr-defined]
    exc.params = params  # type: ignore[attr-defined]
    if cls is SearchRefused:
        exc.message, exc.values = message, params  # type: ignore[attr-defined]
    for name in ("detail", *_CONFLICT_FIELDS):
        if name in body:
            setattr(exc, name, body[name])
    if isinstance(exc, errors.Conflict):
        exc.changes = _events().validate_python(body.get("changes") or [])
    return exc


@cache
def _enum_classes() -> dict[str, type[StrEnum]]:
    from deskui.domain import actors, enums, repairs

    return {
        name: value
        for module in (actors, enums, repairs)
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
    }


def _enums(params: Any, kinds: Any) -> Any:
    """`params` with the members named in `kinds` ({param: enum class name}) made enum
    members again (a status is labelled "处理中", not shown as `in_progress`)."""
    if not isinstance(params, dict) or not isinstance(kinds, dict):
        return params
    found = dict(params)
    for key, name in kinds.items():
        cls = _enum_classes().get(str(name))
        if cls is not None and key in found:
            with contextlib.suppress(ValueError):  # a member this desk does not know: as sent
                found[key] = cls(found[key])
    return found


# -- the server side -------------------------------------------------------------------------
def dispatch(api: DeskCalls, request: Any) -> dict[str, Any]:
    """Run one request on `api`: `{"result": …}` or `{"error": …}`, never an exception."""
    try:
        if not isinstance(request, dict):
            raise errors.BadRequest("a request is an object with a call and its params")
        name = request.get("call")
        if not isinstance(name, str) or name not in CALLS:
            raise errors.BadRequest("unknown call {call!r}", call=name)
        args = decode_params(name, request.get("params", {}))
        result = getattr(api, name)(**args)
        return {"result": signature(name).result.dump_python(result, mode="json")}
    except Exception as exc:  # every failure is a reply; the server keeps serving
        if not isinstance(exc, errors.ServiceError | SearchRefused | ValueError):
            log.exception("deskui api call failed")
        return {"error": encode_error(exc)}


# -- the desk side -----------------------------------------------------------------------------
class RemoteDeskApi:
    """`DeskApi` over `send`, which carries one request to a server and returns its reply.

    The server sweeps and pushes: `runs_sweep` is False, `sweep` does nothing, and `on_change`
    registers a callback the transport drives through `pushed`.
    """

    runs_sweep = False

    def __init__(
        self, send: Send, *, can_push: bool = False, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._send = send
        self._can_push = can_push
        self._clock = clock  # which years' public holidays to ask for
        self._listeners: list[Callable[[ChangeBatch | None], None]] = []
        self._notice_listeners: list[Callable[[Notice], None]] = []
        self._lock = threading.Lock()
        self._policy: tuple[tuple[int, int], SlaPolicy] | None = None
        self._policy_lock = threading.Lock()
        self._policy_checked = 0.0

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        request = encode_call(name, args, kwargs)
        try:
            reply = self._send(request)
        except (OSError, ConnectionError, EOFError, TimeoutError) as exc:
            raise errors.ServerUnavailable(str(exc) or type(exc).__name__) from exc
        if not isinstance(reply, dict) or ("result" not in reply and "error" not in reply):
            raise errors.ServerUnavailable("the server sent a reply deskui cannot read")
        if "error" in reply:
            raise decode_error(reply["error"])
        if name in ("set_day", "unset_day"):
            self.forget_policy()  # this desk changed the calendar: see it at once
        return signature(name).result.validate_python(reply["result"], context=FROM_SERVER)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name not in CALLS:
            raise AttributeError(name)

        def remote(*args: Any, **kwargs: Any) -> Any:
            return self.call(name, *args, **kwargs)

        remote.__name__ = name
        return remote

    # -- in-process only ------------------------------------------------------------------------
    def sla_policy(self) -> SlaPolicy | None:
        """The server's policy, rebuilt here when its revision moved (asked at most every
        POLICY_CHECK_SECONDS; while the server is gone, the last one known). One thread asks
        at a time; meanwhile the others get the policy known so far, or wait for the answer
        when there is none yet (the first paint takes what the desk asked for at start-up)."""
        known = self._policy
        if not self._policy_lock.acquire(blocking=known is None):
            assert known is not None
            return known[1]
        try:
            clock = time.monotonic()
            if self._policy is None or clock - self._policy_checked >= POLICY_CHECK_SECONDS:
                self._policy_checked = clock
                try:
                    inputs: PolicyInputs = self.call("policy_inputs")
                except errors.ServiceError:
                    return None if self._policy is None else self._policy[1]
                revisions = (inputs.revision, inputs.site_revision)
                if self._policy is None or self._policy[0] != revisions:
                    policy = SlaPolicy(inputs.sla, inputs.days, config_dates=inputs.config_dates)
                    self._adopt_public_years(policy)
                    self._policy = (revisions, policy)
            return self._policy[1]
        finally:
            self._policy_lock.release()

    def _adopt_public_years(self, policy: SlaPolicy) -> None:
        """The public holidays of the years around now, from the server, so the countdowns
        need not import the holidays package. Older tickets, or an older server, cost that
        import (150 ms) on first use, as embedded."""
        with contextlib.suppress(errors.ServiceError):
            years = list(years_around(self._clock().year))
            policy.business.adopt_public_years(self.call("public_years", years))

    def forget_policy(self) -> None:
        """The calendar changed through this desk: the next `sla_policy` asks again."""
        self._policy_checked = 0.0

    def sweep(self) -> None:
        return None  # the server sweeps for its clients

    def on_change(self, callback: Callable[[ChangeBatch | None], None]) -> bool:
        if not self._can_push:
            return False
        with self._lock:
            self._listeners.append(callback)
        return True

    def on_notice(self, callback: Callable[[Notice], None]) -> bool:
        if not self._can_push:
            return False
        with self._lock:
            self._notice_listeners.append(callback)
        return True

    def noticed(self, data: dict[str, Any]) -> None:
        """A reminder or escalation the server pushed (its "notification" event's data)."""
        notice = Notice(
            ticket_id=int(data.get("ticket") or 0),
            number=str(data.get("number") or ""),
            kind=str(data.get("kind") or "reminder"),
            body=str(data.get("body") or ""),
            at=str(data.get("at") or ""),
        )
        with self._lock:
            listeners = list(self._notice_listeners)
        for listener in listeners:
            listener(notice)

    def pushed(self, message: dict[str, Any] | None) -> None:
        """A change the server pushed (`{"marker": n, "changed": true}`), or None when the
        transport lost its connection: tell the desk."""
        batch = None if message is None else TypeAdapter(ChangeBatch).validate_python(message)
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(batch)
