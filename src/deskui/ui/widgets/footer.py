"""Textual's footer, rebuilt only when what it shows changes.

Textual's `Footer` recomposes, one widget per key, whenever a screen says its bindings were
updated: on every focus move and every `refresh_bindings()`, mostly with the same keys as
before. On the desk that rebuild cost 100-200 ms after a filter or a search; this one skips
it when the keys, their labels and their enabled state are what is already shown.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen[Any]) -> tuple[tuple[str, str, bool, str], ...]:
    """What a footer would show for `screen`: (key, description, enabled, tooltip)."""
    return tuple(
        (binding.key, binding.description, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )


class DeskFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[tuple[str, str, bool, str], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        keys = shown_keys(screen)
        if keys == self._shown:
            return
        # Remember only what the footer will really rebuild for (Footer skips unfocused apps).
        rebuilds = screen.app.app_focus and self.is_attached and screen is self.screen
        self._shown = keys if rebuilds else None
        super().bindings_changed(screen)
