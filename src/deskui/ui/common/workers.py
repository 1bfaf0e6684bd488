"""One policy for background work: a failure becomes a message on screen, never the desk's end.

Every worker of the desk is declared with `desk_work`, so none of them exits the app when it
fails (Textual's default). A failure a worker does not handle itself is shown as a
notification; workers that hold a user's draft catch `ServiceError` themselves
(database faults are ServiceErrors too) and reopen the draft.
"""

from __future__ import annotations

import contextlib
import functools
import time
import weakref
from collections.abc import Callable
from typing import Any

from textual import work

from deskui.i18n import _, describe


def desk_work(*, group: str = "default", exclusive: bool = False) -> Callable[[Any], Any]:
    """`@work` in a thread that never takes the app down with it."""

    def decorate(method: Callable[..., Any]) -> Any:
        @functools.wraps(method)
        def guarded(node: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(node, *args, **kwargs)
            except Exception as exc:
                _report(node, exc)
                return None

        return work(thread=True, group=group, exclusive=exclusive, exit_on_error=False)(guarded)

    return decorate


SHOWN_FOR = 10.0  # seconds a failure toast stays; the same failure is not stacked meanwhile
_shown: weakref.WeakKeyDictionary[Any, tuple[str, float]] = weakref.WeakKeyDictionary()


def _report(node: Any, error: Exception) -> None:
    """Show `error` as a notification; the app, its screens and their drafts stay as they are.

    While the server or database is gone every background refresh fails the same way: one
    toast says so (the header says "Reconnecting…"), not one per refresh over the text."""
    app = node.app
    message, title = failure_message(error), _("Not done")
    with contextlib.suppress(RuntimeError):  # the app is closing: nobody is left to tell
        app.call_from_thread(_notify_once, app, message, title)


def _notify_once(app: Any, message: str, title: str) -> None:
    """Notify unless the same message is still on screen (runs on the app's thread)."""
    now = time.monotonic()
    last = _shown.get(app)
    if last is not None and last[0] == message and now - last[1] < SHOWN_FOR:
        return
    _shown[app] = (message, now)
    app.notify(message, title=title, severity="error", timeout=SHOWN_FOR)


def failure_message(error: BaseException) -> str:
    """What to tell the user about `error`, in their language."""
    from deskui.domain.errors import DatabaseUnavailable, ServerUnavailable, ServiceError

    if isinstance(error, ServerUnavailable):
        return _(
            "The deskui server could not be reached ({detail}). Nothing was saved; try again."
        ).format(detail=error.detail)
    if isinstance(error, DatabaseUnavailable):
        return _("The database could not be used ({detail}). Nothing was saved; try again.").format(
            detail=error.detail
        )
    if isinstance(error, ServiceError):
        return describe(error)
    return _("Something went wrong ({error}). The desk keeps running; try again.").format(
        error=f"{type(error).__name__}: {error}"
    )
