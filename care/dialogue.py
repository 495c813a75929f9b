"""What the complaint form understands in a citizen's message; pure functions, tested without Rasa.

The action server's ``ValidateComplaintForm`` (``actions/complaint.py``) calls these: which
category a message names, whether it is a long first description, a cancel, a skip, a correction,
a question asked in the middle of the form, a yes/no, and where the complaint is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from care.tickets import CATEGORIES, find_code, normalize_phone
from dvcbot.textnorm import fold

#: order of the form's questions; ``complaint_consent`` only when a phone was given
FORM_SLOTS = ["complaint_category", "complaint_description", "complaint_where", "complaint_phone",
              "complaint_consent", "complaint_confirm"]
SKIPPED = "-"

#: category → folded keywords (first match wins; "other" is the choice "Khác")
_CATEGORY_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("extra_fees", ("them tien", "them phi", "thu them", "phong bi", "boi duong", "tien ngoai", "doi tien",
                    "nop them", "phi ngoai", "tien bo sung", "chi phi ngoai", "lam luat")),
    ("overdue", ("qua han", "tre hen", "tre han", "cham tra", "cham giai quyet", "cham tre", "het han ma",
                 "chua tra ket qua", "hen lai nhieu lan", "dung han")),
    ("system_error", ("loi he thong", "loi cong", "cong dich vu cong", "khong dang nhap", "loi trang",
                      "khong truy cap", "he thong loi", "bi loi", "loi ung dung", "loi vneid", "khong thanh toan duoc",
                      "web loi", "trang web")),
    ("wrong_guidance", ("huong dan sai", "huong dan khong", "sai huong dan", "huong dan lung tung",
                        "chi dan sai", "huong dan thieu", "bao sai", "noi sai")),
    ("staff_attitude", ("thai do", "hach dich", "to tieng", "cau gat", "thieu ton trong", "khong nhiet tinh",
                        "tac phong", "ung xu", "coc can", "gat gong", "kho chiu", "vo le", "quat nat", "nat no")),
    ("other", ("khac",)),
]
_CHOICES = list(CATEGORIES)  # "1".."6" on the phone keypad or typed

_LEAD_IN = re.compile(r"^(toi|em|minh|cho toi|cho em)?\s*(muon|can|xin|duoc)?\s*"
                      r"(gui\s+)?(phan anh|kien nghi|khieu nai|to cao|gop y)(\s+(ve|rang|la|viec))?\s*")
_QUESTION_WORDS = re.compile(r"\?|\b(bao nhieu|o dau|the nao|nhu the nao|lam sao|bao lau|gi khong|duoc khong|"
                             r"co phai|can nhung gi|giay to gi|khi nao|may gio|nop o dau|la gi)\b")
QUESTION_INTENTS = frozenset({"ask_procedure", "ask_vneid", "ask_online_payment", "ask_online_submission",
                              "ask_contact", "find_agent", "find_agent_more", "bot_challenge"})


def f(text: str) -> str:
    return fold(text or "")


def category_of(text: str) -> str | None:
    """The category a message names: a keypad digit, a button title or a keyword."""
    t = f(text).strip()
    if re.fullmatch(r"[1-6]", t):
        return _CHOICES[int(t) - 1]
    for key, (label, _hours) in CATEGORIES.items():
        if t == f(label):
            return key
    for key, words in _CATEGORY_WORDS:
        if any(re.search(r"\b" + re.escape(w) + r"\b", t) for w in words):
            return key
    return None


def category_buttons() -> list[dict]:
    return [{"title": label, "payload": label} for label, _h in CATEGORIES.values()]


def description_of_first_message(text: str) -> str | None:
    """A first message long enough to be the description itself ("tôi muốn phản ánh cán bộ …")."""
    folded = f(text)
    rest = _LEAD_IN.sub("", folded, count=1)
    return text.strip() if len(rest.split()) >= 5 else None


def is_cancel(text: str) -> bool:
    return bool(re.fullmatch(r"(thoi\s*)?(huy|huy bo|huy phan anh|dung lai|khong gui nua|thoi khong gui|"
                             r"thoi khong phan anh nua|bo|thoi)(\s*(nhe|a|di))?\s*[.!]?", f(text).strip()))


def is_skip(text: str) -> bool:
    return bool(re.fullmatch(r"(bo qua|khong co|khong|ko|k|khong muon|khong can|khong de lai|khong ro|"
                             r"khong biet|chua ro|skip|-)(\s*(a|nhe|dau))?\s*[.!]?", f(text).strip()))


def yes_no(text: str) -> bool | None:
    """Yes / no / neither; the "Đồng ý" and "Không" buttons send ``/affirm`` and ``/deny``."""
    t = f(text).strip()
    if re.fullmatch(r"(affirm|co|dong y|vang|da|ok|oke|duoc|u|uh|yes|co a|dong y a|vang a|da vang|dong y lien he|gui|"
                    r"gui phan anh|gui di|xac nhan|dung roi|dung)(\s*(a|nhe|di))?\s*[.!]?", t):
        return True
    if re.fullmatch(r"(deny|khong|ko|k|khong dong y|thoi|khong can|no)(\s*(a|nhe))?\s*[.!]?", t):
        return False
    return None


#: "sửa <field>" → the slot to ask again
_CORRECTIONS = [(r"loai|nhom|van de", "complaint_category"), (r"noi dung|mo ta|su viec", "complaint_description"),
                (r"dia diem|noi|phuong|xa|dia chi|o dau", "complaint_where"),
                (r"so dien thoai|sdt|dien thoai|so", "complaint_phone")]


def correction_of(text: str) -> str | None:
    t = f(text).strip()
    m = re.match(r"^(sua|doi|chinh|nhap lai)\s+(lai\s+)?(.*)$", t)
    if not m:
        return None
    for pattern, slot in _CORRECTIONS:
        if re.match(pattern, m.group(3)):
            return slot
    return None


def is_question(intent: str, text: str, requested_slot: str | None) -> bool:
    """A question asked in the middle of the form: answered, then the form goes on."""
    if intent not in QUESTION_INTENTS:
        return False
    if intent == "ask_contact" and asks_contact_question(text):
        return True  # "số nào để phản ánh" at any step (even where a place or a story is expected)
    if requested_slot == "complaint_description" and not _QUESTION_WORDS.search(f(text)):
        return False  # a description that mentions a procedure is still the description
    return bool(_QUESTION_WORDS.search(f(text))) or requested_slot not in ("complaint_description", "complaint_where")


def asks_contact_question(text: str) -> bool:
    """True when ``text`` asks for the centre's number or channel ("gọi số nào để phản ánh", "zalo trung
    tâm là gì"), not tells a story that mentions one ("gọi đường dây nóng mãi không ai nghe")."""
    from knowledge_base.answer_check import asks_question
    from knowledge_base.contact import asks_which_number, names_channel

    return names_channel(text) and (asks_question(text) or asks_which_number(text))


