"""``action_answer_faq``: VNeID, online payment, online submission and contact questions.

The answer is the best FAQ entry of the knowledge base that is valid today. Button payloads
("/ask_vneid") carry no wording, so each intent has a default question to search with.
A submission or payment question about one named procedure ("đăng ký tạm trú nộp online được
không?") is answered from that procedure instead: its own online channel or fee is what was asked.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import kb
from actions.agent_hours import answer_agent_hours
from actions.channel_followup import answer_channel_followup
from actions.complaint import answer_feedback_channel
from actions.fee_policy import answer_dated_fee_in, policy_followup_text, procedure_question_marks
from actions.followup import (
    answer_faq_followup,
    faq_marks,
    own_topic_followup,
    previous_faq_id,
    try_followup,
)
from actions.message import entity_values, intent_name, is_payload, message_text
from actions.online_support import answer_online_support
from actions.procedure import aspect_buttons, citizen_term, online_fee_policy_answer
from actions.ward_office import answer_ward_office
from actions.where_to_turn import after_procedure, answer_turn_to
from knowledge_base.aspects import ASPECTS

log = logging.getLogger(__name__)

#: the question asked on behalf of a button (or an empty message) for each FAQ intent
DEFAULT_QUESTIONS: dict[str, str] = {
    "ask_vneid": "kích hoạt tài khoản định danh điện tử VNeID mức 2",
    "ask_online_payment": "thanh toán phí, lệ phí trực tuyến trên Cổng dịch vụ công",
    "ask_online_submission": "cách nộp hồ sơ trực tuyến trên Cổng dịch vụ công",
    "ask_contact": "số điện thoại tổng đài liên hệ Trung tâm Phục vụ hành chính công Hà Nội",
}
#: the entry a topic button (a bare payload such as "/ask_online_submission") answers: the topic's way in.
#: Chosen here, not searched: a search for the default question drifts as entries gain paraphrases (the
#: filing button once answered how to pay)
TOPIC_ENTRIES: dict[str, str] = {
    "ask_vneid": "vneid.activate",
    "ask_online_payment": "payment.steps",
    "ask_online_submission": "submission.steps",
    "ask_contact": "contact.hotline",
}
#: FAQ category of each intent: among the first hits, an entry of the asked topic is preferred
CATEGORIES: dict[str, str] = {
    "ask_vneid": "vneid",
    "ask_online_payment": "payment",
    "ask_online_submission": "submission",
    "ask_contact": "contact",
}
#: intents whose question about a named procedure is that procedure's aspect
PROCEDURE_ASPECT_OF: dict[str, str] = {"ask_online_submission": "online", "ask_online_payment": "fee"}
#: search hits considered: the answer check (:func:`knowledge_base.answer_check.best_entry`) picks among
#: them by the words, so the entry that matches may sit a few places down ("hỗ trợ tiền cước": 6th)
MAX_HITS = 8
#: how far down the hits an entry of the asked category may be preferred over the top one
CATEGORY_WINDOW = 3
#: the first hits whose meaning the search lead is compared with (:func:`_search_lead`)
LEAD_RIVALS = 3


def topic_buttons() -> list[dict[str, str]]:
    """The topic buttons (:data:`nlu.intents.TOPIC_BUTTONS`, their one place)."""
    from nlu.intents import TOPIC_BUTTONS

    return [{"title": title, "payload": payload} for title, payload in TOPIC_BUTTONS.items()]


def topic_button_answer(message: dict[str, Any]) -> str | None:
    """The answer of the topic's entry (:data:`TOPIC_ENTRIES`) when the message is a topic button with no
    entity, or the button's title typed; None otherwise (a procedure's aspect button carries its
    procedure and is answered there)."""
    from dvcbot.textnorm import fold
    from nlu.intents import TOPIC_BUTTONS

    text = message_text(message)
    typed_title = fold(text.strip(" .?!")) in {fold(title) for title in TOPIC_BUTTONS}
    if not (is_payload(text) or typed_title) or (message.get("entities") or []):
        return None
    entry_id = TOPIC_ENTRIES.get(intent_name(message))
    entry = kb.faq_entry(entry_id) if entry_id else None
    return kb.faq_text(entry) if entry is not None else None


def question_for(message: dict[str, Any]) -> str:
    text = message_text(message).strip()
    if text and not is_payload(text):
        return text
    return DEFAULT_QUESTIONS.get(intent_name(message), DEFAULT_QUESTIONS["ask_online_submission"])


#: a message this short after an FAQ answer is read together with the question before it
SHORT_FOLLOW_UP_WORDS = 6


#: intents whose reply may be an FAQ answer although they are not FAQ topics (the procedure and
#: fallback actions answer from a covering FAQ entry: "cước bưu điện trả kết quả bao nhiêu")
FAQ_ANSWERING_INTENTS = frozenset({"ask_procedure", "nlu_fallback", "out_of_scope"})
#: how a procedure answer cites its procedure ("(mã 1.004194)")
_CITED_CODE = re.compile(r"\(mã (\d+\.\d+)\)")


def _previous_turn(events: list[dict[str, Any]]) -> tuple[dict[str, Any], str] | None:
    """The user's previous message event and the bot's reply to it (texts joined), or None."""
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if len(users) < 2:
        return None
    start, end = users[-2], users[-1]
    reply = "\n".join(str(e.get("text") or "") for e in events[start:end] if e.get("event") == "bot")
    return events[start], reply


def cited_codes(text: str) -> set[str]:
    """The procedure codes a reply cites as its answer."""
    return set(_CITED_CODE.findall(text))


def previous_faq_question(events: list[dict[str, Any]]) -> str | None:
    """The user's previous message when it was an FAQ question (VNeID, payment, submission, contact),
    or when the reply to it was not a procedure's answer although the NLU took it for a procedure
    question (an FAQ entry answered it)."""
    turn = _previous_turn(events)
    if turn is None:
        return None
    prev, reply = turn
    intent = ((prev.get("parse_data") or {}).get("intent") or {}).get("name")
    if intent not in CATEGORIES and not (intent in FAQ_ANSWERING_INTENTS and reply and not cited_codes(reply)):
        return None
    text = str(prev.get("text") or "")
    return None if is_payload(text) else text


def best_faq_answer(question: str, intent: str = "", context: str | None = None,
                    categories: frozenset[str] | None = None) -> str | None:
    """The answer of the best FAQ entry for ``question``, preferring the intent's category.

    The search ranks by the citizen's words; the intent only breaks near-ties, because the NLU can
    be wrong about the topic while the words rarely are. ``categories``: only entries of these
    categories are considered (a rule asked about a place is a contact rule, not the portal's).
    """
    entries = []
    query = f"{context} {question}" if context else question  # "có mất phí không" after a VNeID answer
    hits = list(kb.search(query, kinds={"faq"}, k=MAX_HITS))
    first_hits = list(hits)
    if context:  # the follow-up's own words may name another entry of the topic ("có mất phí không")
        hits += list(kb.search(question, kinds={"faq"}, k=MAX_HITS))
    elif not is_payload(question):  # a story before the question: the asking part's own hits as well
        from knowledge_base.answer_check import question_part

        if (part := question_part(question)) != question:
            hits += list(kb.search(part, kinds={"faq"}, k=MAX_HITS))
    for hit in hits:
        if getattr(hit, "kind", "faq") == "faq" and (entry := kb.faq_entry(str(hit.id))) is not None:
            entries.append(entry)
    entries = list({e.id: e for e in reversed(entries)}.values())[::-1]  # first occurrence kept, in order
    if categories is not None:
        entries = [e for e in entries if getattr(e, "category", None) in categories]
    wanted = CATEGORIES.get(intent)
    preferred = [e for e in entries[:CATEGORY_WINDOW] if getattr(e, "category", None) == wanted]
    ordered = list(dict.fromkeys([*preferred, *entries]))
    if not is_payload(question):  # the entry must answer what was asked, not only look close
        from knowledge_base.answer_check import best_entry

        checked = best_entry(question, entries, context, wanted, faq_similarity)  # the words decide (search order breaks ties), not the intent
        if not context:  # a clear search lead the meaning agrees with (:func:`_search_lead`)
            checked = _search_lead(question, checked, first_hits, categories, wanted)
        ordered = [checked] if checked is not None else []
    for entry in ordered:
        text = kb.faq_text(entry)
        if text:
            log.info("faq answer: id=%s intent=%s", entry.id, intent)
            return text
    return None


def _search_lead(question: str, checked: Any, hits: list[Any], categories: frozenset[str] | None,
                 topic: str | None = None) -> Any:
    """``checked``, or the first search hit when the search leads clearly and the meaning agrees
    (:func:`knowledge_base.answer_check.search_lead_entry`; ``topic``: the category of the NLU intent)."""
    from knowledge_base.answer_check import search_lead_entry

    pairs = [(kb.faq_entry(str(h.id)), float(h.score)) for h in hits[:LEAD_RIVALS] if getattr(h, "kind", "faq") == "faq"]
    if len(pairs) < 2 or pairs[0][0] is None or (
            categories is not None and getattr(pairs[0][0], "category", None) not in categories):
        return checked
    lead = search_lead_entry(question, checked, pairs, faq_similarity, topic)
    if lead is not checked:
        log.info("faq answer: search lead %s over %s", getattr(lead, "id", None), getattr(checked, "id", None))
    return lead


_ENTRY_VECTORS: dict[str, Any] = {}


def faq_similarity(message: str, entry: Any) -> float:
    """The e5 cosine of the message (or its question part) to the entry's question and paraphrases, best
    pair (both embedded as queries: the two are questions alike). 0.0 when the encoder is missing."""
    from knowledge_base.answer_check import question_part
    from knowledge_base.search import get_kb

    try:
        encoder = get_kb().encoder
        texts = list(dict.fromkeys([message, question_part(message)]))
        vectors = encoder.encode_queries(texts)
        key = str(getattr(entry, "id", ""))
        if key not in _ENTRY_VECTORS:
            _ENTRY_VECTORS[key] = encoder.encode_queries(list(entry.search_texts))
        return float((vectors @ _ENTRY_VECTORS[key].T).max())
    except Exception as exc:  # noqa: BLE001 - the words alone decide without the encoder
        log.warning("faq similarity unavailable: %s", exc)
        return 0.0


def _entry_answer(text: str, entry_of: Callable[[str], str | None], why: str) -> str | None:
    """The answer, as valid today, of the FAQ entry ``entry_of(text)`` names; None when it names none."""
    entry_id = entry_of(text) if text and not is_payload(text) else None
    entry = kb.faq_entry(entry_id) if entry_id else None
    answer = kb.faq_text(entry) if entry is not None else None
    if answer:
        log.info("faq answer: id=%s (%s)", entry_id, why)
    return answer


def contact_answer(text: str) -> str | None:
    """The answer of the contact entry whose aspect ``text`` asks (hours, e-mail, Zalo, where to
    complain …: :func:`knowledge_base.contact.contact_entry_id`), as valid today; None when the
    question names no aspect (the search and the channel list answer it)."""
    from knowledge_base.contact import contact_entry_id

    return _entry_answer(text, contact_entry_id, "contact aspect")


def feedback_answer(text: str) -> str | None:
    """The answer of the contact entry ``text`` asks while complaining (the complaint channel, the
    iHanoi app, a named channel: :func:`knowledge_base.contact.feedback_entry_id`), as valid today; None
    when it asks no channel."""
    from knowledge_base.contact import feedback_entry_id

    return _entry_answer(text, feedback_entry_id, "asked while complaining")


def asks_intent_aspect(message: dict[str, Any]) -> bool:
    """True when the message's question asks the aspect its intent stands for (the fee of a payment
    question, the online channel of a submission question), looked for in the part that asks
    (:func:`knowledge_base.answer_check.question_part`), not in the story before it."""
    wanted = PROCEDURE_ASPECT_OF.get(intent_name(message))
    named = [a for a in entity_values(message, "procedure_aspect") if a in ASPECTS]
    if named:
        return wanted in named
    from knowledge_base.answer_check import question_part
    from knowledge_base.aspects import detect_aspect

    text = message_text(message)
    return is_payload(text) or detect_aspect(question_part(text)) == wanted


def in_faq_topic_of_other_kind(tracker: Tracker, category: str) -> bool:
    """True when the latest message is a short follow-up (:func:`actions.followup.is_short_followup`) of an
    FAQ answer whose topic is not ``category``: that topic is read first, before the shortcut of the
    intent's own topic (the NLU takes "dùng số điện thoại của ai" after the children's VNeID answer for a
    contact question)."""
    from actions.followup import conversation_topic, faq_topic_category, is_short_followup

    topic = conversation_topic(list(getattr(tracker, "events", None) or []))
    if topic is None or topic.kind != "faq" or not is_short_followup(tracker.latest_message or {}):
        return False
    kind = faq_topic_category(topic)
    return kind is not None and kind != category


def say_faq(dispatcher: CollectingDispatcher, text: str) -> None:
    """Say an FAQ answer marked with its entry and the entry's topic (:func:`actions.followup.faq_marks`):
    a submission answer given to a message the NLU read as a contact question ("Hà Nội nhận hết thủ
    tục qua mạng chưa") is reported as the submission question it answered, and is the topic of the
    next follow-up."""
    dispatcher.utter_message(text=text, **faq_marks(text))


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        if text := topic_button_answer(message):  # "Nộp hồ sơ trực tuyến" pressed: how to file, as valid today
            say_faq(dispatcher, text)
            return [SlotSet("fallback_count", 0.0)]
        if (events := answer_feedback_channel(dispatcher, tracker)) is not None:
            return events  # "gọi số nào" in or after a complaint: where complaints go, not the hotline
        if (events := answer_online_support(dispatcher, tracker)) is not None:
            return events  # "giờ nộp online có hỗ trợ gì không": today's support
        if text := policy_followup_text(message, previous_faq_id(tracker)):  # "vậy giờ trả theo mức nào"
            say_faq(dispatcher, text)
            return [SlotSet("fallback_count", 0.0)]
        if (events := answer_channel_followup(dispatcher, tracker)) is not None:
            return events  # "trực tiếp thì bao nhiêu" after an aside within a procedure: that procedure's fee
        if not after_procedure(tracker) and (events := answer_turn_to(dispatcher, message, anywhere_only=True)):
            return events  # "chỗ nào nộp cũng được à": the any-branch rule, not the list of branches again
        # "gọi tổng đài số mấy" after a VNeID answer: that topic's own number, not the centre's hotline
        if in_faq_topic_of_other_kind(tracker, "contact") and (entry := own_topic_followup(
                message, list(tracker.events))) is not None and (events := answer_faq_followup(dispatcher, entry)):
            return events
        if intent_name(message) == "ask_contact" and (events := answer_ward_office(dispatcher, tracker)) is not None:
            return events  # "thế còn ủy ban xã ở đâu" after the points near that commune: its office
        if intent_name(message) == "ask_contact" and (events := answer_agent_hours(dispatcher, tracker)) is not None:
            return events  # "chỗ đó mấy giờ mở cửa" after the nearest places: their hours, not the hotline's
        if (intent_name(message) == "ask_contact" and not entity_values(message, "ward")
                and (text := contact_answer(message_text(message)))):
            say_faq(dispatcher, text)  # "tổng đài có trực chủ nhật không": the hours, not the list
            return [SlotSet("fallback_count", 0.0)]
        # "còn được giảm nửa lệ phí không" after a procedure, "đăng ký thường trú online vẫn miễn phí à": its fee today
        if (events := answer_dated_fee_in(dispatcher, tracker)) is not None:
            return events
        if not after_procedure(tracker) and (policy := online_fee_policy_answer(message, free_named=True)):
            say_faq(dispatcher, policy)  # "năm ngoái nộp trên mạng không mất đồng nào, giờ thôi rồi à": by its dates
            return [SlotSet("fallback_count", 0.0)]
        # "có mất phí không?" after a procedure; "mở khóa ở đâu" after a VNeID answer
        if (events := try_followup(dispatcher, tracker, domain)) is not None:
            return events
        if (fee := self._fee_cut_reply(message)) is not None:  # "đổi căn cước có còn được giảm 50% lệ phí không"
            text, buttons, events = fee  # the procedure it names: a procedure question, whatever the NLU read
            dispatcher.utter_message(text=text, buttons=buttons, **procedure_question_marks())
            return events
        term = citizen_term(message)
        if term is not None and term.answer:  # "bảo hiểm thất nghiệp": not in the catalogue, said honestly
            dispatcher.utter_message(text=term.answer)
            return [SlotSet("fallback_count", 0.0)]
        procedure_reply = self._procedure_reply(message)
        if procedure_reply is not None and not asks_intent_aspect(message):
            # a story naming a procedure, then a question that is not its fee / online channel ("đã bị
            # trừ tiền mà hồ sơ vẫn báo chưa thanh toán"): an FAQ entry that covers it answers first
            text = best_faq_answer(question_for(message), intent_name(message))
            if text:
                say_faq(dispatcher, text)
                return [SlotSet("fallback_count", 0.0)]
        if procedure_reply is not None:
            text, buttons, events = procedure_reply
            dispatcher.utter_message(text=text, buttons=buttons)
            return events
        question = question_for(message)
        context = previous_faq_question(tracker.events) if len(question.split()) <= SHORT_FOLLOW_UP_WORDS else None
        text = (best_faq_answer(question, intent_name(message), context) if context else None) or best_faq_answer(
            question, intent_name(message))
        if not text:  # an answer staff approved in the care console since the last deploy
            from actions.complaint import live_faq_answer

            text = live_faq_answer(question)
        if text:
            say_faq(dispatcher, text)
            return [SlotSet("fallback_count", 0.0)]
        if intent_name(message) == "ask_contact":
            dispatcher.utter_message(response="utter_contact")
            return []
        named = self._named_procedure_reply(message)  # "đăng ký tạm trú trên app VNeID": the procedure
        if named is not None:
            text, buttons, events = named
            dispatcher.utter_message(text=text, buttons=buttons)
            return events
        dispatcher.utter_message(response="utter_faq_not_found", buttons=topic_buttons())
        return []

    @classmethod
    def _fee_cut_reply(cls, message: dict[str, Any]) -> tuple[str, list[dict[str, str]], list[Any]] | None:
        """A question about a fee cut that names a procedure (:func:`knowledge_base.aspects.asks_fee_cut`):
        that procedure's fee as valid today, its cut and until when; None otherwise."""
        from knowledge_base.answer_check import question_part
        from knowledge_base.aspects import asks_fee_cut

        text = message_text(message)
        if is_payload(text) or not asks_fee_cut(question_part(text)):
            return None
        return cls._named_procedure_reply(message, aspect="fee")

    @staticmethod
    def _named_procedure_reply(message: dict[str, Any], aspect: str | None = None
                               ) -> tuple[str, list[dict[str, str]], list[Any]] | None:
        from actions.procedure import alternatives_of, choose_procedure, with_alternatives

        decision = choose_procedure(message, None, kb.catalogue())
        if decision.kind != "answer" or decision.code is None:
            return None
        aspect = aspect or decision.aspect or PROCEDURE_ASPECT_OF.get(intent_name(message), "online")
        proc = kb.procedure(decision.code)
        text = kb.procedure_text(proc, aspect) if proc is not None else None
        if text is None:
            return None
        text, buttons = with_alternatives(text, proc, aspect, alternatives_of(decision, kb.catalogue()))
        return text, buttons, [
            SlotSet("procedure", proc.code), SlotSet("procedure_aspect", aspect), SlotSet("fallback_count", 0.0)]

    @staticmethod
    def _procedure_reply(message: dict[str, Any]) -> tuple[str, list[dict[str, str]], list[Any]] | None:
        default_aspect = PROCEDURE_ASPECT_OF.get(intent_name(message))
        if default_aspect is None:
            return None
        proc = next(
            (p for c in entity_values(message, "procedure") if (p := kb.procedure(c)) is not None), None
        )
        if proc is None:
            return None
        aspect = next((a for a in entity_values(message, "procedure_aspect") if a in ASPECTS), default_aspect)
        text = kb.procedure_text(proc, aspect)
        if text is None:
            return None
        events = [
            SlotSet("procedure", proc.code),
            SlotSet("procedure_aspect", aspect),
            SlotSet("fallback_count", 0.0),
        ]
        return text, aspect_buttons(proc.code, aspect), events
