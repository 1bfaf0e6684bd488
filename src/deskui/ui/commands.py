"""The command palette (ctrl+p) offers every desk action; bindings speak the user's language.

`localize_bindings(node)` translates a node's binding descriptions when it is created, so
BINDINGS keep English message ids and the footer, the help screen and the palette show the
active language (call it at the end of `__init__`; the desk's widgets do).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from deskui.i18n import _


def localize_bindings(node: DOMNode) -> None:
    """Replace the node's bindings by copies whose descriptions are translated."""
    bindings = node._bindings  # the per-instance copy made by DOMNode.__init__
    for key, items in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [
            replace(
                b, description=_(b.description), tooltip=_(b.tooltip) if b.tooltip else b.tooltip
            )
            for b in items
        ]


def key_display(node: DOMNode, binding: Binding) -> str:
    try:
        return node.app.get_key_display(binding)
    except Exception:  # pragma: no cover - display only
        return binding.key


def screen_actions(screen: Any) -> Iterator[tuple[str, str, Any]]:
    """(title, help, callback) for every described binding on the screen and the app."""
    seen: set[tuple[int, str]] = set()
    nodes: list[DOMNode] = [screen, *screen.walk_children(with_self=False), screen.app]
    for node in nodes:
        for items in node._bindings.key_to_bindings.values():
            for binding in items:
                if not binding.description or (id(node), binding.action) in seen:
                    continue
                if binding.action in ("command_palette", "quit"):
                    continue
                seen.add((id(node), binding.action))
                help_text = f"{key_display(node, binding)}"
                yield binding.description, help_text, partial(node.run_action, binding.action)


class DeskCommands(Provider):
    """Every described binding on the desk (queue, panels, app), plus the views and sorts."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        commands = list(screen_actions(self.screen))
        desk = getattr(self.screen, "desk_commands", None)
        if callable(desk):
            commands.extend(desk())
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
