"""Record a callback (回访): reached or not, solved or not, satisfaction 1-5, a comment.

Returns a `CallbackForm` (or None); the callbacks panel makes the service call. Not reached
shows when the retry will be due; not solved says the ticket reopens with the note.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, Static

from deskui.domain.enums import Category
from deskui.domain.privacy import mask_phone
from deskui.domain.rows import CallbackRow
from deskui.domain.schemas import CallbackForm
from deskui.i18n import _, formats, label
from deskui.ui.common.choice import Choice
from deskui.ui.common.drafts import SAVE_KEY, TYPE_AHEAD_KEYS, GuardedForm
from deskui.ui.common.formatting import visible
from deskui.ui.textual_compat import localize_bindings


class CallbackFormScreen(GuardedForm, ModalScreen[CallbackForm | None]):
    CSS_PATH = "callback_form.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        SAVE_KEY,
        Binding("escape", "cancel", "Cancel"),
        *TYPE_AHEAD_KEYS,
    ]

    def __init__(
        self,
        callback: CallbackRow,
        *,
        now: datetime,
        zone: tzinfo,
        retry_hours: int,
        draft: CallbackForm | None = None,
        error: str | None = None,
    ) -> None:
        super().__init__()
        localize_bindings(self)
        self.callback = callback
        self.now = now
        self.zone = zone
        self.retry_hours = retry_hours
        self.draft = draft
        self.error = error
        self.starts_unsaved = draft is not None  # reopened after a failed save

    def draft_key(self) -> tuple[str, int]:
        return ("callback", self.callback.id)

    def compose(self) -> ComposeResult:
        c = self.callback
        with Vertical(id="dialog", classes="dialog"):
            title = Text(_("Callback · {number}").format(number=c.number), style="bold")
            yield Label(title, id="dialog-title")
            with VerticalScroll(id="callback-body"):  # scrolls; the buttons stay in view
                yield from self._body()
            with Horizontal(classes="buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="save")
                yield Button(_("Cancel (esc)"), id="cancel")

    def _body(self) -> ComposeResult:
        c, d = self.callback, self.draft
        who = visible(c.customer_name, style="bold")
        who.append(f"  {mask_phone(c.customer_phone) or '—'}  · {label(c.category)}  · ")
        who.append(_("attempts {count}").format(count=c.attempts))
        yield Static(who)
        yield Static(visible(c.subject), classes="hint")
        if c.category is Category.COMPLAINT:
            yield Static(
                "⚑ " + _("Complaint callbacks are made by a supervisor or QA."),
                classes="hint",
            )
        yield Label(_("Customer reached?"))
        with RadioSet(id="reached", compact=True):
            yield Choice(_("Yes"), value=bool(d and d.reached), id="reached-yes")
            yield Choice(_("No"), value=bool(d and not d.reached), id="reached-no")
        yield Static("", id="reached-error", classes="field-error")
        yield Static("", id="retry-hint", classes="hint")
        with Vertical(id="answers"):
            yield Label(_("Problem solved?"))
            with RadioSet(id="solved", compact=True):
                yield Choice(_("Yes"), value=bool(d and d.solved), id="solved-yes")
                yield Choice(_("No"), value=bool(d and d.solved is False), id="solved-no")
            yield Static("", id="solved-error", classes="field-error")
            yield Static("", id="reopen-hint", classes="hint")
            yield Label(_("Satisfaction (1 = very unhappy, 5 = very happy)"))
            with RadioSet(id="satisfaction", compact=True):
                for score in range(1, 6):
                    yield Choice(
                        str(score),
                        value=bool(d and d.satisfaction == score),
                        id=f"score-{score}",
                    )
        yield Label(_("Comment"))
        yield Input(d.notes if d else "", id="notes")
        yield Static(Text(self.error or ""), id="dialog-error", classes="field-error")

    def on_mount(self) -> None:
        for node in self.query(".field-error"):
            if isinstance(node, Static):
                self._shown(node, "")
        self._update_hints()
        self._shown(self.query_one("#dialog-error", Static), self.error or "")
        self.query_one("#reached", RadioSet).focus()
        self.guard_start()

    def _pressed(self, selector: str) -> bool:
        return self.query_one(selector, Choice).value

    def _reached(self) -> bool | None:
        if self._pressed("#reached-yes"):
            return True
        return False if self._pressed("#reached-no") else None

    def _solved(self) -> bool | None:
        if self._pressed("#solved-yes"):
            return True
        return False if self._pressed("#solved-no") else None

    @on(RadioSet.Changed)
    def _update_hints(self) -> None:
        reached = self._reached()
        retry = self.query_one("#retry-hint", Static)
        if reached is False:
            at = (self.now + timedelta(hours=self.retry_hours)).astimezone(self.zone)
            self._shown(
                retry, "↻ " + _("Not reached: retry due at {when}").format(when=formats.moment(at))
            )
        else:
            self._shown(retry, "")
        self.query_one("#answers").display = reached is not False
        reopen = self.query_one("#reopen-hint", Static)
        self._shown(
            reopen,
            "↺ " + _("Not solved: the ticket reopens with your comment.")
            if reached and self._solved() is False
            else "",
        )

    @staticmethod
    def _shown(node: Static, text: str | Text) -> None:
        """A hint or an error takes a line only while it says something (24 lines are few)."""
        node.update(text)
        node.display = bool(str(text))

    def _collect(self) -> tuple[CallbackForm | None, dict[str, str]]:
        reached = self._reached()
        if reached is None:
            return None, {"reached": _("Choose yes or no.")}
        if not reached:
            notes = self.query_one("#notes", Input).value
            return CallbackForm(reached=False, notes=notes), {}
        solved = self._solved()
        score = next((s for s in range(1, 6) if self._pressed(f"#score-{s}")), None)
        try:
            form = CallbackForm(
                reached=True,
                solved=solved,
                satisfaction=score,
                notes=self.query_one("#notes", Input).value,
            )
        except ValidationError:
            return None, {"solved": _("Choose yes or no.")}
        return form, {}

    def action_save(self) -> None:
        for node in self.query(".field-error"):
            if isinstance(node, Static):
                self._shown(node, "")
        form, errors = self._collect()
        for field, message in errors.items():
            self._shown(self.query_one(f"#{field}-error", Static), Text("✗ " + message))
        if form is not None:
            self.guard_saved()
            self.dismiss(form)

    def action_cancel(self) -> None:
        self.guard_cancel()

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
