"""The private Textual APIs of `deskui.ui.textual_compat` still exist as used there.

When a Textual upgrade changes one of them, this fails first and names it; mend
`textual_compat.py` (and only it).
"""

from __future__ import annotations

import asyncio
import inspect

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from deskui.i18n import set_language
from deskui.ui.textual_compat import (
    SizedByLayout,
    localize_bindings,
    message_sender,
    update_scrollbars,
)


def test_widget_size_updated_keeps_the_signature_sized_by_layout_overrides() -> None:
    parameters = list(inspect.signature(Widget._size_updated).parameters)
    assert parameters == ["self", "size", "virtual_size", "container_size", "layout"]
    assert inspect.signature(Widget._size_updated).parameters["layout"].default is True


def test_widget_scroll_update_takes_the_virtual_size() -> None:
    assert list(inspect.signature(Widget._scroll_update).parameters) == ["self", "virtual_size"]


class _Ping(Message):
    pass


class _Keys(Static):
    BINDINGS = [Binding("c", "comment", "Comment")]

    def on_mount(self) -> None:
        self.post_message(_Ping())  # made in this widget's own handler: the sender is the widget


class _Probe(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.senders: list[object] = []

    def compose(self) -> ComposeResult:
        yield _Keys("x", id="keys")
        yield _Sized("y", id="sized")

    def on__ping(self, message: _Ping) -> None:
        self.senders.append(message_sender(message))


class _Sized(SizedByLayout, Static):
    pass


def test_sender_bindings_and_scrollbars_behave_as_the_desk_expects() -> None:
    async def scenario() -> None:
        app = _Probe()
        async with app.run_test(size=(40, 10)) as pilot:
            keys = app.query_one("#keys", _Keys)
            await pilot.pause()
            assert app.senders == [keys]

            set_language("zh_CN")
            localize_bindings(keys)
            [binding] = keys._bindings.key_to_bindings["c"]
            assert binding.description == "备注"

            sized = app.query_one("#sized", _Sized)
            update_scrollbars(sized, Size(40, 100))
            assert sized.size.width == 40  # laid out once, no second layout asked for
        set_language("en")

    asyncio.run(scenario())
