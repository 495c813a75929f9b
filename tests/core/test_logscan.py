from tests.logscan import IGNORE_MARK, scan_logs


def test_scan_finds_raw_numbers_and_shows_them_masked(tmp_path):
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "rasa.log").write_text("ok line\nuser said sdt 0912345678\nfee 840.000.000 đồng\n")
    (tmp_path / "gateway.log").write_text("turn web-msg-001203004567 intent=greet confidence=0.9123456789\n")
    (tmp_path / "notes.txt").write_text("0912345678 in a file that is not a log\n")
    findings = scan_logs(tmp_path)
    assert len(findings) == 1
    assert findings[0].endswith("rasa.log:2: user said sdt 091****678")
    assert "0912345678" not in findings[0]
    # planted on purpose: the session-end scan of tests/conftest.py must not count it
    (tmp_path / IGNORE_MARK).touch()
    assert scan_logs(tmp_path) == []
    assert scan_logs(tmp_path.parent) == [] or all(str(tmp_path) not in f for f in scan_logs(tmp_path.parent))
