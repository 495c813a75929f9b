import pytest

from dvcbot.textnorm import clean, fold, normalize, spoken_numbers_to_digits, strip_accents


def test_strip_accents_and_d():
    assert strip_accents("Đăng ký tạm trú ở Hà Nội") == "Dang ky tam tru o Ha Noi"


def test_clean_removes_control_and_folds_space():
    assert clean("  Xin\u0000 chào\u200b\tbạn\n ") == "xin chào bạn"


def test_nfc_combining_marks():
    # "Thụ lý" written with combining marks in the national records
    assert normalize("Thu\u0323 ly\u0301") == "thụ lý"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ko dc à", "không được à"),
        ("lệ phí bn", "lệ phí bao nhiêu"),
        ("làm cccd cần j", "làm căn cước công dân cần gì"),
        ("đổi gplx ntn", "đổi giấy phép lái xe như thế nào"),
        ("sđt của ad", "số điện thoại của tổng đài viên"),
        ("đc k", "được không"),
        ("tam ngung kd 3 thang", "tam ngung kinh doanh 3 thang"),
    ],
)
def test_teencode(text, expected):
    assert normalize(text) == expected


def test_ca_before_nhan_or_the_is_not_cong_an():
    assert normalize("ma so thue ca nhan") == "ma so thue ca nhan"
    assert normalize("ho kinh doanh ca the") == "ho kinh doanh ca the"
    assert normalize("lên ca hỏi") == "lên công an hỏi"


def test_accented_words_are_not_taken_for_abbreviations():
    assert normalize("phường hồng hà") == "phường hồng hà"
    assert normalize("một tỷ đồng") == "1000000000 đồng"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lệ phí hai mươi sáu nghìn đồng", "lệ phí 26000 đồng"),
        ("một trăm hai mươi lăm nghìn", "125000"),
        ("mười lăm ngày", "15 ngày"),
        ("mất ba ngày", "mất 3 ngày"),
        ("số không chín tám bảy sáu năm bốn ba hai một", "số 0987654321"),
        ("có được không", "có được không"),
        ("trạm y tế", "trạm y tế"),
        ("lý lịch tư pháp", "lý lịch tư pháp"),
    ],
)
def test_spoken_numbers(text, expected):
    assert spoken_numbers_to_digits(clean(text)) == expected


def test_fold_is_accent_insensitive():
    assert fold("Đăng ký TẠM TRÚ cần giấy tờ gì?") == fold("dang ky tam tru can giay to j")


def test_digit_grouping():
    assert normalize("26.000đ") == "26000 đồng"


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01", "😀😀", "a" * 10000, "Привет 你好 مرحبا"])
def test_bad_input_never_raises(bad):
    assert isinstance(fold(bad), str)


def test_tk_is_thanks_before_a_person_or_a_particle_and_an_account_otherwise():
    assert "cảm ơn" in normalize("bot oi tk ban nhe") and "tài khoản" not in normalize("bot oi tk ban nhe")
    assert "cảm ơn" in normalize("tk ad")
    assert "tài khoản" in normalize("tk vneid bi khoa") and "tài khoản" in normalize("quen mat khau tk")
