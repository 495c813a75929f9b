"""A story's request that acts on a paper without naming it ("có phải thi lại không hay chỉ cần đi
đổi, và đổi ở đâu?") is about the paper the story names (issue 9, session 14); a short follow-up that
names the result paper ("bao lâu có bằng mới") stays on the current procedure.

The phrasings here are written for these tests: none is taken from the evaluation sets.
"""

from __future__ import annotations

from actions.followup import followup_aspect
from actions.message import Candidate
from knowledge_base.catalogue import load_catalogue
from knowledge_base.vocabulary import asked_subject, by_situation, situations_in, story_paper


def test_an_unnamed_paper_action_takes_the_story_paper() -> None:
    story = ("Tôi là tài xế xe tải, bằng lái hạng C của tôi cấp năm 2015 và còn hai tháng nữa thì hết hạn. "
             "Công ty đang giục nên tôi hỏi luôn: có phải học và thi lại không, hay chỉ đi đổi là xong, đổi ở chỗ nào?")
    assert story_paper(story, "có phải học và thi lại không, hay chỉ đi đổi là xong, đổi ở chỗ nào?")[0].startswith("bằng lái")
    assert "bằng lái" in asked_subject(story)
    plain = ("chao ad, em dang dung bang lai xe may loai bia giay cu tu nam 2010, nghe noi sap khong dung duoc nua. "
             "Em co phai thi lai khong hay chi can di doi, doi o dau a")
    assert "bang lai" in asked_subject(plain)


def test_a_named_paper_or_no_paper_action_adds_nothing() -> None:
    story = ("Bằng lái xe máy của tôi cấp năm 1998 bằng giấy, nay rách nát hết cả rồi mà tôi chưa biết làm sao. "
             "Tôi muốn đổi thẻ căn cước luôn thì làm ở đâu?")
    assert story_paper(story, "Tôi muốn đổi thẻ căn cước luôn thì làm ở đâu?") == []
    assert story_paper(story, "Tôi phải đợi ở đâu?") == []  # "đợi" (wait) is not "đổi"


def test_the_result_paper_of_a_follow_up_keeps_the_topic() -> None:
    known = load_catalogue()
    for text in ("chờ mấy hôm thì có bằng mới hả cháu", "khi nào nhận được bằng mới ạ", "may ngay thi co bang moi"):
        assert followup_aspect({"text": text, "entities": []}, "3.000347", known) == "processing_time", text
    assert followup_aspect({"text": "còn bằng đại học thì sao", "entities": []}, "3.000347", known) is None


def _told(text: str) -> list[str]:
    return [s.name for s in situations_in(text)]


def test_a_landlord_told_to_declare_tenants_is_a_residence_matter() -> None:
    assert "renting" in _told("Bác có cái nhà trọ cho mấy đứa sinh viên ở, tổ trưởng dân phố nhắc bác phải khai cho tụi nó")
    assert "renting" in _told("chu tro bao em tu di khai, khai the nao a")
    assert "renting" not in _told("tôi cho thuê nhà thì phải khai thuế thu nhập thế nào")  # the rent's tax
    # "hợp đồng thuê" (a lease) folds like "đóng thuế": still a renter
    assert "renting" in _told("thuê căn hộ được hai tuần, chủ nhà bảo phải đi khai báo, hợp đồng thuê một năm")


def test_a_divorce_keeps_the_couple_s_variant_of_the_land_change() -> None:
    cat = load_catalogue()
    story = ("Tôi với chồng cũ bỏ nhau rồi, tòa xử căn nhà thuộc về tôi nhưng sổ hồng vẫn đứng tên hai vợ chồng. "
             "Giờ muốn sang tên lại cho mình tôi thì làm sao?")
    cands = [Candidate(code, cat[code].name, score) for code, score in
             (("1.013980", 0.46), ("1.013833", 0.39), ("1.013831", 0.38))]
    assert [c.code for c in by_situation(story, cands, lambda c: c.name)] == ["1.013980"]
