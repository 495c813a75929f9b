"""Complaints, ticket look-ups, handoff to a person and satisfaction ratings in the conversation.

``complaint_form`` (bot/domain.yml) asks, in order: category, what happened (a long first
message already counts), where (ward / procedure / dossier code, resolved with the gazetteer and
the catalogue; skippable), a contact phone (optional, Vietnamese mobile or landline) and, when a
phone is given, explicit consent to be called back; then a summary to confirm. "sửa …" asks a
field again, "bỏ qua" skips an optional one, "hủy" cancels at any point, and a question asked in
the middle is answered by its own rule before the form asks again (the extraction below leaves
such a message alone, so Rasa rejects the form action for that turn).

``action_submit_complaint`` commits the ticket first (``care.outbox.file_complaint``; when the
database is unreachable the complaint waits in the durable outbox) and only then tells the code
and the expected response time. The idempotency key is the gateway's ``message_id`` of the turn,
so a retried message never files a second ticket.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.message import first_entity, intent_name, message_text
from care import dialogue
from care.dialogue import FORM_SLOTS, SKIPPED
from dvcbot.hotlines import CALL_ANY

log = logging.getLogger(__name__)

HOTLINE = CALL_ANY
AUX_SLOTS = ["complaint_ward", "complaint_ward_name", "complaint_procedure", "complaint_dossier",
             "complaint_urgent", "complaint_cancelled"]


def _channel_session(sender_id: str) -> tuple[str, str]:
    channel, _, session_id = sender_id.partition(":")
    return (channel, session_id) if session_id else ("api", sender_id)


def turn_key(tracker: Tracker) -> str:
    """``sender:message_id`` of the latest message: the gateway's id when it gave one."""
    latest = tracker.latest_message or {}
    meta = latest.get("metadata") or {}
    mid = meta.get("message_id") or latest.get("message_id")
    if not mid:
        for event in reversed(tracker.events):
            if event.get("event") == "user":
                mid = (event.get("metadata") or {}).get("message_id") or event.get("message_id")
                break
    return f"{tracker.sender_id}:{mid or 'no-id'}"


def transcript(tracker: Tracker, limit: int = 30) -> list[dict[str, Any]]:
    items = []
    for event in tracker.events:
        kind = event.get("event")
        if kind == "user" and event.get("text"):
            items.append({"sender": "citizen", "text": event["text"], "at": event.get("timestamp")})
        elif kind == "bot" and event.get("text"):
            items.append({"sender": "bot", "text": event["text"], "at": event.get("timestamp")})
    return items[-limit:]


def lookup_reply(text: str) -> str | None:
    """The status of the ticket whose code the message contains (None when it has no code)."""
    from care.tickets import find_code

    code = find_code(text)
    if code is None:
        return None
    try:
        from care.db import current_url, ensure_tables
        from care.tickets import public_status
        from dvcbot.db import session_scope

        url = current_url()
        ensure_tables(url)
        with session_scope(url) as session:
            status = public_status(session, code)
            details = details_for_owner(session, code, text)
    except Exception as exc:  # noqa: BLE001
        log.warning("ticket lookup failed: %s", type(exc).__name__)
        return f"Xin lỗi, hiện tôi chưa tra cứu được phản ánh. Anh chị vui lòng thử lại sau hoặc gọi {HOTLINE}."
    if status is None:
        return (f"Tôi không tìm thấy phản ánh mã {code}. Anh chị kiểm tra lại mã, ví dụ PA-26-000123, "
                f"hoặc gọi {HOTLINE}.")
    if details:
        return details
    reply = f"Phản ánh {status['code']} ({status['category_label'].lower()}): {status['status_label'].lower()}."
    if status["public_reply"]:
        reply += f" Trả lời của Trung tâm: {status['public_reply']}"
    elif status["status"] in ("new", "in_progress", "waiting_citizen"):
        reply += f" Hạn trả lời: ngày {_vn_date(status['due'])}."
    return reply


def details_for_owner(session, code: str, text: str) -> str | None:
    """The ticket's details, only when the message also gives the phone number it was filed with."""
    from care import dialogue
    from care.tickets import CATEGORIES, STATUSES, by_code

    phone = dialogue.phone_of(text)
    ticket = by_code(session, code) if phone else None
    if ticket is None or not ticket.phone or ticket.phone != phone:
        return None
    reply = (f"Phản ánh {ticket.code}: {CATEGORIES[ticket.category][0].lower()}, nội dung: {ticket.description}. "
             f"Trạng thái: {STATUSES[ticket.status].lower()}.")
    if ticket.public_reply:
        reply += f" Trả lời của Trung tâm: {ticket.public_reply}"
    return reply


