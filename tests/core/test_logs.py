import logging

from dvcbot.logs import PiiMaskingFilter, mask_pii


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
