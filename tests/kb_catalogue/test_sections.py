"""Dossier, steps, legal basis and result parsers on real record strings."""

from __future__ import annotations

import unicodedata

from knowledge_base.sections import clean_text, parse_documents, parse_legal_basis, parse_result, parse_steps

# 1.000178 (one table, eight documents)
DOCS = (
    "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTài liệu, chứng cứ do các bên cung cấp1 bản chínhQuyết định giải "
    "quyết khiếu nại1 bản chínhBáo cáo kết quả xác minh nội dung khiếu nại1 bản chínhThông báo thụ lý khiếu "
    "nại1 bản chínhCác tài liệu khác có liên quan1 bản chínhBiên bản tổ chức đối thoại (nếu có)1 bản chính"
    "Biên bản kiểm tra, xác minh, kết luận, kết quả giám định (nếu có)1 bản chínhĐơn khiếu nại hoặc bản ghi "
    "nội dung khiếu nại1 bản chính"
)

# 1.004194 (beginning: two case tables, a form file glued to the name, copies)
DOCS_CASES = (
    "* Hồ sơ đăng ký tạm trú gồm: Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai thay đổi thông tin cư trú (Mẫu "
    "CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA);1.MuCT01banhnhkmtheoThngts53.doc1 bản chính"
    "* Đăng ký tạm trú theo danh sách, hồ sơ gồm:Tên giấy tờMẫu đơn, tờ khaiSố lượngVăn bản đề nghị đăng ký "
    "tạm trú, trong đó ghi rõ thông tin về chỗ ở hợp pháp1 bản chính,1 bản sao"
)

# 2.001838: "Cấp" written with a combining acute accent (U+0301)
STEPS = (
    "B\u01b0\u1edbc 1: G\u1eedi h\u1ed3 s\u01a1.\nB\u01b0\u1edbc 2: X\u1eed l\u00fd h\u1ed3 s\u01a1\n"
    "B\u01b0\u1edbc 3: C\u00e2\u0301p \u0111\u1ed5i sang Gi\u1ea5y ch\u1ee9ng nh\u1eadn xu\u1ea5t x\u1ee9 "
    "(n\u1ebfu h\u1ee3p l\u1ec7) ho\u1eb7c c\u00f3 v\u0103n b\u1ea3n tr\u1ea3 l\u1eddi."
)

LEGAL = (
    "Tên văn bản pháp lýMã văn bảnHướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết khiếu nại và quản "
    "lý công tác giải quyết khiếu nại trong công an nhân dân68/2013/TT-BCALuật Khiếu nại  năm 201102/2011/QH13"
    "Quy định quy trình giải quyết khiếu nại trong công an nhân dân11/2015/TT-BCANghị định 05/2012/NĐ-CP"
    "05/2012/NĐ-CP"
)

RESULT = (
    "Phiếu từ chối tiếp nhận, giải quyết hồ sơ (lĩnh vực cư trú)Mã: KQ.G01.000067Cập nhật thông tin trong Cơ "
    "sở dữ liệu quốc gia về dân cưMã: KQ.G01.000064Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ "
    "quan thực hiện"
)


def test_documents_one_table() -> None:
    docs, problems = parse_documents(DOCS)
    assert problems == []
    assert len(docs) == 8
    assert docs[0].name == "Tài liệu, chứng cứ do các bên cung cấp" and docs[0].quantity == "1 bản chính"
    assert docs[5].name == "Biên bản tổ chức đối thoại (nếu có)"
    assert all(d.case == "" for d in docs)


def test_documents_cases_templates_copies() -> None:
    docs, problems = parse_documents(DOCS_CASES)
    assert problems == []
    assert [d.case for d in docs] == ["Hồ sơ đăng ký tạm trú gồm", "Đăng ký tạm trú theo danh sách, hồ sơ gồm"]
    assert docs[0].template == "1.MuCT01banhnhkmtheoThngts53.doc"
    assert docs[0].name.startswith("Tờ khai thay đổi thông tin cư trú") and docs[0].name.endswith("TT-BCA)")
    assert docs[1].quantity == "1 bản chính, 1 bản sao"


def test_documents_empty_and_unstructured() -> None:
    assert parse_documents("") == ([], ["documents_empty"])
    docs, problems = parse_documents("Đơn đề nghị theo mẫu")
    assert problems == ["documents_unstructured"] and docs[0].name == "Đơn đề nghị theo mẫu"


def test_steps_and_nfc() -> None:
    steps, problems = parse_steps(STEPS)
    assert problems == []
    assert steps[0] == "Gửi hồ sơ." and steps[1] == "Xử lý hồ sơ"
    assert steps[2].startswith("Cấp đổi")  # precomposed after NFC
    assert unicodedata.is_normalized("NFC", steps[2])
    assert "\u0301" not in steps[2]


def test_steps_paragraphs() -> None:
    steps, problems = parse_steps("Nộp hồ sơ tại Sở.\nSở kiểm tra hồ sơ trong 3 ngày.\n+ Nếu thiếu thì báo lại.")
    assert problems == ["steps_paragraphs"]
    assert steps == ["Nộp hồ sơ tại Sở.", "Sở kiểm tra hồ sơ trong 3 ngày.\n+ Nếu thiếu thì báo lại."]


def test_legal_basis() -> None:
    legal, problems = parse_legal_basis(LEGAL)
    assert problems == []
    assert [lb.number for lb in legal] == ["68/2013/TT-BCA", "02/2011/QH13", "11/2015/TT-BCA", "05/2012/NĐ-CP"]
    assert legal[1].title == "Luật Khiếu nại năm 2011"  # the year glued to the number is given back
    assert legal[3].title == "Nghị định 05/2012/NĐ-CP"


def test_result_and_clean_text() -> None:
    assert parse_result(RESULT) == (
        "Phiếu từ chối tiếp nhận, giải quyết hồ sơ (lĩnh vực cư trú); "
        "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cư"
    )
    assert clean_text("Không có thông tin") == ""
    assert clean_text("  Thu\u0323 ly\u0301  ") == "Thụ lý"
