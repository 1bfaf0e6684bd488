"""Every key answers: a key bound to something not allowed right now says why.

Textual skips a binding whose `check_action` is falsy and the key then does nothing, which
reads as a broken keyboard. The desk looks the key up along the focus chain first; when every
binding for it is refused, the node that owns the first one explains (`why_not(action)`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual import events
from textual.binding import Binding
from textual.dom import DOMNode

from deskui.i18n import _


def _bindings_for(node: DOMNode, key: str) -> Iterator[Binding]:
    for entry in getattr(type(node), "BINDINGS", ()):
        binding = entry if isinstance(entry, Binding) else Binding(*entry)
        if key in (k.strip() for k in binding.key.split(",")):
            yield binding


def refusal_for(screen: Any, key: str) -> str | None:
    """Why `key` does nothing on `screen` now, or None when it does something (or nothing
    is bound to it)."""
    focused = screen.focused
    chain = list(focused.ancestors_with_self) if focused is not None else [screen, screen.app]
    refused: tuple[DOMNode, Binding] | None = None
    for node in chain:
        for binding in _bindings_for(node, key):
            action = binding.action.split("(", 1)[0]
            if node.check_action(action, ()):
                return None  # something runs
            refused = refused or (node, binding)
    if refused is None:
        return None
    node, binding = refused
    explain = getattr(node, "why_not", None)
    action = binding.action.split("(", 1)[0]
    reason = explain(action) if callable(explain) else None
    return reason or _("{action}: not available right now.").format(action=_(binding.description))


class RefusedKeys:
    """App mixin: a refused key shows its reason as a notification."""

    def on_key(self, event: events.Key) -> None:
        app: Any = self
        reason = refusal_for(app.screen, event.key)
        if reason is not None:
            app.notify(reason, severity="warning", timeout=4)
