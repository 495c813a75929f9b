"""One parse: text → Rasa's parse dict (intent, ranking, entities) + ``procedure_candidates``.

Rasa posts every user message, button payloads included, to ``/model/parse`` when the NLU is an
external HTTP server, so payloads like ``/affirm`` or ``/ask_procedure{"procedure": "1.001193"}``
are answered here exactly as Rasa's own RegexMessageHandler would (confidence 1.0).
"""

from __future__ import annotations

import json
import re
from typing import Any

from dvcbot.textnorm import clean, fold
from knowledge_base.aspects import asks_fee
from nlu import backends
from nlu.classifier import FALLBACK_THRESHOLD
from nlu.context_free import (
    VAGUE_INTENTS,
    is_star_rating,
    names_no_procedure,
    procedure_question_intent,
    search_text,
    topic_payload,
    vocabulary_entity,
)
from nlu.entities import number_entities, request_aspect_entity
from nlu.intents import FALLBACK_INTENT, NO_ASPECT_INTENTS, PAYLOAD_INTENTS, PROCEDURE_INTENTS
from nlu.model import NluModel
from nlu.model import load as load_model
from nlu.request import (
    asks_about_hotline,
    asks_consequence,
    asks_everyday_errand,
    asks_for_number,
    asks_new_ward,
    asks_service_hours,
    asks_to_ask,
    asks_vneid_account,
    asks_where_in_place,
    asks_yes_no,
    combine,
    corrects_request,
    declares_complaint,
    is_record_correction,
    is_request,
    procedure_without_cue,
    request_text,
    story_topic,
    vneid_is_the_channel,
)
from nlu.spans import Word, words

#: Rasa lists at most this many intents in ``intent_ranking``
RANKING_LENGTH = 10
#: longest text parsed; the HTTP service answers 413 beyond it (the CLI reports an error line)
MAX_CHARS = 5000
#: procedure entity ("the text names a procedure"): the best procedure must score at least this on
#: the knowledge base's fused scale (0..~1.2; unrelated texts score about 0.4-0.6) ...
PROCEDURE_MIN_SCORE = 0.7
#: ... lead the best procedure with a different title by this much (the same title at several
#: government levels is one name) ...
PROCEDURE_MIN_MARGIN = 0.02
#: ... share this many content words with the title (so "nộp hồ sơ trực tuyến" names nothing) ...
PROCEDURE_MIN_OVERLAP = 2
#: ... or, when the message says the best procedure's whole title ("đăng ký thường trú nộp trực tuyến
#: có được miễn lệ phí không": the channel and fee words lower the score), score at least this much
PROCEDURE_TITLE_SAID_SCORE = 0.6
CANDIDATES = 5
_PAYLOAD = re.compile(r"^\s*/([A-Za-z_][\w-]{0,63})\s*(\{.*\})?\s*$", re.S)
#: words that do not name a procedure on their own (generic verbs, question words, channel words)
_STOP = frozenset(
    fold(
        "làm thủ tục cấp đăng ký giấy của cho tôi có không cần gì ở đâu bao nhiêu lâu thế nào là và được mất hồ sơ "
        "nộp trực tuyến online qua mạng lệ phí phí thanh toán tiền khiếu nại tố cáo phản ánh kiến nghị giải quyết "
        "về với các những một hai 2 mức độ ngày như sao nào thì mà đã bị đi đến tại trên theo để"
    ).split()
)


class TextError(ValueError):
    status = 400


class EmptyText(TextError):
    def __init__(self) -> None:
        super().__init__('text is empty: send {"text": "..."} with the user\'s message')


class TextTooLong(TextError):
    status = 413

    def __init__(self, n: int) -> None:
        super().__init__(f"text has {n} characters; the NLU parses at most {MAX_CHARS}")


def _title_words(ws: list[Word], title: str) -> list[Word]:
    """The content words of the text that also occur in the procedure title."""
    title_words = set(fold(title).split()) - _STOP
    return [w for w in ws if w.folded in title_words]


