"""The committed FAQ file: complete, sourced, written in speakable Vietnamese with diacritics."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from dvcbot.settings import get_settings
from dvcbot.textnorm import fold, strip_accents
from knowledge_base.faq import CATEGORIES, Faq, load_faqs

ROOT = get_settings().root
NATIONAL = ROOT.parent / "shared" / "data" / "procedures" / "national_procedures_2026.jsonl.gz"

_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]")
_MARKUP = re.compile(r"[*#|`\[\]<>_~]|\(|\)")
#: frequent words that are never written without diacritics in a proper answer
#: (only words that do not exist unaccented; "thu", "so", "tai" are real words and are left out)
_UNACCENTED = {"khong", "duoc", "nguoi", "dien", "thoai", "tuc", "viec", "phuong", "nhieu", "duong"}
_SENTENCE_END = re.compile(r"[.?!](?:\s|$)")

FAQS = load_faqs()


def _ids(faqs: list[Faq]) -> list[str]:
    return [f.id for f in faqs]


def test_enough_entries_in_every_category() -> None:
    counts = Counter(f.category for f in FAQS)
    assert len(FAQS) >= 40
    assert set(counts) == set(CATEGORIES)
    assert all(n >= 5 for n in counts.values()), counts


@pytest.mark.parametrize(
    "faq_id",
    [
        "vneid.level2_register", "vneid.activate", "vneid.qr_login", "vneid.forgot_password",
        "vneid.forgot_passcode", "vneid.otp_not_received", "vneid.change_phone", "vneid.lock",
        "vneid.unlock", "vneid.children", "vneid.integrate_documents", "vneid.level1_vs_level2",
        "payment.steps", "payment.receipt", "payment.deducted_unpaid", "payment.bank_transfer",
        "payment.banks_wallets", "payment.zero_fee_hanoi", "submission.steps", "submission.status_lookup",
        "submission.full_vs_partial", "submission.supplement", "submission.results_by_post",
        "submission.postal_fee_26000", "submission.postage_support_100", "submission.all_online",
        "contact.hotline", "contact.switchboard", "contact.zalo_viber", "contact.ihanoi", "contact.hours",
        "contact.website", "contact.branches_any_residence", "contact.branch_network",
    ],
)
def test_required_topics_are_covered(faq_id: str) -> None:
    assert faq_id in _ids(FAQS)


@pytest.mark.parametrize("faq", FAQS, ids=_ids(FAQS))
def test_answer_is_polite_short_speakable_and_sourced(faq: Faq) -> None:
    for text in filter(None, (faq.answer, faq.expired_answer)):
        assert text.startswith("Dạ,"), text
        assert 2 <= len(_SENTENCE_END.findall(text)) <= 6, text
        assert not _EMOJI.search(text), text
        assert not _MARKUP.search(text), text
        assert "Nguồn:" in text.rsplit(". ", 2)[-1] or "Nguồn:" in text.rsplit(". ", 3)[-2], text
        assert "http" not in text  # URLs are in source_url; the spoken text names the source
    assert faq.source_url and all(u.startswith(("https://", "http://")) for u in faq.source_url)


@pytest.mark.parametrize("faq", FAQS, ids=_ids(FAQS))
def test_question_and_answer_have_full_diacritics(faq: Faq) -> None:
    for text in filter(None, (faq.question, faq.answer, faq.expired_answer)):
        assert strip_accents(text) != text
        words = re.findall(r"[^\W\d_]+", text.lower())
        bare = sorted(set(words) & _UNACCENTED)
        assert not bare, f"{faq.id}: words without diacritics {bare}"
        accented = sum(1 for w in words if strip_accents(w) != w)
        assert accented / len(words) > 0.4, f"{faq.id}: only {accented}/{len(words)} words accented"


@pytest.mark.parametrize("faq", FAQS, ids=_ids(FAQS))
def test_paraphrases_are_varied(faq: Faq) -> None:
    assert 5 <= len(faq.paraphrases) <= 10
    keys = [fold(p) for p in faq.paraphrases]
    assert len(set(keys)) == len(keys), "duplicate paraphrase"
    assert any(strip_accents(p) == p for p in faq.paraphrases), "no paraphrase without diacritics"
    assert any(strip_accents(p) != p for p in faq.paraphrases), "no paraphrase with diacritics"


def test_paraphrases_are_unique_across_entries() -> None:
    owner: dict[str, str] = {}
    for f in FAQS:
        for p in (f.question, *f.paraphrases):
            key = fold(p)
            assert owner.setdefault(key, f.id) == f.id, f"{p!r} in {owner[key]} and {f.id}"


def test_paraphrases_are_not_in_evaluation_sets() -> None:
    eval_dir = ROOT / "data" / "eval"
    if not eval_dir.is_dir():
        pytest.skip("no evaluation sets yet")
    eval_keys: set[str] = set()
    for path in eval_dir.iterdir():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".jsonl":
            eval_keys |= {fold(json.loads(line)["query"]) for line in text.splitlines() if line.strip()}
        else:
            eval_keys |= {fold(m) for m in re.findall(r"^\s*-\s+(.+)$", text, re.M)}
    leaked = [p for f in FAQS for p in f.paraphrases if fold(p) in eval_keys]
    assert not leaked, leaked


def test_dated_policies() -> None:
    by_id = {f.id: f for f in FAQS}
    zero = by_id["payment.zero_fee_hanoi"]
    assert str(zero.valid_until) == "2025-12-31" and zero.expired_answer
    assert "hết hiệu lực" in zero.expired_answer and "31/12/2025" in zero.expired_answer
    assert str(by_id["submission.results_by_post"].valid_from) == "2026-01-01"
    assert str(by_id["submission.all_online"].valid_from) == "2025-09-03"
    assert str(by_id["contact.branches_any_residence"].valid_from) == "2025-07-01"
    assert "26.000 đồng" in by_id["submission.postal_fee_26000"].answer
    assert "39/2024/NQ-HĐND" in by_id["submission.postal_fee_26000"].answer
    # every entry that mentions an end date of a policy carries it as valid_until
    for f in FAQS:
        if "đến hết ngày" in f.answer:
            assert f.valid_until is not None, f.id


@lru_cache(maxsize=1)
def _national() -> dict[str, str]:
    with gzip.open(NATIONAL, "rt", encoding="utf-8") as fh:
        return {r["ma_thu_tuc"]: r["detail_url"] for r in map(json.loads, fh)}


@pytest.mark.skipif(not NATIONAL.is_file(), reason="shared procedure records not available")
def test_procedure_codes_and_portal_links_match_the_national_records() -> None:
    national = _national()
    url_to_code = {u: c for c, u in national.items()}
    for f in FAQS:
        for code in f.related_procedures:
            assert code in national, f"{f.id}: unknown procedure {code}"
        for code in re.findall(r"\b\d\.\d{6}\b", f.answer):
            assert code in f.related_procedures or code in national, f"{f.id}: {code}"
        for url in f.source_url:
            if "dichvucong.gov.vn/thu-tuc-hanh-chinh/" in url:
                assert url in url_to_code, f"{f.id}: {url} is no procedure page"


def test_every_source_is_listed_in_provenance() -> None:
    provenance = (Path(ROOT) / "data" / "faq" / "PROVENANCE.md").read_text(encoding="utf-8")
    missing = sorted({u for f in FAQS for u in f.source_url if u not in provenance})
    assert not missing, missing
