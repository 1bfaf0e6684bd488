"""Search tokens: CJK and digit bigrams, Latin words; terms, prefixes and refusals."""

from __future__ import annotations

import pytest

from deskui.domain.search_tokens import SearchRefused, Term, parse_search, phone_tokens, tokens


def test_cjk_runs_become_overlapping_bigrams() -> None:
    assert tokens("客户说指纹识别失败") == [
        "客户",
        "户说",
        "说指",
        "指纹",
        "纹识",
        "识别",
        "别失",
        "失败",
    ]
    assert tokens("门") == ["门"]


def test_digits_bigrams_and_latin_words_case_folded() -> None:
    assert tokens("SL-300 Door-Lock 门锁") == ["sl", "30", "00", "door", "lock", "门锁"]
    assert tokens("SR-20261123-0042")[-3:] == ["00", "04", "42"]
    assert phone_tokens("138-1234-5678") == tokens("13812345678")


def test_terms_are_phrases_and_all_must_match() -> None:
    assert parse_search("  SL-300   门锁 ") == [
        Term(("sl", "30", "00"), False, "SL-300"),
        Term(("门锁",), False, "门锁"),
    ]
    assert parse_search("refu") == [Term(("refu",), True, "refu")]  # a word: a prefix
    assert parse_search("139-0000-1111")[0].tokens == tuple(tokens("13900001111"))
    assert parse_search("!!! ,") == []
    assert parse_search("") == []


@pytest.mark.parametrize("text", ["张", "5", "a", "门锁 x", "x" * 101, "门锁 " * 9])
def test_refused(text: str) -> None:
    with pytest.raises(SearchRefused):
        parse_search(text)