class NluParser:
    def __init__(self, model: NluModel | None = None) -> None:
        self.model = model or load_model()
        self.embed = backends.embedder() if self.model.meta.get("uses_embeddings") else None
        if self.model.meta.get("uses_embeddings") and self.embed is None:
            raise RuntimeError(
                "the NLU model needs the sentence encoder, which could not be loaded: "
                "run `dvcbot kb convert-model`, then `dvcbot nlu train`"
            )
        self.intents = list(self.model.classifier.classes)
        self.payload_intents = PAYLOAD_INTENTS

    def warm_up(self) -> None:
        """Load the knowledge base and the gazetteer now, not on the first user message."""
        self.parse("xin chào, làm căn cước ở phường hoàn kiếm cần gì")

    # ---------------------------------------------------------------------------------------------
    def parse(self, text: Any) -> dict[str, Any]:
        if not isinstance(text, str) or not clean(text):  # clean() also drops zero-width characters
            raise EmptyText()
        if len(text) > MAX_CHARS:
            raise TextTooLong(len(text))
        typed_topic = topic_payload(text)  # "thủ tục hành chính" typed = the topic button
        if typed_topic is not None:
            text = typed_topic
        payload = _PAYLOAD.match(text)
        if payload:
            parsed = self._parse_payload(text, payload)
            if parsed is not None:
                return parsed
        if not fold(text):  # only punctuation or symbols: nothing to classify
            return self._result(text, [(i, 0.0) for i in self.intents], [], [])
        ranking, whole = self._rank_with_whole(text)
        if is_star_rating(text):  # "2 sao": a rating button's payload or its typed twin
            ranking = _first("rate_service", ranking)
        ws = words(text)
        entities = number_entities(text, ws)
        ward = backends.find_ward(text)
        if ward is not None:
            entities.append(
                {
                    "entity": "ward",
                    "value": ward.value,
                    "start": ward.start,
                    "end": ward.end,
                    "confidence": 1.0,
                    "extractor": "dvcbot_gazetteer",
                }
            )
        top_intent = ranking[0][0] if ranking[0][1] >= FALLBACK_THRESHOLD else FALLBACK_INTENT
        if is_record_correction(top_intent, text):  # "quê quán ghi sai, muốn sửa lại": a procedure
            ranking = _first("ask_procedure", ranking, floor=0.0)
            top_intent = "ask_procedure"
        aspect = None
        if top_intent not in NO_ASPECT_INTENTS:
            aspect = request_aspect_entity(text, ws)  # "ở đâu và bao nhiêu tiền": both, so none
            if aspect:
                entities.append(aspect)
        candidates, proc_entity = self._procedures(text, ws, top_intent)
        titles = {c["code"]: c["name"] for c in candidates}
        term_entity, about_procedure = vocabulary_entity(text)  # "tách khẩu", "giấy chứng tử"
        if term_entity is not None:
            bundle = _bundle(term_entity["value"], candidates, text)
            if bundle is not None:  # "khai sinh, nhập hộ khẩu và thẻ BHYT cho bé": the interconnected one
                term_entity = {**term_entity, "value": bundle, "extractor": "dvcbot_vocabulary_bundle"}
            proc_entity = term_entity
            candidates = [c for c in candidates if c["code"] != term_entity["value"]]
        elif proc_entity and about_procedure and names_no_procedure(text):
            proc_entity = None  # "giấy phép lao động": no catalogue procedure; the search's look-alike is not it
        if proc_entity:
            entities.append(proc_entity)
        topic = story_topic(whole, ranking) if not proc_entity and not about_procedure else None
        if topic is not None:  # "con lớp 3, trường đòi tài khoản định danh. Trẻ con đăng ký kiểu gì": the story's topic
            ranking = _first(topic, ranking, floor=0.0)
            top_intent = topic
        if proc_entity and vneid_is_the_channel(top_intent, text):  # "đăng ký kết hôn trên vneid được không"
            ranking = _first("ask_procedure", ranking, floor=0.0)
        # "tách hộ làm ở công an phường hay …", "thành lập công ty …": a named procedure without a word
        # of finding a nearby point or of paying online is a question about that procedure
        # ... and so is one the classifier took for a complaint or for the online-filing process without a
        # word of either ("nghỉ việc rồi muốn rút bhxh 1 lần", "làm hộ chiếu nộp online có rẻ hơn không")
        cueless = procedure_without_cue(top_intent, text, titles.get(proc_entity["value"]) if proc_entity else None)
        # ... and the fee of a named procedure filed online ("làm hộ chiếu nộp online lệ phí có phải 160
        # nghìn"): the procedure's fee answers it, by date, not the filing steps
        cueless = cueless or (top_intent == "ask_online_submission" and proc_entity is not None and asks_fee(text))
        # a named procedure is never out of scope, a greeting or a question about the bot
        # ("mua bảo hiểm y tế hộ gia đình", "giải thể doanh nghiệp" under the fallback threshold)
        if proc_entity and (top_intent in VAGUE_INTENTS or cueless):
            about_procedure = True
        if about_procedure and (top_intent in VAGUE_INTENTS or cueless):
            target = procedure_question_intent(ranking)
            if vneid_is_the_channel(target, text):  # "rút bhxh 1 lần nộp trên vneid được không"
                target = "ask_procedure"
            ranking = _first(target, ranking)
        current = ranking[0][0] if ranking[0][1] >= FALLBACK_THRESHOLD else FALLBACK_INTENT
        first_two = (ranking[0][0], ranking[1][0] if len(ranking) > 1 else None)
        if not proc_entity and asks_vneid_account(current, text, first_two):  # the account, not a look-alike
            ranking = _first("ask_vneid", ranking)
        current = ranking[0][0] if ranking[0][1] >= FALLBACK_THRESHOLD else FALLBACK_INTENT
        if ward is not None and not proc_entity and asks_new_ward(current, text):
            # "nhà ở phường X cũ, giờ sáp nhập thuộc phường nào": the new ward and where to go
            ranking = _first("find_agent", ranking)
        elif (ward is not None and not proc_entity and not about_procedure
              and asks_where_in_place(current, aspect["value"] if aspect else None, _without_places(text))):
            # "xã Đức Giang huyện Hoài Đức bây giờ nộp giấy tờ ở đâu": the ward's service points
            ranking = _first("find_agent", ranking)
        elif not proc_entity and asks_about_hotline(current, text):  # "tổng đài 1900 có mất phí không"
            ranking = _first("ask_contact", ranking)
        elif not proc_entity and not about_procedure and ward is None and asks_to_ask(text):
            # "hỏi cái này với ạ", "tôi cần hỏi việc": an opening, the greeting with the topic buttons
            ranking = _first("greet", ranking)
        elif asks_service_hours(current, text):  # "đêm có ai trả lời không": the hours, not "are you a bot"
            ranking = _first("ask_contact", ranking)
        elif not proc_entity and not about_procedure and asks_everyday_errand(current, text):
            # "quanh đây có cây xăng nào", "ngân hàng nào lãi suất cao": an errand, out of scope
            ranking = _first("out_of_scope", ranking)
        elif declares_complaint(current, text):  # "app vneid trừ tiền vô lý, tôi muốn phản ánh"
            ranking = _first("file_complaint", ranking)
        if asks_consequence(current, text):  # "không báo thì có sao không": a question, not a "no"
            ranking = _first("ask_procedure", ranking, floor=0.0)
        elif asks_yes_no(current, text):  # "cần bản vẽ không", "lâu ko": a yes/no question, not a "no"
            ranking = _first("ask_procedure", ranking, floor=0.0)
        elif corrects_request(current, text):  # "à không, ý tôi là tạm trú thôi": the request restated
            ranking = _first("ask_procedure", ranking)
        if top_intent == "request_human" and asks_for_number(text):  # "cho tôi xin số điện thoại để gọi hỏi cán bộ"
            ranking = _first("ask_contact", ranking, floor=0.0)
        entities.sort(key=lambda e: (e["start"], e["entity"]))
        return self._result(text, ranking, entities, candidates)

    def rank(self, text: str) -> list[tuple[str, float]]:
        """The classifier's ranking of the message, mixed with that of its request part when the
        message wraps its question in an address or a story (:mod:`nlu.request`)."""
        return self._rank_with_whole(text)[0]

    def _rank_with_whole(self, text: str) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """(:meth:`rank`'s ranking, the whole message's own ranking)."""
        part = request_text(text)
        if part is None:
            ranking = self.model.classifier.rank(text, self.embed)
            return ranking, ranking
        probs = self.model.classifier.predict_proba([text, part], self.embed)
        classes = self.model.classifier.classes
        whole = sorted(zip(classes, map(float, probs[0]), strict=True), key=lambda kv: -kv[1])
        asked = sorted(zip(classes, map(float, probs[1]), strict=True), key=lambda kv: -kv[1])
        return (combine(whole, asked) if is_request(asked) else whole), whole

    def _result(
        self, text: str, ranking: list[tuple[str, float]], entities: list[dict], candidates: list[dict]
    ) -> dict[str, Any]:
        ranked = [{"name": n, "confidence": round(c, 4)} for n, c in ranking[:RANKING_LENGTH]]
        best = ranked[0]
        if best["confidence"] < FALLBACK_THRESHOLD:
            best = {"name": FALLBACK_INTENT, "confidence": FALLBACK_THRESHOLD}
            ranked = [best, *ranked[: RANKING_LENGTH - 1]]
        return {
            "text": text,
            "intent": dict(best),
            "intent_ranking": ranked,
            "entities": entities,
            "procedure_candidates": candidates,
        }

    def _procedures(self, text: str, ws: list[Word], intent: str) -> tuple[list[dict], dict | None]:
        hits = _kb_procedures(text)
        if not hits:
            return [], None
        candidates = [{"code": h.id, "name": h.title, "score": round(float(h.score), 4)} for h in hits]
        top = hits[0]
        other = next((h for h in hits[1:] if fold(h.title) != fold(top.title)), None)
        margin = float(top.score) - (float(other.score) if other is not None else 0.0)
        if (
            (intent not in PROCEDURE_INTENTS and intent not in VAGUE_INTENTS)
            or top.score < (PROCEDURE_TITLE_SAID_SCORE if (said := says_title(text, top.title)) else PROCEDURE_MIN_SCORE)
            or margin < PROCEDURE_MIN_MARGIN
        ):
            return candidates, None
        named = _title_words(ws, top.title)
        if len({w.folded for w in named}) < PROCEDURE_MIN_OVERLAP and not said:  # said with slips: "đăng kí thường chú"
            return candidates, None
        start, end = (named[0].start, named[-1].end) if named else (0, len(text))
        return candidates, {
            "entity": "procedure",
            "value": top.id,
            "start": start,
            "end": end,
            "confidence": round(float(top.score), 4),
            "extractor": "dvcbot_kb",
        }

    def _parse_payload(self, text: str, m: re.Match) -> dict[str, Any] | None:
        """Rasa's ``/intent{"entity": "value"}`` payload syntax (buttons, quick replies)."""
        name, raw = m.group(1), m.group(2)
        if name not in self.payload_intents:
            return None  # "/abc" typed by a user is text, not a button
        entities: list[dict] = []
        if raw:
            try:
                data = json.loads(raw)
            except ValueError:
                return None  # not a payload after all: classify it as text
            if not isinstance(data, dict):
                return None
            start, end = m.start(2), m.end(2)
            for key, value in data.items():
                for v in value if isinstance(value, list) else [value]:
                    entities.append(
                        {
                            "entity": str(key),
                            "value": v,
                            "start": start,
                            "end": end,
                            "confidence": 1.0,
                            "extractor": "RegexMessageHandler",
                        }
                    )
        return {
            "text": text,
            "intent": {"name": name, "confidence": 1.0},
            "intent_ranking": [{"name": name, "confidence": 1.0}],
            "entities": entities,
            "procedure_candidates": [],
        }


