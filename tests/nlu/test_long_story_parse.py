"""Long story-first messages end to end: the real parse (classifier, knowledge-base search, request
clauses, citizen vocabulary) then the procedure choice, then a short follow-up on the same topic.

The stories are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

from typing import Any

import pytest

from actions.procedure import choose_procedure
from knowledge_base.catalogue import load_catalogue


def _turn(parser: Any, text: str, previous: str | None = None) -> tuple[str, Any]:
    parsed = parser.parse(text)
    return parsed["intent"]["name"], choose_procedure(parsed, previous, load_catalogue())


@pytest.mark.parametrize(
    ("story", "codes"),
    [
        # renting, told to declare: temporary residence, not the absence declaration
        ("Dạ em chào anh chị, em mới lên Hà Nội đi làm được hai tuần, đang ở nhà trọ bên Thanh Xuân. Hôm qua "
         "công an khu vực xuống kiểm tra và nhắc phải khai báo. Em cần chuẩn bị những gì ạ?", {"1.004194"}),
        # the asking sentence points back at the paper named before it
        ("Bác năm nay 70 tuổi, vợ bác mất được mấy năm rồi. Giờ bác muốn đi bước nữa, phường yêu cầu có giấy "
         "xác nhận tình trạng hôn nhân. Giấy đó xin ở đâu hả cháu?", {"1.004873"}),
        # an everyday name of the paper and a loss: re-issue of the vehicle registration
        ("Hồi trước tôi mua xe máy ở Bắc Ninh, đăng ký xe ở đó luôn. Tháng trước đi chơi bị móc túi mất cả ví "
         "lẫn cà vẹt xe. Giờ làm lại cà vẹt ở Hà Nội được không?", {"1.013080", "1.013082"}),
        # a worn land certificate: exchanged
        ("Cái sổ đỏ nhà tôi làm từ hồi năm 1998 giờ bị mối ăn, rách nát hết cả. Tôi muốn đổi lấy sổ mới thì "
         "nộp ở đâu?", {"1.012783"}),
        # a register burnt too: re-registration of the birth, not of a death
        ("Nhà tôi bị cháy năm ngoái, giấy khai sinh bản chính cũng cháy theo, lên xã hỏi thì sổ hộ tịch không "
         "còn lưu nữa. Tôi làm lại khai sinh thế nào?", {"1.004884"}),
        # a newborn: the birth registration, not a copy
        ("con dâu tôi vừa sinh cháu được mười ngày, nó còn yếu nên ông bà muốn đi làm khai sinh cho cháu thay, "
         "có được không", {"1.001193"}),
    ],
)
def test_a_long_story_is_answered_with_the_procedure_it_asks(parser, story: str, codes: set[str]) -> None:
    intent, choice = _turn(parser, story)
    assert intent == "ask_procedure"
    assert choice.kind == "answer" and choice.code in codes, (choice.kind, choice.code)


def test_a_story_then_a_short_follow_up_keeps_the_procedure(parser) -> None:
    story = ("Tôi thuê một căn hộ chung cư ở Long Biên để tiện đi làm, quê tôi ở Thái Bình. Chủ nhà bảo tôi "
             "phải khai báo cư trú với công an phường. Thủ tục này làm thế nào?")
    _, first = _turn(parser, story)
    assert first.kind == "answer" and first.code == "1.004194"
    _, second = _turn(parser, "mất mấy ngày thì xong", previous=first.code)
    assert second.kind == "answer" and second.code == "1.004194" and second.aspect == "processing_time"


def test_a_wrong_residence_record_is_a_correction_not_a_complaint(parser) -> None:
    intent, choice = _turn(parser, "năm sinh của tôi trong cơ sở dữ liệu về cư trú bị sai, tôi muốn điều chỉnh "
                                   "lại cho đúng")
    assert intent == "ask_procedure"
    assert choice.kind == "answer" and choice.code == "1.010039"
