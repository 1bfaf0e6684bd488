"""The queue's filter dialog: category, priority, status, team, assignee and channel.

Loaded when `f` is first pressed, so the desk's start-up does not pay for Select widgets.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select

from deskui.domain.enums import Category, Channel, Priority, Status
from deskui.domain.queue import Choice, QueueFilter
from deskui.i18n import _, label
from deskui.ui.common.footer import DeskFooter
from deskui.ui.common.safe_text import clean
from deskui.ui.textual_compat import localize_bindings


class FilterDialog(ModalScreen[QueueFilter | None]):
    """Pick category, priority, status, team, assignee, channel; ctrl+s applies."""

    CSS_PATH = "filter_dialog.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Cancel"),
        Binding("ctrl+s", "apply", "Apply"),
        Binding("ctrl+x", "clear", "Clear filters"),
    ]

    def __init__(self, current: QueueFilter, teams: list[Choice], agents: list[Choice]) -> None:
        super().__init__()
        self.current = current
        self.teams = teams
        self.agents = agents
        localize_bindings(self)

    def compose(self) -> ComposeResult:
        flt = self.current

        def pick(name: str, options: list[tuple[str, Any]], value: Any) -> Select[Any]:
            shown = Select.NULL if value is None else value
            return Select(options, prompt=_("Any"), value=shown, id=f"filter-{name}", compact=True)

        def members(kind: type[Any]) -> list[tuple[str, Any]]:
            return [(label(member), member) for member in kind]

        with Vertical(id="filter-dialog") as box:
            box.border_title = _("Filter the queue")
            for title, name, options in (
                (_("Category"), "category", members(Category)),
                (_("Priority"), "priority", members(Priority)),
                (_("Status"), "status", members(Status)),
                (_("Channel"), "channel", members(Channel)),
                (_("Team"), "team_id", [(clean(t.name), t.id) for t in self.teams]),
                (_("Assignee"), "assignee_id", [(clean(a.name), a.id) for a in self.agents]),
            ):
                with Horizontal(classes="filter-row"):  # one line per filter: all fit 80x24
                    yield Label(title, classes="filter-label")
                    yield pick(name.removesuffix("_id"), options, getattr(flt, name))
            with Horizontal(id="filter-buttons"):
                yield Button(_("Apply") + " (ctrl+s)", id="filter-apply", variant="primary")
                yield Button(_("Clear") + " (ctrl+x)", id="filter-clear")
                yield Button(_("Cancel") + " (esc)", id="filter-cancel")
        yield DeskFooter()

    def _value(self, name: str) -> Any:
        value = self.query_one(f"#filter-{name}", Select).value
        return None if value is Select.NULL else value

    def action_apply(self) -> None:
        self.dismiss(
            QueueFilter(
                category=self._value("category"),
                priority=self._value("priority"),
                status=self._value("status"),
                team_id=self._value("team"),
                assignee_id=self._value("assignee"),
                channel=self._value("channel"),
            )
        )

    def action_clear(self) -> None:
        self.dismiss(QueueFilter())

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        {
            "filter-apply": self.action_apply,
            "filter-clear": self.action_clear,
            "filter-cancel": self.action_dismiss_none,
        }[event.button.id or "filter-cancel"]()
