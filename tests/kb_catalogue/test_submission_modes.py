"""The ``cach_thuc_thuc_hien`` parser on real records (raw strings copied from the national data)."""

from __future__ import annotations

from knowledge_base.submission_modes import parse_submission_modes, parse_vnd_amounts

H = "Hình thức nộpThời gianPhí, lệ phíMô tả"

# 1.001193 Đăng ký khai sinh: three channels, time units lost, free
KHAI_SINH = H + "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí"

# 1.004194 Đăng ký tạm trú: one amount per channel, and "Trực tuyến" inside the description
TAM_TRU = H + (
    "Trực tuyến3 Ngày làm việc7,000 Việt Nam Đồng(- Đăng ký tạm trú (cá nhân, hộ gia đình): + Trường hợp "
    "công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 7.000 đồng/lần đăng ký.)- Nộp hồ sơ trực tuyến "
    "qua các cổng cung cấp dịch vụ công trực tuyến như: Trực tuyến qua Cổng dịch vụ công quốc gia, Cổng dịch "
    "vụ công Bộ Công an, ứng dụng VNeID hoặc dịch vụ công trực tuyến khác theo quy định của pháp luật.Trực "
    "tiếp3 Ngày làm việc10,000 Việt Nam Đồng(- Đăng ký tạm trú theo danh sách: + Trường hợp công dân nộp hồ "
    "sơ trực tiếp thu 10.000 đồng/người/lần đăng ký;)- Nộp hồ sơ trực tiếp tại Công an cấp xã."
)

# 1.008312: "Không quy định" time, free, long descriptions
KHONG_QUY_DINH = H + (
    "Trực tuyếnKhông quy địnhMiễn phíQua Cổng DVC Quốc gia đối với các TTHC đã toàn trình và được tích hợp"
    "Dịch vụ bưu chínhKhông quy địnhMiễn phíThông qua dịch vụ bưu chính công ích theo quy định của Thủ "
    "tướng Chính phủTrực tiếpKhông quy địnhMiễn phíTại TTPVHCC cấp tỉnh, xã"
)

# 1.000232: no time and no fee information; a description starting with "Trực tuyến:"
KHONG_CO_THONG_TIN = H + (
    "Trực tiếpKhông có thông tinKhông có thông tinnộp hồ sơ trực tiếp tại trụ sở Cục Quản lý xuất nhập cảnh."
    "Dịch vụ bưu chínhKhông có thông tinKhông có thông tinGửi hồ sơ và nhận kết quả qua đường bưu điện."
    "Trực tuyếnKhông có thông tinKhông có thông tinTrực tuyến: nộp hồ sơ trực tuyến qua Cổng dịch vụ công "
    "quốc gia hoặc Cổng dịch vụ công Bộ Công an."
)

# 2.002011: lost unit glued to a VNĐ amount that is really in thousands
GLUED = H + (
    "Trực tuyến1100 VNĐ(Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần (Thông tư số "
    "47/2019/TT-BTC))Dịch vụ bưu chính1100 VNĐ(Phí công bố nội dung đăng ký doanh nghiệp: 100.000 đồng/lần "
    "(Thông tư số 47/2019/TT-BTC))"
)

# 1.000014
THOUSANDS = H + "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)Trực tiếp120 VNĐ(20.000 vnđ /tờ khai)"

# 3.000347 Đổi GPLX: "Miễn phí" whose description states the fee, with a reduced rate that has ended
GPLX = H + (
    "Trực tuyến5 Ngày làm việcMiễn phí(- Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.  - Trường hợp tổ "
    "chức, cá nhân nộp hồ sơ theo hình thức trực tuyến: Kể từ ngày 01/12/2023 đến hết ngày 31/12/2025, áp "
    "dụng mức thu lệ phí là 115.000 đồng/lần cấp.)Trực tiếp5 Ngày làm việcMiễn phí(- Lệ phí cấp giấy phép "
    "lái xe: 135.000 đồng/lần.  - Trường hợp tổ chức, cá nhân nộp hồ sơ theo hình thức trực tuyến: Kể từ "
    "ngày 01/12/2023 đến hết ngày 31/12/2025, áp dụng mức thu lệ phí là 115.000 đồng/lần cấp.)"
)

# 1.000771: fee in USD
USD = H + "Trực tuyến5 Ngày làm việc10 USD(/lần)Dịch vụ bưu chính5 Ngày làm việc10 USD(/lần)Trực tiếp5 Ngày làm việc10 USD(/lần)"

