"""Citizens' names that used to get a wrong neighbour (issue 9, dev w-part causes): a will made, not a
notary office founded; a domestic adoption unless a foreigner is named; a lost BHYT card or a refund,
not a microinsurance licence; a scrapped vehicle deregistered, not sold. Phrasings of our own."""

from __future__ import annotations

import pytest

from knowledge_base.vocabulary import find_term


@pytest.mark.parametrize(("text", "code"), [
    ("ông tôi muốn lập di chúc cho con cháu thì làm ở đâu", "2.001019"),
    ("me toi gia roi muon viet di chuc de lai nha thi lam the nao", "2.001019"),
    ("vo chong em muon nhan nuoi 1 be thi thu tuc sao", "2.001263"),
    ("nhận con nuôi cần giấy tờ gì", "2.001263"),
    ("the bhyt bi mat lam lai the nao", "1.002759"),  # the social-insurance agency issues the card
    ("di kham ko mang the bhyt phai tra tien, gio muon hoan tien kham thi lam sao", "1.001656"),
    ("mất thẻ bảo hiểm y tế, muốn bảo hiểm thanh toán lại tiền viện", "1.001656"),
    ("xe may cu ban phe lieu roi, thu hoi dang ky xe o dau", "1.013123"),
    ("oto bi tai nan nat bet, nop lai bien so o dau", "1.013123"),
    ("giay chung nhan doc than xin o dau", "1.004873"),
    ("chồng tôi người nhật cần làm thẻ tạm trú", "1.003460"),
    ("minh muon mo cong ty co phan voi 2 ban thi lam gi", "2.002043"),
    ("muốn đóng công ty thì làm sao", "2.002023"),
    ("tôi muốn làm người giám hộ cho mẹ già bị lẫn", "1.004837"),
])
def test_everyday_name_finds_its_procedure(text: str, code: str) -> None:
    term = find_term(text)
    assert term is not None and term.code == code


@pytest.mark.parametrize("text", [
    "Bố tôi mất không để lại di chúc, giờ anh em chia đất thế nào",  # inheritance, no will to make
    "người nước ngoài muốn nhận con nuôi việt nam",  # the foreign variants decide
    "chấm dứt giám hộ cho con khi đủ 18 tuổi",
])
def test_context_keeps_the_term_off(text: str) -> None:
    term = find_term(text)
    assert term is None or term.code not in {"2.001019", "2.001263", "1.004837"}
