"""The zh_CN catalogue is complete and consistent: every id the source uses is translated, with
the same placeholders; no obsolete, duplicate or conflicting entry; the committed .mo is the
.po compiled. `scripts/i18n.py check` prints the same list."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest

from deskui.i18n import checks, tools

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _problems() -> list[str]:
    with contextlib.redirect_stderr(io.StringIO()):  # Babel's notes on skipped f-strings
        return checks.problems()


def test_the_catalogue_has_no_problem() -> None:
    assert _problems() == []


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the catalogue the checks read, so a test may break it."""
    po = tmp_path / "deskui.po"
    shutil.copy(tools.po_path(), po)
    shutil.copy(tools.mo_path(), tmp_path / "deskui.mo")
    monkeypatch.setattr(tools, "po_path", lambda lang=tools.LANGUAGE: po)
    monkeypatch.setattr(tools, "mo_path", lambda lang=tools.LANGUAGE: po.with_suffix(".mo"))
    return po


def _edit(po: Path, old: str, new: str) -> None:
    text = po.read_text(encoding="utf-8")
    assert old in text
    po.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_untranslated_id_fails(scratch: Path) -> None:
    _edit(scratch, 'msgid "Queue"\nmsgstr "队列"', 'msgid "Queue"\nmsgstr ""')
    tools.compile_mo()
    assert any("untranslated" in p and "'Queue'" in p for p in _problems())


def test_a_missing_id_fails(scratch: Path) -> None:
    _edit(scratch, 'msgid "Queue"\nmsgstr "队列"\n', "")
    tools.compile_mo()
    assert any("missing" in p and "'Queue'" in p for p in _problems())


def test_a_placeholder_mismatch_fails(scratch: Path) -> None:
    _edit(scratch, 'msgstr "工单 {number}"', 'msgstr "工单 {num}"')
    tools.compile_mo()
    assert any("placeholders differ" in p for p in _problems())


def test_an_obsolete_entry_fails(scratch: Path) -> None:
    scratch.write_text(
        scratch.read_text(encoding="utf-8") + '\nmsgid "Frobnicate"\nmsgstr "捣鼓"\n',
        encoding="utf-8",
    )
    tools.compile_mo()
    assert any("obsolete" in p and "Frobnicate" in p for p in _problems())


def test_a_duplicate_conflicting_entry_fails(scratch: Path) -> None:
    scratch.write_text(
        scratch.read_text(encoding="utf-8") + '\nmsgid "Queue"\nmsgstr "排队"\n', encoding="utf-8"
    )
    assert any("duplicate" in p and "'Queue'" in p for p in _problems())


def test_the_other_word_for_ticket_fails(scratch: Path) -> None:
    _edit(scratch, 'msgstr "工单 {number}"', 'msgstr "问题单 {number}"')
    tools.compile_mo()
    assert any("问题单" in p for p in _problems())


def test_a_stale_mo_fails(scratch: Path) -> None:
    _edit(scratch, 'msgid "Queue"\nmsgstr "队列"', 'msgid "Queue"\nmsgstr "队伍"')
    assert any(".mo differs" in p and "Queue" in p for p in _problems())


def test_folding_a_dict_module(scratch: Path, tmp_path: Path) -> None:
    module = tmp_path / "zh_cn_extra.py"
    module.write_text(
        "MESSAGES: dict[str, str] = {\n"
        '    "Queue": "排队",\n'  # conflicts: the catalogue's translation is kept
        '    "Frobnicate {n} tickets": "捣鼓 {n} 个问题单",\n'  # new, and 问题单 becomes 工单
        '    "Bad {x}": "坏 {y}",\n'  # placeholders differ: refused
        "}\n",
        encoding="utf-8",
    )
    report = tools.fold(module)
    assert report.added == ["Frobnicate {n} tickets"]
    assert report.conflicts == [("Queue", "队列", "排队")]
    assert [msgid for msgid, _ in report.bad] == ["Bad {x}"]
    catalog = tools.load()
    assert catalog.get("Frobnicate {n} tickets").string == "捣鼓 {n} 个工单"
    assert catalog.get("Queue").string == "队列"
    assert tools.mo_matches_po() == []  # fold compiles
