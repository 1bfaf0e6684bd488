"""The key footer: the focused panel's bindings on one line, drawn as text.

Textual's `Footer` is a row of widgets, one per key, that it tears down and mounts again on
every focus move and every `refresh_bindings()`. On the desk that cost 60-130 ms after a
filter or a search, with the queue waiting behind it. This footer shows the same keys
(first binding per action, disabled ones dimmed, the command palette key on the right) as
one line of text, redrawn only when the keys or the width change. A click on a key still
presses it.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from deskui.i18n import N_, _

# Descriptions of Textual's own bindings that the footer shows through _()
TEXTUAL_DESCRIPTIONS = (N_("palette"),)


class FooterKey(NamedTuple):
    key: str  # the binding's key, pressed when the label is clicked
    display: str  # how the key is shown, e.g. "^p"
    description: str
    enabled: bool


def shown_keys(screen: Screen[Any]) -> tuple[FooterKey, ...]:
    """What the footer shows for `screen`: the first shown binding of each action."""
    app = screen.app
    keys: dict[str, FooterKey] = {}
    for _node, binding, enabled, _tooltip in screen.active_bindings.values():
        if binding.show and binding.action not in keys:
            display = app.get_key_display(binding)
            keys[binding.action] = FooterKey(binding.key, display, binding.description, enabled)
    return tuple(keys.values())


def palette_key(screen: Screen[Any]) -> FooterKey | None:
    app = screen.app
    if not app.ENABLE_COMMAND_PALETTE:
        return None
    found = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
    if found is None:
        return None
    _node, binding, enabled, _tooltip = found
    return FooterKey(binding.key, app.get_key_display(binding), _(binding.description), enabled)


def key_cells(item: FooterKey) -> int:
    """Cells one key takes in the footer: ` ^s Save `."""
    return cell_len(f" {item.display} {item.description} ")


def fitting_keys(keys: tuple[FooterKey, ...], room: int) -> list[FooterKey]:
    """The keys shown whole in `room` cells, in their order. When they do not all fit, the
    least important give way first: the dimmed ones (not possible now), then the last ones
    (the desk-wide keys after the focused panel's own; `?` and the palette list them all)."""
    kept = list(keys)
    while kept and sum(key_cells(k) for k in kept) > room:
        disabled = [i for i, k in enumerate(kept) if not k.enabled]
        del kept[disabled[-1] if disabled else -1]
    return kept


class DeskFooter(Widget, can_focus=False):
    """One line of keys; the palette key is kept visible at the right edge."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer--key",
        "footer--description",
        "footer--palette",
    }
    DEFAULT_CSS = """
    DeskFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    DeskFooter > .footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    DeskFooter > .footer--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    DeskFooter > .footer--palette {
        color: $foreground 20%;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple[FooterKey, ...] = ()
        self._palette: FooterKey | None = None
        self._spans: list[tuple[int, int, FooterKey]] = []
        self._strip: tuple[tuple[Any, ...], Strip] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen is not self.screen:
            return
        keys, palette = shown_keys(screen), palette_key(screen)
        if (keys, palette) != (self._keys, self._palette):
            self._keys, self._palette = keys, palette
            self.refresh()

    @property
    def text(self) -> str:
        """The keys as shown, as plain text (for tests)."""
        return self._line(10_000)[0].plain

    def _line(self, width: int) -> tuple[Text, list[tuple[int, int, FooterKey]]]:
        key_style = self.get_component_rich_style("footer--key")
        description_style = self.get_component_rich_style("footer--description")
        tail = Text(end="")
        if self._palette is not None:
            tail.append("▏", style=self.get_component_rich_style("footer--palette"))
            tail.append(f"{self._palette.display} ", style=key_style)
            tail.append(f"{self._palette.description} ", style=description_style)
        room = max(0, width - tail.cell_len)
        line = Text(end="", no_wrap=True, overflow="crop")
        spans: list[tuple[int, int, FooterKey]] = []
        for item in fitting_keys(self._keys, room):
            start = line.cell_len
            dim = Style() if item.enabled else Style(dim=True)
            line.append(f" {item.display} ", style=key_style + dim)
            line.append(f"{item.description} ", style=description_style + dim)
            spans.append((start, line.cell_len, item))
        line.truncate(room, overflow="crop", pad=True)
        if self._palette is not None:
            spans.append((room, room + tail.cell_len, self._palette))
        line.append_text(tail)
        return line, spans

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strip = None  # a new theme: other colours

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        cache_key = (self._keys, self._palette, width)
        if self._strip is None or self._strip[0] != cache_key:
            line, self._spans = self._line(width)
            segments = list(line.render(self.app.console))
            self._strip = (cache_key, Strip(segments).crop_extend(0, width, None))
        return self._strip[1].apply_style(self.rich_style)

    def on_click(self, event: events.Click) -> None:
        for start, end, item in self._spans:
            if start <= event.x < end:
                if item.enabled:
                    self.app.simulate_key(item.key)
                else:
                    self.app.bell()
                return
