"""Nothing typed is lost: Esc on a changed form asks first, and a kept draft comes back.

A form's state is the values of its fields by widget id (inputs, text areas, selects, radio
buttons), so one mechanism serves every form. Kept drafts live in the app for the session,
keyed by what the form is for (an action on one ticket, the intake form, one callback), so
they survive closing the form, switching tickets and a lost connection.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, RadioButton, Select, TextArea
from textual.widgets.select import InvalidSelectValueError

from deskui.i18n import _

FieldValues = dict[str, Any]
_FIELDS = "Input, TextArea, Select, RadioButton"


def snapshot(screen: Widget) -> FieldValues:
    """The value of every field with an id."""
    values: FieldValues = {}
    for widget in screen.query(_FIELDS):
        if widget.id is None:
            continue
        if isinstance(widget, TextArea):
            values[widget.id] = widget.text
        elif isinstance(widget, Input | Select | RadioButton):
            values[widget.id] = widget.value
    return values


def apply(screen: Widget, values: FieldValues) -> FieldValues:
    """Put `values` back into the fields; returns those a select cannot take yet (its options
    are still loading)."""
    pending: FieldValues = {}
    for key, value in values.items():
        found = screen.query(f"#{key}")
        if not found:
            continue
        widget = found.first()
        if isinstance(widget, TextArea):
            widget.load_text(value)
        elif isinstance(widget, Select):
            try:
                widget.value = value
            except InvalidSelectValueError:
                pending[key] = value
        elif isinstance(widget, Input | RadioButton):
            widget.value = value
    return pending


def _type_into(field: Input | TextArea, text: str) -> None:
    if isinstance(field, Input):
        field.insert_text_at_cursor(text)
    else:
        field.insert(text)


def kept_drafts(app: App[Any]) -> dict[Hashable, FieldValues]:
    """The session's kept drafts (made on first use, so any app can hold them)."""
    store: dict[Hashable, FieldValues] | None = getattr(app, "_deskui_drafts", None)
    if store is None:
        store = {}
        app._deskui_drafts = store  # type: ignore[attr-defined]
    return store


