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