@dataclass
class Place:
    text: str
    ward_code: str | None = None
    ward_name: str | None = None
    procedure_code: str | None = None
    dossier_code: str | None = None

    def label(self) -> str:
        parts = [self.ward_name or self.text]
        if self.procedure_code:
            parts.append(f"thủ tục {self.procedure_code}")
        if self.dossier_code:
            parts.append(f"hồ sơ {self.dossier_code}")
        return ", ".join(p for p in parts if p)


_DOSSIER = re.compile(r"\b([A-Z0-9]{2,}[-.][A-Z0-9.\-]{4,}|\d{9,})\b")


def place_of(text: str, ward_entity: str | None = None, procedure_entity: str | None = None,
             dossier_entity: str | None = None) -> Place:
    """Where the complaint is about, resolved with the ward gazetteer and the procedure catalogue."""
    place = Place(text=text.strip()[:500], procedure_code=procedure_entity, dossier_code=dossier_entity)
    ward = None
    try:
        from routing.gazetteer import get_gazetteer

        gaz = get_gazetteer()
        if ward_entity:
            ward = gaz.ward(ward_entity) or None
            if ward is None:
                res = gaz.resolve(ward_entity)
                ward = res.candidates[0] if res.found and not res.ambiguous else None
        if ward is None:
            res = gaz.resolve(text)
            ward = res.candidates[0] if res.found and not res.ambiguous else None
    except Exception:  # noqa: BLE001 - no gazetteer data: keep the citizen's words
        ward = None
    if ward is not None:
        place.ward_code, place.ward_name = ward.code, ward.full_name
    if place.procedure_code is None:
        place.procedure_code = _procedure_code(text)
    if place.dossier_code is None:
        m = _DOSSIER.search(text)
        if m and normalize_phone(m.group(1)) is None and not find_code(m.group(1)):
            place.dossier_code = m.group(1)
    return place


def _procedure_code(text: str) -> str | None:
    m = re.search(r"\b(\d\.\d{6})\b", text)
    if m:
        return m.group(1)
    return None


def is_urgent(text: str) -> bool:
    return bool(re.search(r"\b(khan cap|rat gap|gap lam|can gap|nguy hiem|de doa|cuong ep|khan)\b", f(text)))


#: complaint categories serious enough that the hotline is said with the form's first reply: money
#: asked beyond the fees (a bribe, an "envelope") is a matter for the hotline right away, not only a ticket
SERIOUS_CATEGORIES = frozenset({"extra_fees"})


def is_serious(category: str | None, description: str | None) -> bool:
    """True when a complaint is serious (:data:`SERIOUS_CATEGORIES`) or urgent (:func:`is_urgent`)."""
    return category in SERIOUS_CATEGORIES or bool(description and is_urgent(description))


def phone_of(text: str) -> str | None:
    for m in re.finditer(r"\+?\d[\d .\-]{7,16}\d", text or ""):
        phone = normalize_phone(m.group(0))
        if phone:
            return phone
    return None