def live_faq_answer(text: str) -> str | None:
    """An FAQ answer staff approved in the console after the last deploy (None when none fits)."""
    try:
        from care.faq_live import answer_for

        return answer_for(text)
    except Exception as exc:  # noqa: BLE001 - no encoder or no database: the usual replies apply
        log.warning("live FAQ unavailable: %s", type(exc).__name__)
        return None


def _vn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d)}/{int(m)}/{y}"


#: said first when the message opening the form tells a serious matter (:func:`care.dialogue.is_serious`):
#: money asked beyond the fees, or an urgent one
SERIOUS_MONEY = (f"Việc đòi hoặc thu tiền ngoài phí, lệ phí quy định là sai phạm nghiêm trọng: anh chị có thể báo "
                 f"ngay qua {HOTLINE}. Tôi vẫn ghi lại phản ánh này để chuyển cán bộ xử lý.")
SERIOUS_URGENT = (f"Nếu sự việc gấp, anh chị gọi ngay {HOTLINE}. Tôi vẫn ghi lại phản ánh này để chuyển cán bộ "
                  f"xử lý.")


#: said first with every other complaint: the ticket is written, yet a citizen may rather call a person now
HOTLINE_ANYTIME = (f"Anh chị cũng có thể phản ánh trực tiếp qua {HOTLINE}. Tôi vẫn ghi lại phản ánh này để "
                   f"chuyển cán bộ xử lý.")


def serious_notice(slots: dict[str, Any]) -> str | None:
    """The hotline notice for the form's first reply when the opening message (its extracted ``slots``)
    tells a serious matter, else None."""
    category, description = slots.get("complaint_category"), slots.get("complaint_description")
    if not dialogue.is_serious(category, description):
        return None
    return SERIOUS_MONEY if category in dialogue.SERIOUS_CATEGORIES else SERIOUS_URGENT


def opening_notice(slots: dict[str, Any]) -> str:
    """The hotline notice of the form's first reply, whatever the complaint: the serious one's
    (:func:`serious_notice`) or the plain one (the hotline is there for every complaint)."""
    return serious_notice(slots) or HOTLINE_ANYTIME
#: after answering a question about where or how to complain, the form is offered
OFFER_FORM = 'Nếu anh chị muốn phản ánh ngay tại đây, xin nhắn "tôi muốn phản ánh" kèm nội dung sự việc.'
#: a question typed into the form that no FAQ entry answers: said honestly, then the form asks again
NOT_ANSWERED_IN_FORM = f"Câu hỏi này tôi chưa trả lời được trong lúc ghi phản ánh; anh chị có thể gọi {HOTLINE}."


def question_answer(text: str, in_form: bool = False) -> str | None:
    """The FAQ answer when ``text`` is a question (not a complaint told or a wish to complain) that an
    FAQ entry answers: "gửi phản ánh qua Zalo được không", "gọi số nào để phản ánh". None otherwise.
    ``in_form``: typed into the complaint form, where a channel asked is the complaint's
    (:func:`actions.faq.feedback_answer`: "gọi số nào"); the message opening it is not read so (a story
    told before "tôi muốn khiếu nại" starts the form)."""
    from knowledge_base.answer_check import asks_question
    from knowledge_base.contact import where_to_complain_clause

    if not text or text.startswith("/") or dialogue.phone_of(text) or not (
            asks_question(text) or dialogue.asks_contact_question(text)):
        return None
    try:
        from actions.faq import best_faq_answer, contact_answer, feedback_answer

        if in_form and (answer := feedback_answer(text)):
            return answer  # "gọi số nào", "có kênh nào góp ý online không": the complaint's channels
        if dialogue.asks_contact_question(text) and (answer := contact_answer(text)):
            return answer  # "số nào để phản ánh": the contact fact asked, not a neighbouring entry
        if (clause := where_to_complain_clause(text)) and (answer := contact_answer(clause)):
            return answer  # "… hẹn 7 ngày mà chưa có kết quả. Muốn phản ánh thì gửi ở đâu?": the complaint channel
        return best_faq_answer(text)
    except Exception as exc:  # noqa: BLE001 - no knowledge base: the form goes on as before
        log.warning("FAQ unavailable in the complaint form: %s", type(exc).__name__)
        return None


