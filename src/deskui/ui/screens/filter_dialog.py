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
from deskui.i18n import _, label
from deskui.store.queue import Choice, QueueFilter
from deskui.ui.commands import localize_bindings
from deskui.ui.safe_text import clean


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

        def enum_select(name: str, kind: type[Any], value: Any) -> Select[Any]:
            options = [(label(member), member) for member in kind]
            return Select(options, prompt=_("Any"), value=value or Select.NULL, id=f"filter-{name}")

        with Vertical(id="filter-dialog") as box:
            box.border_title = _("Filter the queue")
            yield Label(_("Category"))
            yield enum_select("category", Category, flt.category)
            yield Label(_("Priority"))
            yield enum_select("priority", Priority, flt.priority)
            yield Label(_("Status"))
            yield enum_select("status", Status, flt.status)
            yield Label(_("Channel"))
            yield enum_select("channel", Channel, flt.channel)
            yield Label(_("Team"))
            yield Select(
                [(clean(t.name), t.id) for t in self.teams],
                prompt=_("Any"),
                value=flt.team_id if flt.team_id is not None else Select.NULL,
                id="filter-team",
            )
            yield Label(_("Assignee"))
            yield Select(
                [(clean(a.name), a.id) for a in self.agents],
                prompt=_("Any"),
                value=flt.assignee_id if flt.assignee_id is not None else Select.NULL,
                id="filter-assignee",
            )
            with Horizontal(id="filter-buttons"):
                yield Button(_("Apply"), id="filter-apply", variant="primary")
                yield Button(_("Clear"), id="filter-clear")
                yield Button(_("Cancel"), id="filter-cancel")

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
