import logging

import pytest

from dvcbot.logs import PiiMaskingFilter, SafeFormatter, escape_controls, mask_pii, redact


def test_masks_citizen_id_and_phones():
    text = "CCCD 001203004567, sdt 0987654321, +84 912 345 678 va 024.38256686"
    masked = mask_pii(text)
    assert "001203004567" not in masked and "001******567" in masked
    assert "0987654321" not in masked and "098****321" in masked
    assert "912 345 678" not in masked
    assert "38256686" not in masked


def test_dossier_codes_and_money_are_kept():
    assert mask_pii("lệ phí 26000 đồng, mã hồ sơ G22.99-250101-0001") == "lệ phí 26000 đồng, mã hồ sơ G22.99-250101-0001"


def test_filter_masks_formatted_records(caplog):
    logger = logging.getLogger("test.pii")
    logger.addFilter(PiiMaskingFilter())
    with caplog.at_level(logging.INFO, logger="test.pii"):
        logger.info("caller %s", "0912345678")
    assert "0912345678" not in caplog.text


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("sdt 0912345678", "0912345678"),
        ("gọi 0912.345.678 nhé", "0912.345.678"),
        ("gọi 0912-345-678 nhé", "0912-345-678"),
        ("số 091 234 5678", "091 234 5678"),
        ("+84 912 345 678", "912 345 678"),
        ("+84912345678", "84912345678"),
        ("84912345678", "84912345678"),
        ("bàn (024) 3825 6686", "3825 6686"),
        ("bàn 024.3825.6686", "3825.6686"),
        ("bàn 02438256686", "02438256686"),
        ("sdt0912345678", "0912345678"),
        ("CCCD 001203004567", "001203004567"),
        ("CCCD 001 203 004 567", "001 203 004 567"),
        ("số định danh 123456789012", "123456789012"),
    ],
)
def test_personal_numbers_are_masked(text, hidden):
    assert hidden not in mask_pii(text)


@pytest.mark.parametrize(
    "text",
    [
        "lệ phí 840.000.000 đồng",
        "lệ phí 840000000 đồng",
        "84.312.345.678 đồng",
        "100.000.000.000 đồng",
        "intent=greet confidence=0.9123456789 latency_ms=912345678.5",
        "confidence 0.98 latency 0912 ms",
        "message_id=web-msg-001203004567",
        "message_id=zalo_0912345678_2",
        "session 550e8400-e29b-41d4-a716-446655440000",
        "0.0912345678",
        "gọi 1022 hoặc 1900 1234",
        "2026-11-30 15:20:31,123 pid 13509",
    ],
)
def test_amounts_confidences_and_ids_are_not_masked(text):
    assert mask_pii(text) == text


def test_tokens_are_hidden():
    assert redact("GET /status?token=s3cr3t&x=1") == "GET /status?token=***&x=1"


def test_a_newline_cannot_forge_a_log_line():
    assert escape_controls("a\nb\r\x1b[31m\u2028") == "a\\nb\\r\\x1b[31m\\u2028"
    record = logging.LogRecord("gateway", logging.INFO, __file__, 1, "message_id=%s",
                               ("m1\n2026-11-30 00:00:00 INFO gateway: forged",), None)
    PiiMaskingFilter().filter(record)
    line = SafeFormatter("%(levelname)s %(name)s: %(message)s").format(record)
    assert "\n" not in line and line.endswith("m1\\n2026-11-30 00:00:00 INFO gateway: forged")
    # the formatter alone (a handler without the filter) escapes too
    record = logging.LogRecord("gateway", logging.INFO, __file__, 1, "x\ny", (), None)
    assert SafeFormatter("%(message)s").format(record) == "x\\ny"
