"""Document lists start with what most people bring (issue 9, item 6)."""

from __future__ import annotations

import datetime as dt

import pytest

from knowledge_base.answers import procedure_answer
from knowledge_base.aspect_writers import real_documents
from knowledge_base.catalogue import Document, load_catalogue
from knowledge_base.document_order import (
    CASE_CONDITIONAL,
    CASE_PART,
    CASE_SUB,
    TIER_CONDITIONAL,
    TIER_ELECTRONIC,
    TIER_FORM,
    TIER_PAPER,
    case_kind,
    common_dossier,
    document_tier,
    order_documents,
)

TODAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


@pytest.mark.parametrize(
    ("name", "tier"),
    [
        ("Tờ khai thay đổi thông tin cư trú (Mẫu CT01); đối với người chưa thành niên thì ...", TIER_FORM),
        ("- Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu nộp trực tiếp)", TIER_FORM),
        ("Phiếu đề nghị giải quyết thủ tục về căn cước (Mẫu DC02)", TIER_FORM),
        ("- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng", TIER_PAPER),
        ("Bản sao Thẻ Căn cước hoặc Hộ chiếu của người được cấp Phiếu", TIER_PAPER),
        ("- Mẫu hộ tịch điện tử tương tác đăng ký khai sinh", TIER_ELECTRONIC),
        ("- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản", TIER_CONDITIONAL),
        ("- Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật", TIER_CONDITIONAL),
        ("Tờ khai yêu cầu cấp Phiếu (Dùng cho cá nhân trong trường hợp ủy quyền yêu cầu cấp Phiếu)", TIER_CONDITIONAL),
        ("Các giấy tờ để chứng minh đối tượng miễn, hoặc giảm phí (nếu có).", TIER_CONDITIONAL),
        ("Giấy tờ pháp lý của người nước ngoài", TIER_CONDITIONAL),
        ("Đối với Quân đội nhân dân: Giấy giới thiệu của đơn vị", TIER_CONDITIONAL),
    ],
)
def test_document_tier(name: str, tier: int) -> None:
    assert document_tier(name) == tier


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("", CASE_PART),
        ("Giấy tờ phải nộp", CASE_PART),
        ("Giấy tờ phải xuất trình", CASE_PART),
        ("Hồ sơ đăng ký tạm trú gồm", CASE_PART),  # the procedure's own name
        ("Phiếu đề nghị giải quyết thủ tục về căn cước (Mẫu DC02", CASE_PART),  # names a paper
        ("Đăng ký tạm trú theo danh sách, hồ sơ gồm", CASE_SUB),
        ("Trường hợp ủy quyền cho tổ chức thực hiện thủ tục", CASE_CONDITIONAL),
    ],
)
def test_case_kind(heading: str, kind: int) -> None:
    assert case_kind(heading, "Đăng ký tạm trú") == kind


def test_order_is_common_part_then_sub_cases_then_conditional_cases() -> None:
    docs = [
        Document(case="Trường hợp ủy quyền", name="Văn bản ủy quyền", quantity="1 bản chính"),
        Document(case="Đăng ký tạm trú theo danh sách", name="Văn bản đề nghị đăng ký tạm trú", quantity="1 bản chính"),
        Document(case="Hồ sơ đăng ký tạm trú gồm", name="Ví dụ: Trường hợp giấy tờ chứng minh chỗ ở", quantity="1 bản chính"),
        Document(case="Hồ sơ đăng ký tạm trú gồm", name="Giấy tờ chứng minh chỗ ở hợp pháp", quantity="1 bản chính"),
        Document(case="Hồ sơ đăng ký tạm trú gồm", name="Tờ khai thay đổi thông tin cư trú", quantity="1 bản chính"),
        Document(case="", name="Mẫu điện tử tương tác", quantity="1 bản chính"),
    ]
    names = [d.name for d in order_documents(docs, "Đăng ký tạm trú")]
    assert names == [
        "Tờ khai thay đổi thông tin cư trú",
        "Giấy tờ chứng minh chỗ ở hợp pháp",
        "Mẫu điện tử tương tác",
        "Ví dụ: Trường hợp giấy tờ chứng minh chỗ ở",
        "Văn bản đề nghị đăng ký tạm trú",
        "Văn bản ủy quyền",
    ]
    common, others, stand_in = common_dossier(docs, "Đăng ký tạm trú")
    assert len(common) == 4 and stand_in is None
    assert others == ["Đăng ký tạm trú theo danh sách", "Trường hợp ủy quyền"]


def test_without_common_part_the_first_sub_case_stands_in() -> None:
    docs = [
        Document(case="Trường hợp ly hôn", name="Giấy tờ chứng minh việc ly hôn", quantity="1 bản chính"),
        Document(case="Tách hộ để đăng ký thường trú tại cùng chỗ ở", name="Tờ khai", quantity="1 bản chính"),
    ]
    common, others, stand_in = common_dossier(docs, "Tách hộ")
    assert [d.name for d in common] == ["Tờ khai"]
    assert stand_in == "Tách hộ để đăng ký thường trú tại cùng chỗ ở" and others == ["Trường hợp ly hôn"]


def test_real_records_start_with_what_most_people_bring(cat) -> None:
    # birth registration: the form and the birth certificate, not the power of attorney
    first = [d.name for d in real_documents(cat["1.001193"])[:2]]
    assert "Tờ khai đăng ký khai sinh" in first[0] and "Giấy chứng sinh" in first[1]
    # criminal record certificate: the citizen's own form and ID before the authorised case
    docs = real_documents(cat["3.000333"])
    assert "Dùng cho cá nhân có yêu cầu" in docs[0].name and "Căn cước" in docs[1].name
    assert all(document_tier(d.name) == TIER_CONDITIONAL for d in docs[-3:])
    # company registration: the common dossier, not the social-enterprise case
    text = procedure_answer(cat["2.001583"], "documents", TODAY)
    assert text.index("Giấy đề nghị đăng ký doanh nghiệp") < text.index("doanh nghiệp xã hội")
    assert "Ngoài ra có 7 trường hợp riêng" in text


def test_answers_read_the_common_dossier(cat) -> None:
    text = procedure_answer(cat["1.000656"], "documents", TODAY)
    assert text.index("Tờ khai đăng ký khai tử") < text.index("Giấy báo tử")
    assert "ủy quyền" not in text.split("Và ")[0]
    overview = procedure_answer(cat["1.010038"], None, TODAY)
    assert overview.count("Tờ khai thay đổi thông tin cư trú") == 1


def test_a_case_heading_names_the_case_not_its_list() -> None:
    from knowledge_base.aspect_writers import case_heading

    assert case_heading("Đăng ký tạm trú theo danh sách, hồ sơ gồm:") == "Đăng ký tạm trú theo danh sách"
    assert case_heading("Trường hợp người nước ngoài thì hồ sơ gồm các giấy tờ sau:") == "Trường hợp người nước ngoài"
    assert case_heading("Đối với trẻ em dưới 14 tuổi, thành phần hồ sơ bao gồm:") == "Đối với trẻ em dưới 14 tuổi"
    assert case_heading("Trường hợp ủy quyền:") == "Trường hợp ủy quyền"
    assert case_heading("Hồ sơ gồm") == "Hồ sơ gồm"  # nothing else to name it by