#: the actions that end a complaint (filed, or a question about complaining answered): the next message
#: is still read as asked while complaining
_COMPLAINT_ACTIONS = frozenset({"action_submit_complaint", "action_complaint_entry"})


def in_complaint(tracker: Tracker) -> bool:
    """True while the complaint form runs or right after it (the last action before the latest message
    filed the complaint or answered a question about complaining): "gọi số nào" asked there wants the
    complaint channel (:func:`knowledge_base.contact.feedback_entry_id`), not the general hotline."""
    # imported here: actions.fallback imports the modules that import this one
    from actions.fallback import previous_action

    if ((getattr(tracker, "active_loop", None) or {}).get("name")) == "complaint_form":
        return True
    last = previous_action(list(getattr(tracker, "events", None) or []))
    return last in _COMPLAINT_ACTIONS or last == "complaint_form"


def answer_feedback_channel(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict] | None:
    """In or right after a complaint (:func:`in_complaint`), a question about a channel ("gọi số nào",
    "có app nào để phản ánh không") gets the complaint's channel (:func:`actions.faq.feedback_answer`),
    whichever intent the NLU gave it. The events, or None when it is not such a question."""
    from actions.faq import feedback_answer, say_faq
    from knowledge_base.answer_check import asks_question

    text = message_text(tracker.latest_message or {})
    if not text or not in_complaint(tracker) or not (
            asks_question(text) or dialogue.asks_contact_question(text)):
        return None
    answer = feedback_answer(text)
    if answer is None:
        return None
    say_faq(dispatcher, answer)
    return [SlotSet("fallback_count", 0.0)]


