"""`Wrapped`: a Rich Text broken into lines the way Chinese and English are read (between any
two Chinese characters, never inside a Latin word), by `deskui.i18n.wrap`, styles kept.

Rich breaks only at spaces and cuts a Chinese sentence where the line ends ("Fingerprin / t");
timeline entries and notes mix both, so they are shown through this."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from deskui.i18n.wrap import widest_word, wrap_spans


class Wrapped:
    def __init__(self, text: Text) -> None:
        self.text = text

    def lines(self, room: int) -> list[Text]:
        """The text as lines of at most `room` cells."""
        found: list[Text] = []
        for paragraph in self.text.split("\n", allow_blank=True):
            for start, end in wrap_spans(paragraph.plain, room):
                line = paragraph[start:end]
                line.no_wrap, line.overflow, line.end = True, "crop", "\n"
                found.append(line)
        return found

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines(options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        longest = max((Text(p).cell_len for p in plain.split("\n")), default=0)
        return Measurement(min(widest_word(plain), longest), longest).with_maximum(
            options.max_width
        )