# 3.000125: a VNĐ amount below 1,000 with nothing to correct it
SUSPECT = H + "Trực tuyến15 Ngày850 VNĐDịch vụ bưu chính15 Ngày850 VNĐTrực tiếp15 Ngày850 VNĐ"


def test_three_channels_lost_units_free() -> None:
    chans, problems = parse_submission_modes(KHAI_SINH)
    assert problems == []
    assert [c.kind for c in chans] == ["truc_tuyen", "buu_chinh", "truc_tiep"]
    assert [c.label for c in chans] == ["Trực tuyến", "Dịch vụ bưu chính", "Trực tiếp"]
    for c in chans:
        assert c.time_value == 1 and c.time_unit is None and "time_unit_missing" in c.flags
        assert c.fee_status == "free" and c.is_free and [f.amount_vnd for f in c.fees] == [0]


def test_amount_per_channel_and_label_inside_description() -> None:
    chans, problems = parse_submission_modes(TAM_TRU)
    assert problems == []
    assert [c.kind for c in chans] == ["truc_tuyen", "truc_tiep"]  # "Trực tuyến qua Cổng" is not a row
    online, office = chans
    assert (online.time_value, online.time_unit, online.time_text) == (3, "Ngày làm việc", "3 Ngày làm việc")
    assert online.fee_status == "paid" and online.fees[0].amount_vnd == 7000
    assert "7.000 đồng/lần đăng ký" in online.fees[0].description
    assert online.note.startswith("- Nộp hồ sơ trực tuyến") and "VNeID" in online.note
    assert office.fees[0].amount_vnd == 10000 and office.note.endswith("Công an cấp xã.")


def test_khong_quy_dinh_time_is_no_time_and_fee_free() -> None:
    chans, _ = parse_submission_modes(KHONG_QUY_DINH)
    assert len(chans) == 3
    for c in chans:
        assert c.time_value is None and "no_time" in c.flags
        assert c.fee_status == "free"
    assert chans[2].note == "Tại TTPVHCC cấp tỉnh, xã"


def test_no_information_is_unknown_not_free() -> None:
    chans, _ = parse_submission_modes(KHONG_CO_THONG_TIN)
    assert [c.kind for c in chans] == ["truc_tiep", "buu_chinh", "truc_tuyen"]
    for c in chans:
        assert c.fee_status == "unknown" and not c.is_free and c.fees == ()
        assert c.time_value is None
    assert chans[2].note.startswith("Trực tuyến: nộp hồ sơ")


def test_glued_time_and_amount_split_by_the_description() -> None:
    chans, _ = parse_submission_modes(GLUED)
    for c in chans:
        assert c.time_value == 1 and c.time_unit is None
        assert "time_fee_digits_split" in c.flags
        assert c.fees[0].amount_vnd == 100_000  # "100 VNĐ" with "100.000 đồng/lần" in the text
        assert "amount_thousands_corrected" in c.flags


def test_vnd_in_thousands_corrected() -> None:
    chans, _ = parse_submission_modes(THOUSANDS)
    assert [(c.time_value, c.fees[0].amount_vnd) for c in chans] == [(1, 20_000), (1, 20_000)]


def test_free_label_with_stated_fee_is_unclear() -> None:
    chans, _ = parse_submission_modes(GPLX)
    for c in chans:
        assert c.fee_status == "unclear" and "free_label_with_amounts" in c.flags
        assert [f.amount_vnd for f in c.fees] == [135_000, 115_000]


def test_usd_and_suspect_units() -> None:
    chans, _ = parse_submission_modes(USD)
    assert all(c.fees[0].currency == "USD" and c.fees[0].amount == 10 and c.fees[0].amount_vnd is None
               for c in chans)
    chans, _ = parse_submission_modes(SUSPECT)
    assert all(c.fees[0].amount_vnd == 850 and "amount_unit_suspect" in c.flags for c in chans)
    assert all((c.time_value, c.time_unit) == (15, "Ngày") for c in chans)


def test_empty_and_headerless() -> None:
    assert parse_submission_modes("") == ([], ["channels_empty"])
    chans, problems = parse_submission_modes("Trực tiếp2 Ngày làm việcMiễn phí")
    assert problems == ["channels_header_missing"] and chans[0].time_value == 2


def test_amounts_in_text() -> None:
    assert parse_vnd_amounts("135.000 đồng/lần; 400.000đ/hộ chiếu; 2 triệu đồng; 20.000 vnđ") == [
        135_000, 400_000, 2_000_000, 20_000,
    ]