class DiscardDialog(ModalScreen[str]):
    """Asked on Esc when a form has changes; Esc here means "keep editing"."""

    DEFAULT_CSS = """
    DiscardDialog { align: center middle; }
    DiscardDialog > #discard-box {
        width: 60; max-width: 100%; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    DiscardDialog .buttons { height: auto; margin-top: 1; }
    DiscardDialog Button { margin-right: 1; min-width: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('edit')", "Keep editing"),
        Binding("k", "choose('keep')", "Keep as draft"),
        Binding("d", "choose('discard')", "Discard"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-box"):
            yield Label(Text(_("This form has changes."), style="bold"))
            yield Label(_("Keep them as a draft for later, or discard them?"))
            with Horizontal(classes="buttons"):
                yield Button(_("Keep as draft (k)"), variant="primary", id="keep")
                yield Button(_("Discard (d)"), variant="error", id="discard")
                yield Button(_("Keep editing (esc)"), id="edit")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "edit")


# Save on ctrl+s, from any field. Not a priority key: a priority key runs as the app reads
# it, ahead of keys typed just before it that are still on their way (the Enter that ticks a
# choice, the keys typed ahead of a dialog into the panel below); an ordinary one comes after.
SAVE_KEY = Binding("ctrl+s", "save", "Save")

# Tab from a text field moves the focus as the app reads the key, not when the field gets to
# it: the letters typed after a Tab in one burst (a fast typist, a paste, a slow machine) then
# go to the next field. From a choice (radio set, select, button) Tab stays Textual's own,
# run in turn after the Enter or arrow typed before it (`action_typed_tab`).
TYPE_AHEAD_KEYS: list[BindingType] = [
    Binding("tab", "typed_tab(1)", show=False, priority=True),
    Binding("shift+tab", "typed_tab(-1)", show=False, priority=True),
    Binding("tab", "app.focus_next", show=False),  # the screen's own, which the above hide
    Binding("shift+tab", "app.focus_previous", show=False),
]


class GuardedForm:
    """Mixin for a form screen: call `guard_start()` at the end of `on_mount`, `guard_filled()`
    after options arrive, `guard_saved()` when it dismisses with a result, and route Esc to
    `guard_cancel()`. `draft_key()` names what the form is for (None: nothing is kept)."""

    _pristine: FieldValues
    _pending: FieldValues
    starts_unsaved = False  # opened again with a draft whose save failed: Esc still asks

    def draft_key(self) -> Hashable | None:
        return None

    def action_typed_tab(self, step: int) -> None:
        screen: Any = self
        if not isinstance(screen.focused, Input | TextArea):
            raise SkipAction()  # a choice's own keys are handled in turn: so is this Tab
        if step > 0:
            screen.focus_next()
        else:
            screen.focus_previous()

    def take_stray_key(self, event: events.Key) -> None:
        """A printable key nobody handled while this form is on top: typed while the form was
        still opening (a fast typist, or a paste right after the action key, still addressed
        to the panel below). It goes into the form's field, or waits for the first one."""
        if not (event.is_printable and event.character):
            return
        focused = getattr(self, "focused", None)
        if focused is None:
            self._early_keys = [*getattr(self, "_early_keys", []), event.character]
        elif isinstance(focused, Input | TextArea):
            _type_into(focused, event.character)
        else:
            return
        event.stop()
        event.prevent_default()  # typed text, not a key for the app's bindings

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        early = getattr(self, "_early_keys", None)
        if early and isinstance(event.widget, Input | TextArea):
            self._early_keys = []
            _type_into(event.widget, "".join(early))

    def guard_start(self) -> None:
        screen: Any = self
        for field in screen.query(Input):
            # Selecting a field's text when focus arrives lets the next key replace text typed
            # ahead of the focus (a fast typist tabbing on): keep the text, put the cursor after.
            field.select_on_focus = False
        self._pristine = snapshot(screen)
        self._pending = {}
        key = self.draft_key()
        kept = kept_drafts(screen.app).get(key) if key is not None else None
        if kept:
            self._pending = apply(screen, kept)
            screen.notify(_("Your kept draft is back."), timeout=4)

    def guard_filled(self) -> None:
        """Options arrived: what they set is the form's starting point, then the draft wins."""
        screen: Any = self
        now = snapshot(screen)
        for key, value in now.items():
            if key not in self._pristine or isinstance(screen.query_one(f"#{key}"), Select):
                self._pristine[key] = value
        if self._pending:
            self._pending = apply(screen, self._pending)

    def has_changes(self) -> bool:
        return self.starts_unsaved or snapshot(self) != self._pristine  # type: ignore[arg-type]

    def guard_saved(self) -> None:
        key = self.draft_key()
        if key is not None:
            kept_drafts(self.app).pop(key, None)  # type: ignore[attr-defined]

    def guard_cancel(self) -> None:
        screen: Any = self
        if not hasattr(self, "_pristine") or not self.has_changes():
            screen.dismiss(None)
            return

        def chosen(choice: str | None) -> None:
            key = self.draft_key()
            if choice == "keep" and key is not None:
                kept_drafts(screen.app)[key] = snapshot(screen)
                screen.notify(_("Draft kept: it comes back when you open this form again."))
                screen.dismiss(None)
            elif choice in ("keep", "discard"):
                self.guard_saved()
                screen.dismiss(None)

        screen.app.push_screen(DiscardDialog(), chosen)


class StrayKeys:
    """App mixin: printable keys that reach the app unhandled go to the form on top."""

    def on_key(self, event: events.Key) -> None:
        from textual.app import ScreenStackError

        try:
            screen = getattr(self, "screen", None)
        except ScreenStackError:  # a key still queued as the app closes: no form to type in
            return
        if isinstance(screen, GuardedForm):
            screen.take_stray_key(event)
