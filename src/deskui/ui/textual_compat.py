"""Every private Textual API the desk relies on, in one place.

Each was chosen for speed or for a behaviour Textual has no public hook for; each is checked by
tests/ui/test_textual_compat.py, which fails loudly when an upgrade of Textual changes one, so
it is mended here and nowhere else.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.dom import DOMNode
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

from deskui.i18n import _


def localize_bindings(node: DOMNode) -> None:
    """Translate the node's binding descriptions in its own copy of the bindings.

    BINDINGS hold English message ids (class attributes are built before the language is
    chosen); DOMNode.__init__ gives each instance a copy (`_bindings`), which this replaces, so
    the footer shows the active language. Call it at the end of `__init__`.
    """
    bindings = node._bindings
    for key, items in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [
            replace(
                b, description=_(b.description), tooltip=_(b.tooltip) if b.tooltip else b.tooltip
            )
            for b in items
        ]


def message_sender(message: Message) -> Any:
    """The node that posted `message` (Textual keeps it, but only privately)."""
    return message._sender


def update_scrollbars(widget: Widget, virtual_size: Size) -> None:
    """Refresh the scrollbars for a new virtual size without a full-screen layout."""
    widget._scroll_update(virtual_size)


class SizedByLayout:
    """Mixin (listed before the widget class) for a widget whose resize needs no second layout.

    After a layout resizes a widget, Textual sets its virtual size as a reactive that asks
    for another full-screen layout, which here would re-measure every panel for nothing.
    Scrollbars still follow: they are updated from the new size either way.
    """

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        parent: Any = super()
        return bool(parent._size_updated(size, virtual_size, container_size, layout=False))


def frames_shown(widget: Widget) -> bool:
    """Whether what the widget renders now reaches the terminal: Textual renders, but does
    not display, while an update batch is open (as it is all through the app's start-up)."""
    return not widget.app._batch_count
