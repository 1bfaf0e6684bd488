"""The save/cancel behaviour every form dialog shares: check the draft, show each problem
next to its field, and hand the draft back only when it is complete."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.binding import BindingType
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from deskui.ui.common.drafts import TYPE_AHEAD_KEYS, GuardedForm

DraftT = TypeVar("DraftT")


class DraftDialog(GuardedForm, ModalScreen[DraftT | None]):
    """Subclasses provide `_collect()` (the draft from the fields) and `_errors(draft)`
    ({field id: message}); messages go to the `#<field>-error` statics. Esc with changes
    asks before anything is thrown away (`GuardedForm`)."""

    BINDINGS: ClassVar[list[BindingType]] = [*TYPE_AHEAD_KEYS]
    KEEP_ON_SAVE: tuple[str, ...] = ()  # error statics a new attempt leaves as they are

    def _collect(self) -> DraftT:
        raise NotImplementedError

    def _errors(self, draft: DraftT) -> dict[str, str]:
        raise NotImplementedError

    def action_save(self) -> None:
        draft = self._collect()
        errors = self._errors(draft)
        for node in self.query(".field-error"):
            if isinstance(node, Static) and node.id not in self.KEEP_ON_SAVE:
                node.update("")
        if errors:
            for name, message in errors.items():
                for node in self.query(f"#{name}-error"):
                    if isinstance(node, Static):
                        node.update(Text("✗ " + message))
            return
        self.guard_saved()
        self.dismiss(draft)

    def on_mount(self) -> None:
        """Runs after the subclass's own `on_mount` (Textual calls both): fields are set."""
        self.guard_start()

    def action_cancel(self) -> None:
        self.guard_cancel()

    @on(Button.Pressed, "#save")
    def _save_pressed(self, _event: Any) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, _event: Any) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, _event: Any) -> None:
        self.action_save()
