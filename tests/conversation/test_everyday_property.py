"""Everyday names of the property procedures (data/vocabulary/everyday_property.yml): land and its
certificate, mortgages, building permits, licences, vehicle registration, inspection, wills."""

from __future__ import annotations

import pytest

from knowledge_base.vocabulary import find_term


@pytest.mark.parametrize(("text", "code"), [
    ("đất chưa có sổ muốn làm bìa đỏ thì cần những gì", "1.013978"),  # first certificate
    ("mua ban dat xong thi sang ten the nao", "1.013831"),  # transfer: registration of the change
    ("bố mẹ muốn tặng cho con quyền sử dụng đất", "1.013831"),
    ("e lm mat so do r, gio xin cap lai ntn a", "1.012786"),  # lost certificate: re-issue
    ("tach so do cho con thi lam the nao", "1.012784"),  # split plot, not the household split
    ("muốn chuyển đất vườn lên thổ cư", "1.013949"),  # change of use, permitted by the commune
    ("giải chấp sổ đỏ ở đâu", "1.011443"),
    ("đăng ký thế chấp ô tô ở đâu", "1.011435"),  # a car is movable property
    ("điều chỉnh giấy phép xây dựng cần những gì", "1.013226"),  # not the foreign contractor's
    ("thi bang a1 dang ky o dau", "3.000346"),
    ("bị mất biển số xe phải làm sao", "1.013082"),  # the plate, not the driving licence
    ("xe máy hết hạn sử dụng rồi, muốn nộp lại biển số", "1.013123"),  # withdrawal, not a new owner
    ("xe oto het han dang kiem thi lam sao", "1.005103"),
    ("công chứng di chúc thì làm thế nào", "2.001019"),  # a will, not founding a notary office
])
def test_everyday_property_names(text: str, code: str) -> None:
    term = find_term(text)
    assert term is not None and term.code == code, text


@pytest.mark.parametrize(("text", "not_code"), [
    ("tách sổ hộ khẩu ra riêng", "1.012784"),  # the old household book, not the land
    ("bố tôi mất, sổ đỏ vẫn đứng tên bố", "1.012786"),  # a death, not a lost certificate
    ("xin giay xac nhan so cmnd cu 9 so de lam so do", "1.013978"),  # the ID paper is asked
    ("em cần thẻ căn cước để thi bằng lái, làm thẻ lần đầu ở đâu", "3.000346"),
    ("bằng lái xe máy hết hạn sử dụng thì đổi ở đâu", "1.013123"),  # the licence, not the vehicle
    ("đã làm văn bản phân chia di sản ở văn phòng công chứng, giờ đăng ký thừa kế ở đâu", "2.001406"),
])
def test_property_names_in_other_requests(text: str, not_code: str) -> None:
    term = find_term(text)
    assert term is None or term.code != not_code, text


def test_a_term_without_a_catalogue_procedure_answers_honestly() -> None:
    term = find_term("đăng ký môi trường cho xưởng ở đâu")
    assert term is not None and term.code is None and "chưa có" in (term.answer or "")
