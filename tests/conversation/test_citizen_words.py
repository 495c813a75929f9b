"""Everyday words for catalogue words ("photo" → "bản sao") widen the search query (issue 9)."""

from __future__ import annotations

from knowledge_base.vocabulary import catalogue_words, expand_query, words


def test_every_word_has_its_catalogue_wording_and_a_source() -> None:
    assert words()
    for w in words():
        assert w.word.strip() and w.means.strip() and w.source.strip(), w


def test_everyday_words_add_the_catalogue_wording_to_the_query() -> None:
    assert catalogue_words("cần chứng thực mấy bản photo giấy khai sinh") == ["bản sao"]
    assert catalogue_words("chung thuc ban pho to") == ["bản sao"]
    assert catalogue_words("photocopy") == []  # whole words only
    assert expand_query("chứng thực giấy tờ photo ở đâu", {}) == "chứng thực giấy tờ photo ở đâu bản sao"
    assert expand_query("đăng ký tạm trú", {}) == "đăng ký tạm trú"
