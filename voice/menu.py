"""What the callbot says on its own (greeting, reprompts, keypad menu, transfer notices) and the keypad.

The keypad: 1 procedures, 2 VNeID, 3 online payment, 4 nearest agent, 5 complaint, 0 a person,
* the menu again. When the last reply offered choices (buttons), keys 1–8 pick those instead; after
4, keys 1–9 choose the ward (:mod:`voice.wardpad`) until the caller says something or presses *.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dvcbot.settings import Settings


@dataclass(frozen=True)
class KeypadOption:
    key: str
    spoken: str  # "thủ tục hành chính"
    payload: str  # what is sent to the turn service (a Rasa intent payload)


KEYPAD: tuple[KeypadOption, ...] = (
    KeypadOption("1", "hỏi về thủ tục hành chính", "/ask_procedure"),
    KeypadOption("2", "hỏi về tài khoản VNeID", "/ask_vneid"),
    KeypadOption("3", "hỏi về thanh toán phí trực tuyến", "/ask_online_payment"),
    KeypadOption("4", "tìm điểm hỗ trợ gần nhất", "/find_agent"),
    KeypadOption("5", "gửi phản ánh, kiến nghị", "/file_complaint"),
    KeypadOption("0", "gặp cán bộ", "/request_human"),
)
KEYPAD_BY_KEY = {o.key: o for o in KEYPAD}
MENU_KEY = "*"
PERSON_KEY = "0"
#: the nearest agent: after the conversation's question, the keypad ward choice (voice.wardpad)
AGENT_KEY = "4"
#: after a reply that named a public-service agent with a phone number: connect to that agent
CALL_AGENT_KEY = "9"

GREETING = ("Xin chào, đây là trợ lý tự động của Trung tâm Phục vụ hành chính công Hà Nội. "
            "Anh chị cần hỏi gì ạ? Anh chị cũng có thể bấm phím sao để nghe các lựa chọn.")
MENU = "Mời anh chị chọn: " + "; ".join(f"{o.spoken}, bấm phím {o.key}" for o in KEYPAD) + "."
REPROMPT = "Anh chị còn nghe máy không ạ? Anh chị cứ nói câu hỏi của mình, tôi đang nghe."
GOODBYE = "Tôi chưa nghe thấy anh chị nói. Cảm ơn anh chị đã gọi, xin chào và hẹn gặp lại."
NOT_UNDERSTOOD_KEY = "Xin lỗi, phím này chưa có lựa chọn nào."
TRANSFER_CARE = "Dạ, tôi xin chuyển máy tới cán bộ tổng đài. Anh chị vui lòng giữ máy trong giây lát."
TRANSFER_AGENT = "Dạ, tôi xin nối máy tới điểm hỗ trợ. Anh chị vui lòng giữ máy trong giây lát."
OFFER_AGENT_CALL = f"Nếu muốn gọi ngay cho điểm hỗ trợ này, anh chị bấm phím {CALL_AGENT_KEY}."
DEGRADED_OPTIONS = "Anh chị có thể bấm phím 0 để gặp cán bộ, hoặc bấm phím sao để nghe các lựa chọn."
TURN_FAILED = "Xin lỗi, hệ thống trả lời tự động đang tạm gián đoạn."
NO_CARE_NUMBER = ("Hiện tôi chưa chuyển máy được. Anh chị vui lòng gọi tổng đài 1022, nhánh 7 hoặc nhánh 8, "
                  "để gặp cán bộ.")
DIAL_FAILED = ("Xin lỗi, hiện cán bộ chưa nghe máy được. Anh chị vui lòng gọi lại sau ít phút, hoặc gọi "
               "tổng đài 1022, nhánh 7 hoặc nhánh 8. Xin cảm ơn.")
#: phrases that ask to be connected to the agent just named (said instead of pressing 9)
CALL_AGENT_PHRASES = ("gọi điểm", "nối máy", "gọi cho điểm", "gọi luôn", "gọi ngay")

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _parse_hours(text: str) -> tuple[dt.time, dt.time]:
    start, _, end = text.partition("-")
    return dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())


def within_working_hours(settings: Settings, now: dt.datetime | None = None) -> bool:
    """Whether the care centre's staff answer the phone now (Hanoi time)."""
    now = (now or dt.datetime.now(TIMEZONE)).astimezone(TIMEZONE)
    days = {int(d) for d in settings.working_days.split(",") if d.strip()}
    start, end = _parse_hours(settings.working_hours)
    return now.isoweekday() in days and start <= now.time() < end


def out_of_hours_message(settings: Settings) -> str:
    start, end = _parse_hours(settings.working_hours)

    def hm(t: dt.time) -> str:
        return f"{t.hour} giờ" + (f" {t.minute}" if t.minute else "")

    return (f"Hiện đã ngoài giờ làm việc, cán bộ làm việc từ {hm(start)} đến {hm(end)}, các ngày trong tuần "
            "trừ thứ Bảy và Chủ nhật. Anh chị vẫn có thể tiếp tục hỏi tôi, hoặc gọi lại trong giờ làm việc.")


#: what the callbot says on its own, synthesised when the process starts (``VoiceRuntime.warm_up``)
#: so no caller waits for them
FIXED_PROMPTS: tuple[str, ...] = (
    GREETING, MENU, REPROMPT, GOODBYE, NOT_UNDERSTOOD_KEY, TRANSFER_CARE, TRANSFER_AGENT, OFFER_AGENT_CALL,
    DEGRADED_OPTIONS, TURN_FAILED, NO_CARE_NUMBER,
)
