"""Waiting for a desk's workers in tests, where a superseded worker is not a failure."""

from __future__ import annotations

from typing import Any

from textual.worker import WorkerCancelled


async def workers_done(app: Any) -> None:
    """Wait for every worker the app is running; re-raise real failures only.

    Textual's `wait_for_complete` raises `WorkerCancelled` when an exclusive group
    cancels an older worker (a second key pressed before the first load ended), which
    is the desk working as designed, not an error.
    """
    results = [await _outcome(worker) for worker in list(app.workers)]
    for result in results:
        if isinstance(result, BaseException):
            raise result


async def _outcome(worker: Any) -> BaseException | None:
    try:
        await worker.wait()
    except WorkerCancelled:
        return None
    except Exception as error:
        return error
    return None


async def screen_settled(pilot: Any, *, rounds: int = 100) -> None:
    """Wait until the screen has nothing pending: no worker running and no table still to
    measure the rows it was given (a DataTable fits its columns on its next idle, so a
    picture taken in between shows them header-wide). On a busy machine a panel's late
    resize can re-fill its table after the other waits are over."""
    from textual.widgets import DataTable

    app = pilot.app
    for _ in range(rounds):
        await workers_done(app)
        await pilot.pause()
        tables = list(app.screen.query(DataTable))
        pending = any(t._require_update_dimensions or t._new_rows for t in tables)
        if not pending and not any(w.is_running for w in app.workers):
            return
        await pilot.pause(0.02)


async def until(pilot: Any, condition: Any, *, seconds: float = 10.0) -> bool:
    """Whether `condition()` came true within `seconds`, checked between frames: for what
    arrives from another process (a server's answer or push), not for a fixed sleep."""
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.05)
    return True
