"""A short question where or to whom to turn, naming nothing else: a contact answer, never "which procedure?".

After any answer (an FAQ entry, the note that districts are gone, nothing at all) citizens ask where to
turn: for more help ("hỏi thêm ở đâu", "không tự làm được thì sao", "cần người chỉ thì gọi ai"), where to
go now ("vậy giờ ra đâu làm"), or whether any office will do ("chỗ nào nộp cũng được à"). Such a message
names no procedure, so the procedure search finds none and would ask which procedure. :func:`turn_to_entry`
is the deciding function: the contact entry that answers it (the hotline, the network of branches and
commune points, or the rule that any branch takes any resident), or None.
"""

from __future__ import annotations

import re
from typing import Any

from dvcbot.textnorm import fold, tokens

#: whether any office will do ("chỗ nào nộp cũng được", "nộp ở đâu cũng được à", "chi nhánh nào cũng làm được")
_ANYWHERE = re.compile(r"\b(?:o dau|dau|cho nao|noi nao|diem nao|chi nhanh nao|phuong nao|xa nao)"
                       r"(?: \w+){0,2} cung (?:duoc|nhan|lam duoc|nop duoc)\b"
                       # or whether one must file at a given office ("có bắt buộc nộp ở đó không", "nhất thiết phải
                       # làm tại phường mình à"): the same rule answers it
                       r"|\b(?:bat buoc|nhat thiet|buoc|phai)(?: \w+){0,2} (?:nop|lam)(?: ho so| giay to| thu tuc)?"
                       r" (?:o|tai) (?:do|day|dung|phuong|xa|chi nhanh|diem|noi|cho)\b")
#: where or whom to ask for help ("hỏi thêm ở đâu", "liên hệ ai", "gọi số nào", "ai hướng dẫn")
_ASK_WHERE = re.compile(r"\b(?:hoi|lien he|lien lac|goi|nho|tu van)(?: them)?(?: (?:o|voi|cho|toi|den))?"
                        r" (?:dau|ai|cho nao|noi nao|so nao|so may)\b|\bai (?:giup|ho tro|huong dan|chi|lam ho|lam giup)\b")
#: the citizen cannot do it alone ("không tự làm được", "ko lm dc", "không biết làm") ...
_CANNOT = re.compile(r"\b(?:khong|chua) (?:\w+ ){0,3}(?:duoc|noi)\b|\bkhong biet (?:lam|dung|cach)\b")
#: ... and asks what then ("thì sao", "thì s", "thì làm thế nào", "phải làm gì")
_WHAT_THEN = re.compile(r"\b(?:thi|phai) (?:lam )?(?:sao|s|the nao|ntn|nhu nao|lam gi|gi)\b")
#: where to go to get it done, no procedure named ("ra đâu làm", "đi đâu nộp", "làm ở chỗ nào", "nộp ở đâu")
_GO_WHERE = re.compile(r"\b(?:ra|di|den|toi|len|lam|nop)(?: ho so| giay to)?(?: o| tai)? (?:dau|cho nao|noi nao)\b")
#: the words such a question may hold besides its own (folded): nothing that names a procedure or a paper
_OWN_WORDS = frozenset(tokens(
    "thế thì còn vậy nữa giờ bây nay ạ ơi nhé nhỉ à ừ dạ vâng bạn em anh chị cháu bà ông bác cô chú ad tôi mình con "
    "nếu mà nhưng không ko chưa được dc tự làm nộp hồ sơ giấy tờ hỏi thêm liên hệ lạc gọi nhờ ai giúp hỗ trợ "
    "hướng dẫn chỉ tư vấn ở đâu chỗ nào nơi điểm chi nhánh phường xã ra đi đến tới lên tại cũng nhận số mấy "
    "sao s thế nào như gì phải biết cách nổi hả hở có của cho với hay là đó này kia cần người muốn để "
    "bắt buộc nhất thiết đúng khác"))
MAX_WORDS = 16  # "thế mình có bắt buộc nộp ở đó không hay chỗ nào cũng được": two choices asked
#: the entries answering each kind of question
ANYWHERE_ENTRY = "contact.branches_any_residence"
HELP_ENTRY = "contact.hotline"
GO_ENTRY = "contact.branch_network"


def turn_to_entry(text: str) -> str | None:
    """The contact entry answering a short question where or to whom to turn that names nothing else (any
    office will do: the any-branch rule; help: the hotline; where to go: the branches and commune points),
    or None."""
    from actions.followup import unaddressed

    text = unaddressed(text)  # "ad" is whom the message is said to, not the hotline asked for
    words = tokens(text)
    if not words or len(words) > MAX_WORDS or any(w not in _OWN_WORDS and not w.isdigit() for w in words):
        return None
    folded = fold(text)
    if _ANYWHERE.search(folded):
        return ANYWHERE_ENTRY
    if _ASK_WHERE.search(folded) or (_CANNOT.search(folded) and _WHAT_THEN.search(folded)):
        return HELP_ENTRY
    if _GO_WHERE.search(folded):
        return GO_ENTRY
    return None


def answer_turn_to(dispatcher: Any, message: dict[str, Any], anywhere_only: bool = False
                   ) -> list[dict[str, Any]] | None:
    """Say the contact entry :func:`turn_to_entry` picks for ``message``; None when it picks none.
    ``anywhere_only``: only the any-branch rule, which no topic's own entry answers better (read before
    them; where to get help may be the topic's own answer)."""
    from actions import kb
    from actions.followup import answer_faq_followup
    from actions.message import is_payload, message_text

    text = message_text(message)
    found = None if is_payload(text) else turn_to_entry(text)
    if found is None or (anywhere_only and found != ANYWHERE_ENTRY) or (entry := kb.faq_entry(found)) is None:
        return None
    return answer_faq_followup(dispatcher, entry)


def after_procedure(tracker: Any) -> bool:
    """The bot answered a procedure last: "phường nào cũng được à" then asks where that procedure is done,
    which its own answer says, not the rule of the centre's branches."""
    from actions.followup import conversation_topic

    topic = conversation_topic(list(getattr(tracker, "events", None) or []))
    return topic is not None and topic.kind == "procedure"
