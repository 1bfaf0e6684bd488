"""The desk's own keys, for the command palette (ctrl+p) and the `?` screen.

Only bindings that deskui's classes declare count: Textual's own widget keys (a table's cursor
keys, an input's editing keys) are not desk actions. Each binding is asked `check_action`:
what the user's role may never do is left out, what the ticket's state forbids just now is
shown dimmed in `?` and left out of the palette. Descriptions are message ids, shown in the
user's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from deskui.i18n import _

NOT_IN_PALETTE = {"command_palette", "help"}


def key_display(node: DOMNode, binding: Binding) -> str:
    try:
        return node.app.get_key_display(binding)
    except Exception:  # pragma: no cover - display only
        return binding.key


def _ours(cls: type) -> bool:
    return cls.__module__.startswith("deskui.")


def _declared(node: DOMNode) -> Iterator[Binding]:
    """The bindings deskui's classes in the node's MRO declare, nearest class first."""
    seen: set[str] = set()
    for cls in type(node).__mro__:
        if not _ours(cls):
            continue
        for entry in cls.__dict__.get("BINDINGS", ()):
            binding = entry if isinstance(entry, Binding) else Binding(*entry)
            if binding.description and binding.action not in seen:
                seen.add(binding.action)
                yield binding


def _group(node: DOMNode) -> str:
    for candidate in (node, *node.ancestors):
        group = getattr(candidate, "HELP_GROUP", "")
        if group:
            return _(group)
    return _("Desk")


@dataclass(frozen=True, slots=True)
class DeskKey:
    action: str
    where: str
    keys: str
    description: str
    enabled: bool  # False: the action exists for the user but the state forbids it now
    run: Any


def desk_keys(screen: Any) -> Iterator[DeskKey]:
    """Every desk key the user may use on `screen` (and the app), in the user's language."""
    for node in [screen.app, screen, *screen.walk_children(with_self=False)]:
        if not _ours(type(node)):
            continue
        for binding in _declared(node):
            name = binding.action.split("(", 1)[0]
            allowed = node.check_action(name, ())
            if allowed is False:
                continue  # the role may never do it: not offered, not listed
            keys = " ".join(
                dict.fromkeys(
                    key_display(node, b) for b in _declared(node) if b.action == binding.action
                )
            )
            yield DeskKey(
                name,
                _group(node),
                keys,
                _(binding.description),
                allowed is True,
                partial(node.run_action, binding.action),
            )


class DeskCommands(Provider):
    """The palette: the desk keys allowed now, plus the views and sorts."""

    def _commands(self) -> list[tuple[str, str, Any]]:
        commands = [
            (key.description, f"{key.keys} · {key.where}", key.run)
            for key in desk_keys(self.screen)
            if key.enabled and key.action not in NOT_IN_PALETTE
        ]
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