def answer_in_form(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Answer a question typed into the form instead of a value (the form then asks again). True
    when ``text`` was such a question."""
    from knowledge_base.answer_check import asks_question

    if not text or dialogue.phone_of(text) or not (asks_question(text) or dialogue.asks_contact_question(text)):
        return False
    dispatcher.utter_message(text=question_answer(text, in_form=True) or NOT_ANSWERED_IN_FORM)
    return True


class ActionComplaintEntry(Action):
    """``file_complaint``: a message with a ticket code is a look-up; otherwise the form starts."""

    def name(self) -> str:
        return "action_complaint_entry"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        text = message_text(tracker.latest_message)
        reply = lookup_reply(text)
        if reply is None and (answer := question_answer(text)) is not None:
            # "có gửi phản ánh qua iHanoi được không" asks ABOUT complaining: answered, the form is offered
            reply = f"{answer}\n{OFFER_FORM}"
        if reply is not None:  # handled without the form (the rule then listens)
            dispatcher.utter_message(text=reply)
            return [SlotSet("complaint_lookup", True)]
        return [SlotSet("complaint_lookup", False)] + [SlotSet(s, None) for s in FORM_SLOTS + AUX_SLOTS]


class ValidateComplaintForm(FormValidationAction):
    def name(self) -> str:
        return "validate_complaint_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        if tracker.slots.get("complaint_cancelled"):
            return []
        slots = list(FORM_SLOTS)
        if tracker.slots.get("complaint_phone") == SKIPPED:
            slots.remove("complaint_consent")
        return slots

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[dict]:
        updates = self.interpret(tracker)
        if tracker.slots.get("requested_slot") is None and not tracker.slots.get("complaint_cancelled"):
            dispatcher.utter_message(text=opening_notice(updates))  # the hotline now, the ticket too
        tracker.slots.update(updates)
        return [SlotSet(k, v) for k, v in updates.items()]

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> list[dict]:
        """The validated form slots plus the helper slots (ward code, cancel flag …) set this turn."""
        aux = {k: v for k, v in tracker.slots_to_validate().items() if k in AUX_SLOTS}
        events = await super().get_validation_events(dispatcher, tracker, domain)
        done = {e["name"] for e in events}
        return events + [SlotSet(k, v) for k, v in aux.items() if k not in done]

    @staticmethod
    def interpret(tracker: Tracker) -> dict[str, Any]:
        """Which slots the latest message fills (an empty dict leaves it to the other rules)."""
        message = tracker.latest_message or {}
        text = message_text(message).strip()
        intent = intent_name(message)
        requested = tracker.slots.get("requested_slot")
        if not text or text.startswith("/"):
            return {}
        if requested is None:  # the message that opened the form
            out: dict[str, Any] = {}
            category = dialogue.category_of(text)
            description = dialogue.description_of_first_message(text)
            if category and category != "other":
                out["complaint_category"] = category
            if description:
                out["complaint_description"] = description
                if dialogue.is_urgent(description):
                    out["complaint_urgent"] = True
            ward = first_entity(message, "ward")
            if ward:
                place = dialogue.place_of("", ward, first_entity(message, "procedure"),
                                          first_entity(message, "dossier_code"))
                if place.ward_code:
                    out.update(complaint_where=place.label(), complaint_ward=place.ward_code,
                               complaint_ward_name=place.ward_name, complaint_procedure=place.procedure_code,
                               complaint_dossier=place.dossier_code)
            return out
        if dialogue.is_cancel(text):
            return {"complaint_cancelled": True}
        fix = dialogue.correction_of(text)
        if fix:
            out = {fix: None, "complaint_confirm": None}
            if fix == "complaint_phone":
                out["complaint_consent"] = None
            return out
        phone_answer = requested == "complaint_phone" and dialogue.phone_of(text)
        if intent == "request_human" and not phone_answer:
            return {}
        if dialogue.is_question(intent, text, requested) and not phone_answer:
            return {}
        if requested == "complaint_where":
            place = dialogue.place_of(text, first_entity(message, "ward"), first_entity(message, "procedure"),
                                      first_entity(message, "dossier_code"))
            if dialogue.is_skip(text):
                return {"complaint_where": SKIPPED}
            return {"complaint_where": place.label() if place.ward_code else text[:500],
                    "complaint_ward": place.ward_code, "complaint_ward_name": place.ward_name,
                    "complaint_procedure": place.procedure_code, "complaint_dossier": place.dossier_code}
        if requested == "complaint_description":
            return {"complaint_description": text, **({"complaint_urgent": True} if dialogue.is_urgent(text) else {})}
        if requested in ("complaint_category", "complaint_phone", "complaint_consent", "complaint_confirm"):
            return {requested: text}
        return {}

    # ---- validation: normalise or refuse with a short explanation ----------------------------
    def validate_complaint_category(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        if value is None:  # cleared by a correction: ask again
            return {"complaint_category": None}
        from care.tickets import CATEGORIES

        if value in CATEGORIES:
            return {"complaint_category": value}
        category = dialogue.category_of(str(value))
        if category is None and not answer_in_form(dispatcher, str(value)):
            dispatcher.utter_message(text="Anh chị chọn một nhóm trong danh sách, hoặc nhắn số từ 1 đến 6 ạ.")
        return {"complaint_category": category}

    def validate_complaint_description(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        if value is None:  # cleared by a correction: ask again
            return {"complaint_description": None}
        from care.tickets import MAX_DESCRIPTION

        text = str(value or "").strip()
        if len(text) < 10 or dialogue.is_skip(text):
            dispatcher.utter_message(text="Anh chị kể rõ hơn một chút sự việc giúp tôi: việc gì, khi nào, "
                                          "ở bộ phận nào ạ.")
            return {"complaint_description": None}
        if len(text) > MAX_DESCRIPTION:
            dispatcher.utter_message(text=f"Nội dung dài quá, tôi ghi nhận {MAX_DESCRIPTION} ký tự đầu tiên.")
        return {"complaint_description": text[:MAX_DESCRIPTION]}

    def validate_complaint_where(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        if value is None:  # cleared by a correction: ask again
            return {"complaint_where": None}
        if (value != SKIPPED and tracker.get_slot("requested_slot") == "complaint_where"
                and answer_feedback_channel(dispatcher, tracker) is not None):
            return {"complaint_where": None}  # "thế gửi đơn ở đâu" is a question, not the place
        return {"complaint_where": str(value)[:500] if value else SKIPPED}

    def validate_complaint_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> dict[str, Any]:
        if value is None:  # cleared by a correction: ask again
            return {"complaint_phone": None}
        text = str(value or "")
        if text == SKIPPED or dialogue.is_skip(text):
            return {"complaint_phone": SKIPPED, "complaint_consent": "no"}
        phone = dialogue.phone_of(text)
        if phone is None and not answer_in_form(dispatcher, text):  # "hoặc tôi gọi số nào để phản ánh"
            dispatcher.utter_message(text="Số điện thoại chưa đúng. Anh chị nhắn số di động 10 chữ số, ví dụ "
                                          "0912 345 678, số cố định 11 chữ số, hoặc nhắn \"bỏ qua\".")
        return {"complaint_phone": phone}

    def validate_complaint_consent(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        if value is None:  # cleared by a correction: ask again
            return {"complaint_consent": None}
        if value in ("yes", "no"):
            return {"complaint_consent": value}
        answer = dialogue.yes_no(str(value or ""))
        if answer is None and answer_in_form(dispatcher, str(value or "")):
            return {"complaint_consent": None}
        if answer is None:
            dispatcher.utter_message(text="Anh chị trả lời \"đồng ý\" hoặc \"không\" giúp tôi ạ.")
            return {"complaint_consent": None}
        return {"complaint_consent": "yes" if answer else "no"}

    def validate_complaint_confirm(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        if value is None:  # cleared by a correction: ask again
            return {"complaint_confirm": None}
        if value == "yes":
            return {"complaint_confirm": "yes"}
        answer = dialogue.yes_no(str(value or ""))
        if answer is True:
            return {"complaint_confirm": "yes"}
        if answer is False:
            return {"complaint_cancelled": True, "complaint_confirm": "no"}
        dispatcher.utter_message(text="Anh chị nhắn \"gửi\" để gửi phản ánh, \"sửa nội dung\", \"sửa số điện "
                                      "thoại\" để sửa, hoặc \"hủy\".")
        return {"complaint_confirm": None}


def summary(slots: dict[str, Any]) -> str:
    from care.tickets import CATEGORIES

    category = CATEGORIES.get(slots.get("complaint_category") or "other", CATEGORIES["other"])[0]
    where = slots.get("complaint_where")
    phone = slots.get("complaint_phone")
    parts = [f"Nhóm: {category}.", f"Nội dung: {slots.get('complaint_description')}."]
    if where and where != SKIPPED:
        parts.append(f"Nơi xảy ra: {where}.")
    if phone and phone != SKIPPED:
        consent = "đồng ý" if slots.get("complaint_consent") == "yes" else "không đồng ý"
        parts.append(f"Số liên hệ: {phone} ({consent} để cán bộ gọi lại).")
    return " ".join(parts)


class ActionAskComplaintConfirm(Action):
    def name(self) -> str:
        return "action_ask_complaint_confirm"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        dispatcher.utter_message(
            text="Tôi xin đọc lại phản ánh. " + summary(tracker.slots) + " Anh chị gửi phản ánh này chứ ạ?",
            buttons=[{"title": "Gửi phản ánh", "payload": "gửi phản ánh"},
                     {"title": "Sửa nội dung", "payload": "sửa nội dung"},
                     {"title": "Sửa số điện thoại", "payload": "sửa số điện thoại"},
                     {"title": "Hủy", "payload": "hủy"}])
        return []


class ActionAskComplaintCategory(Action):
    def name(self) -> str:
        return "action_ask_complaint_category"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        from care.tickets import CATEGORIES

        spoken = "; ".join(f"{i}, {label.lower()}" for i, (label, _h) in enumerate(CATEGORIES.values(), 1))
        dispatcher.utter_message(text=f"Tôi sẽ ghi nhận phản ánh của anh chị để chuyển cán bộ xử lý. Anh chị phản "
                                      f"ánh về việc gì: {spoken}? Anh chị có thể nhắn \"hủy\" bất cứ lúc nào.",
                                 buttons=dialogue.category_buttons())
        return []


def _reset() -> list[dict]:
    return [SlotSet(s, None) for s in FORM_SLOTS + AUX_SLOTS]


class ActionSubmitComplaint(Action):
    """Commit the ticket first, then tell the code and the expected response time."""

    def name(self) -> str:
        return "action_submit_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        from care.outbox import file_complaint
        from care.tickets import ComplaintInput, response_time_text

        slots = tracker.slots
        if slots.get("complaint_cancelled") or slots.get("complaint_confirm") != "yes":
            dispatcher.utter_message(text="Dạ, tôi đã hủy phản ánh, chưa gửi gì cho cán bộ. Anh chị cần hỗ trợ "
                                          "gì thêm cứ nhắn cho tôi ạ.")
            return _reset()
        channel, session_id = _channel_session(tracker.sender_id)
        phone = slots.get("complaint_phone")
        where = slots.get("complaint_where")
        category = slots.get("complaint_category") or "other"
        data = ComplaintInput(
            idem_key=turn_key(tracker), category=category, description=slots.get("complaint_description") or "",
            channel=channel, session_id=session_id, where_text=None if where in (None, SKIPPED) else where,
            ward_code=slots.get("complaint_ward"), ward_name=slots.get("complaint_ward_name"),
            procedure_code=slots.get("complaint_procedure"), dossier_code=slots.get("complaint_dossier"),
            phone=None if phone in (None, SKIPPED) else phone, consent=slots.get("complaint_consent") == "yes",
            urgent=bool(slots.get("complaint_urgent")))
        try:
            filed = file_complaint(data)
        except Exception as exc:  # noqa: BLE001 - a bad complaint must not crash the turn
            log.warning("complaint not filed: %s: %s", type(exc).__name__, exc)
            dispatcher.utter_message(text=f"Xin lỗi, tôi chưa ghi nhận được phản ánh. Anh chị vui lòng gọi {HOTLINE} "
                                          f"để cán bộ ghi nhận trực tiếp.")
            return _reset()
        if filed.queued:
            dispatcher.utter_message(text="Xin lỗi, hệ thống tiếp nhận đang gián đoạn nên tôi chưa cấp được mã phản "
                                          "ánh ngay. Phản ánh của anh chị đã được lưu lại và sẽ tự động chuyển tới cán "
                                          f"bộ khi hệ thống hoạt động trở lại. Nếu cần gấp, anh chị gọi {HOTLINE}.")
            return _reset()
        spoken_code = " ".join(filed.code.split("-"))
        text = (f"Tôi đã tiếp nhận phản ánh của anh chị, mã phản ánh là {filed.code} (đọc là {spoken_code}). "
                f"Trung tâm sẽ trả lời {response_time_text(category)}. Để xem kết quả, anh chị nhắn "
                f"\"tra cứu phản ánh {filed.code}\".")
        dispatcher.utter_message(text=text, custom={"ticket_code": filed.code})
        events = _reset()
        if data.urgent:
            notice = open_handoff(tracker, "urgent_complaint", filed.ticket_id)
            if notice:
                dispatcher.utter_message(text="Vì phản ánh có nội dung khẩn, " + notice[0].lower() + notice[1:])
        return events


def open_handoff(tracker: Tracker, reason: str, ticket_id: int | None = None) -> str | None:
    """Open a handoff with the transcript; the sentence for the citizen (None when it failed)."""
    try:
        from care.db import current_url, ensure_tables
        from care.handoff import citizen_notice
        from care.handoff import open_handoff as open_it
        from dvcbot.db import session_scope

        channel, session_id = _channel_session(tracker.sender_id)
        url = current_url()
        ensure_tables(url)
        with session_scope(url) as session:
            open_it(session, channel, session_id, reason, transcript(tracker), ticket_id)
        return citizen_notice()
    except Exception as exc:  # noqa: BLE001
        log.warning("handoff not opened: %s", type(exc).__name__)
        return None


class ActionRequestHuman(Action):
    """``request_human``: hand the conversation to a person (honest about working hours)."""

    def name(self) -> str:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        notice = open_handoff(tracker, "request_human")
        if notice is None:
            dispatcher.utter_message(text=f"Hiện tôi chưa chuyển được cuộc trò chuyện sang cán bộ. Anh chị vui lòng "
                                          f"gọi {HOTLINE} để được cán bộ hỗ trợ trực tiếp.")
        else:
            dispatcher.utter_message(text=notice)
        return []


class ActionRateService(Action):
    """``rate_service``: store a 1–5 rating ("5 sao", "hài lòng"), or ask for one with buttons."""

    def name(self) -> str:
        return "action_rate_service"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict]:
        from care import ratings

        text = message_text(tracker.latest_message)
        score = ratings.parse_score(text)
        if score is None:
            dispatcher.utter_message(text=ratings.QUESTION, buttons=ratings.buttons())
            return []
        channel, session_id = _channel_session(tracker.sender_id)
        topic = tracker.slots.get("procedure") or previous_intent(tracker)
        comment = text if len(text.split()) > 4 else None
        ask = ratings.asks_for_comment(score, comment)  # the next message is taken as the comment
        try:
            from care.db import current_url, ensure_tables
            from dvcbot.db import session_scope

            url = current_url()
            ensure_tables(url)
            with session_scope(url) as session:
                ratings.record(session, score, channel, session_id, topic, comment, idem_key=turn_key(tracker),
                               comment_asked=ask)
        except Exception as exc:  # noqa: BLE001
            log.warning("rating not stored: %s", type(exc).__name__)
            ask = False
        thanks = ratings.THANKS[score >= 4]
        dispatcher.utter_message(text=f"{thanks} {ratings.COMMENT_QUESTION}" if ask else thanks)
        return []


def previous_intent(tracker: Tracker) -> str | None:
    """The intent of the user message before the rating (the topic it is about)."""
    seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen += 1
            if seen == 2:
                name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
                return name if name not in (None, "rate_service") else None
    return None
