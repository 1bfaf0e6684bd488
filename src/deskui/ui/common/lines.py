"""`Lines`: a Static for panel text that changes often (ticket fields, timelines, KPI tables).

Textual's Static renders its content twice per change (once to measure its height, once to
draw it), renders again after every restyle, and asks for a full-screen relayout on every
update. `Lines` renders once per content and width into strips that measuring, drawing and
restyling all reuse, and relayouts only when the number of lines changed. With it, showing
another ticket costs one render of the ticket instead of a cascade of them.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from deskui.ui.textual_compat import SizedByLayout


class Lines(SizedByLayout, Widget):
    """Content shown literally (a `str` is never read as markup), cached as strips."""

    DEFAULT_CSS = """
    Lines { height: auto; width: 1fr; }
    """

    def __init__(
        self, content: RenderableType = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._content = self._literal(content)
        self._strips: tuple[int, list[Strip]] | None = None

    @staticmethod
    def _literal(content: RenderableType) -> RenderableType:
        return Text(content, end="") if isinstance(content, str) else content

    @property
    def content(self) -> RenderableType:
        return self._content

    def update(self, content: RenderableType = "") -> None:
        """Show new content; the layout is redone only if the height changed."""
        before = self._strips
        self._content = self._literal(content)
        self._strips = None
        if before is not None and self.is_attached:
            width, lines = before
            if len(self._render_width(width)) == len(lines):
                self.refresh()
                return
        self.refresh(layout=True)

    def _render_width(self, width: int) -> list[Strip]:
        if self._strips is None or self._strips[0] != width:
            console = self.app.console
            options = console.options.update(width=width, height=None, highlight=False)
            lines = console.render_lines(self._content, options, pad=False, new_lines=False)
            self._strips = (width, [Strip(line).simplify() for line in lines])
        return self._strips[1]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((s.cell_length for s in self._render_width(container.width)), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._render_width(width)) if width > 0 else 0

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        strips = self._render_width(width)
        style = self.rich_style
        if y >= len(strips):
            return Strip.blank(width, style)
        return strips[y].crop_extend(0, width, None).apply_style(style)