def _without_places(text: str) -> str:
    """``text`` without the ward and district names the gazetteer finds in it (as it is without one)."""
    return backends.without_places(text)


def _first(intent: str, ranking: list[tuple[str, float]], floor: float = FALLBACK_THRESHOLD) -> list[tuple[str, float]]:
    """``ranking`` with ``intent`` first, at the top confidence (at least ``floor``: by default the fallback
    threshold, so the moved intent is not read as a fallback)."""
    return [(intent, max(ranking[0][1], floor)), *[r for r in ranking if r[0] != intent]]


def _bundle(code: str, candidates: list[dict], text: str) -> str | None:
    """A candidate that bundles the citizen term's procedure ``code`` with others the message names
    (:func:`knowledge_base.vocabulary.bundle_over`), else None."""
    kb = backends.kb()
    names = getattr(kb, "procedure_names", None) or {}
    name = names.get(code) or next((c["name"] for c in candidates if c["code"] == code), None)
    if name is None:
        try:
            from knowledge_base.catalogue import load_catalogue

            proc = load_catalogue().get(code)
            name = proc.name if proc is not None else None
        except Exception:  # the catalogue is optional here
            name = None
    if not name:
        return None
    from knowledge_base.vocabulary import bundle_over

    return bundle_over(name, [(c["code"], c["name"]) for c in candidates], text)


