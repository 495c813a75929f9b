"""Session 14, long stories answered with a confidently wrong procedure (issue 9).

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

import pytest

from actions.message import Candidate
from actions.procedure import long_and_unsure, weak_beside_topic
from knowledge_base.catalogue import load_catalogue
from knowledge_base.vocabulary import find_term, situations_in

LOST_CERTIFICATE = "1.012786"
TRANSFER_VEHICLE = "1.013076"
PLATE_EXCHANGE = "1.013079"


def _situations(text: str) -> set[str]:
    return {s.name for s in situations_in(text)}


@pytest.mark.parametrize("text", [
    "đợt lũ vừa rồi cuốn trôi luôn quyển sổ hồng nhà bác, giờ bác phải làm sao",
    "nha em bi chay, cuon so do cung chay het roi, lam lai the nao",
    "tôi lỡ đánh mất tờ bìa đỏ ở đâu không nhớ, xin cấp lại có được không",
    "bị trộm vào nhà lấy mất cả sổ đỏ lẫn tiền, giờ xin làm lại ở đâu",
])
def test_a_lost_or_burnt_land_certificate_told_with_words_between(text: str) -> None:
    assert "land_certificate_lost" in _situations(text)


def test_a_death_beside_a_land_certificate_is_no_lost_certificate() -> None:
    assert "land_certificate_lost" not in _situations("bố tôi bị mất năm ngoái, sổ đỏ vẫn đứng tên bố")


@pytest.mark.parametrize("text", [
    "toà xử ly hôn xong rồi, căn nhà chia cho tôi mà sổ hồng còn tên chồng cũ",
    "bo nhau roi, so do van de ten ca hai, gio muon bo ten vo cu thi lam gi",
    "vợ chồng tôi thỏa thuận mảnh đất để lại cho vợ đứng tên thì làm thủ tục gì",
])
def test_land_after_a_divorce_or_an_agreement_of_husband_and_wife(text: str) -> None:
    assert "land_after_divorce" in _situations(text)


@pytest.mark.parametrize("text", [
    "em vừa mua lại ô tô của ông anh ở Hải Dương, giờ sang tên về Hà Nội có phải đổi biển số không",
    "mua xe cũ của người quen, có phải đổi biển số không",
    "toi mua lai chiec xe may cu, muon sang ten va doi bien so",
])
def test_a_bought_used_vehicle_is_the_transfer_not_the_plate_exchange(text: str) -> None:
    term = find_term(text)
    assert term is None or term.code != PLATE_EXCHANGE


def test_a_used_vehicle_with_words_between_names_the_transfer() -> None:
    assert find_term("bác mua được cái xe máy cũ của hàng xóm, giờ muốn đứng tên") .code == TRANSFER_VEHICLE


def test_a_plate_exchange_alone_stays_the_plate_exchange() -> None:
    term = find_term("biển số xe bị mờ, muốn đổi biển số mới")
    assert term is not None and term.code == PLATE_EXCHANGE


def test_one_word_of_an_obscure_title_in_a_follow_up_is_no_new_topic() -> None:
    known = load_catalogue()
    rare = next(p for p in known.values() if not p.popularity_rank and "Bằng bảo hộ giống cây trồng" in p.name)
    # a score above the rare sure score, still one word ("bằng") only
    assert weak_beside_topic("bao giờ thì nhận được bằng", Candidate(rare.code, rare.name, 0.62), rare)
    popular = next(p for p in known.values() if p.popularity_rank)
    assert not weak_beside_topic(f"còn {popular.name} thì sao", Candidate(popular.code, popular.name, 0.62), popular)


def test_a_rare_weak_match_of_a_long_story_is_asked_not_answered() -> None:
    known = load_catalogue()
    road = next(p for p in known.values() if not p.popularity_rank and "quốc lộ" in p.name and "tên" in p.name)
    story = ("Nhà tôi ở quê có mảnh đất ông bà để lại, mấy anh em chưa chia, nay anh cả muốn đứng tên một mình "
             "mà các em không đồng ý. Giờ chúng tôi phải làm thủ tục gì ạ?")
    assert long_and_unsure(story, Candidate(road.code, road.name, 0.4), road)
    assert not long_and_unsure(story, Candidate(road.code, road.name, 0.55), road)  # a sure score
    assert not long_and_unsure("mảnh đất chưa chia thì làm gì", Candidate(road.code, road.name, 0.4), road)
    popular = next(p for p in known.values() if p.popularity_rank)
    assert not long_and_unsure(story, Candidate(popular.code, popular.name, 0.4), popular)
    # a rare procedure the story's situation names (a divorce and the land): answered
    divorce = ("Vợ chồng tôi ly hôn rồi, theo bản án của tòa thì căn nhà thuộc về tôi mà sổ hồng vẫn còn tên "
               "chồng cũ. Giờ tôi muốn sổ chỉ ghi tên tôi thì phải làm sao ạ?")
    change = known["1.013980"]
    assert not long_and_unsure(divorce, Candidate(change.code, change.name, 0.45), change)
