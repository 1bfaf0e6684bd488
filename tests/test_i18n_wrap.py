"""Mixed Chinese and English lines break between Chinese characters and around words, never
inside a Latin word that fits on a line; CJK counts two cells. The timeline and the ticket's
texts are drawn so (`ui.common.wrapped.Wrapped`)."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.table import Table
from rich.text import Text

from deskui.i18n.wrap import width, wrap
from deskui.ui.common.wrapped import Wrapped

MIXED = "客户反馈Fingerprint传感器无法识别"  # 8 CJK (16 cells) + 11 Latin


@pytest.mark.parametrize(
    ("room", "lines"),
    [
        (40, ["客户反馈Fingerprint传感器无法识别"]),
        (26, ["客户反馈Fingerprint传感器", "无法识别"]),
        (22, ["客户反馈Fingerprint传", "感器无法识别"]),
        (19, ["客户反馈Fingerprint", "传感器无法识别"]),
        (16, ["客户反馈", "Fingerprint传感", "器无法识别"]),
        (12, ["客户反馈", "Fingerprint", "传感器无法识", "别"]),
        (11, ["客户反馈", "Fingerprint", "传感器无法", "识别"]),
        # a word wider than the line is cut, as the only way to show it
        (10, ["客户反馈", "Fingerprin", "t传感器无", "法识别"]),
        (6, ["客户反", "馈", "Finger", "print", "传感器", "无法识", "别"]),
    ],
)
def test_mixed_text_breaks_between_chinese_characters_never_inside_a_word(
    room: int, lines: list[str]
) -> None:
    assert wrap(MIXED, room) == lines
    assert "".join(lines) == MIXED  # nothing lost
    assert all(width(line) <= room for line in lines)
    if room >= len("Fingerprint"):
        assert "Fingerprint" in lines or any("Fingerprint" in line for line in lines)


def test_cjk_counts_two_cells() -> None:
    assert width("客户") == 4 and width("SL-300") == 6 and width("，") == 2


def test_spaces_break_and_vanish_and_words_stay_whole() -> None:
    assert wrap("The fingerprint reader 无法识别 SL-300 model", 12) == [
        "The",
        "fingerprint",
        "reader 无法",
        "识别 SL-300",
        "model",
    ]


def test_closing_marks_never_start_a_line_and_opening_ones_never_end_one() -> None:
    assert wrap("无法识别，请检查（SL-300）型号", 10) == [
        "无法识别，",
        "请检查",
        "（SL-300）",
        "型号",
    ]
    assert not any(
        line.startswith(("，", "）")) or line.endswith("（")
        for line in wrap("门锁坏了，（急）客户说，明天上门。", 8)
    )


def test_a_timeline_entry_is_drawn_that_way_with_its_styles() -> None:
    text = Text("王芳  Comment\n", style="bold")
    text.append(MIXED, style="italic")
    grid = Table.grid(padding=(0, 2, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row("11-23 10:00", Wrapped(text))
    console = Console(width=13 + 16, color_system=None, record=True)
    console.print(grid)
    shown = [line.rstrip() for line in console.export_text().splitlines()]
    assert shown == [
        "11-23 10:00  王芳  Comment",
        "             客户反馈",
        "             Fingerprint传感",
        "             器无法识别",
    ]
    lines = Wrapped(text).lines(16)
    assert [line.plain for line in lines] == [
        "王芳  Comment",
        "客户反馈",
        "Fingerprint传感",
        "器无法识别",
    ]
    assert lines[2].get_style_at_offset(console, 0).italic  # styles kept across the breaks