def _kb_procedures(text: str) -> list[Any]:
    """Top procedures for the text from the knowledge base ([] when it is unavailable). For a long
    message, the hits of its best supported request clause (:func:`_clause_supported`) when they
    put another procedure first or the same one more surely (the clause is not diluted by the story)."""
    kb = backends.kb()
    if kb is None:
        return []
    hits = list(kb.search(search_text(text, kb), k=CANDIDATES, kinds=("procedure",)))
    # the request clause's own ranking (its scores are not diluted by the story) when it is supported
    supported = _clause_supported(text, kb, [h.id for h in hits])
    if supported and hits and (supported[0].id != hits[0].id or float(supported[0].score) > float(hits[0].score)):
        return supported
    return hits


def _clause_supported(text: str, kb: Any, whole: list[str]) -> list[Any]:
    """For a long message: the search hits of the request clause whose first procedure is best
    supported (:func:`knowledge_base.vocabulary.best_supported`: first in a request clause and in
    ``whole``, the whole message's top codes); [] when none is (short message, no cue, no agreement)."""
    try:
        from knowledge_base.vocabulary import best_supported, request_clauses
    except ImportError:
        return []
    clauses = request_clauses(text)
    if not clauses:
        return []
    per_clause = [list(kb.search(search_text(c, kb), k=CANDIDATES, kinds=("procedure",))) for c in clauses]
    code = best_supported([[h.id for h in hits] for hits in per_clause], whole, k=CANDIDATES)
    if code is None:
        return []
    return max((hits for hits in per_clause if hits and hits[0].id == code), key=lambda hits: float(hits[0].score))


def says_title(text: str, title: str) -> bool:
    """Whether ``text`` (its slips corrected: "thường chú") holds the procedure ``title`` whole, as
    words in order, accent-insensitively: the procedure is named, whatever else is asked."""
    try:
        from knowledge_base.vocabulary import correct_spelling
    except ImportError:
        return False
    key = fold(title)
    return bool(key) and f" {key} " in f" {fold(correct_spelling(text))} "
