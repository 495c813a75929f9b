"""The intents of dvcbot: the one list the NLU service, the Rasa domain and the tests agree on.

``bot/domain.yml`` cannot import Python, so ``tests/nlu/test_intents.py`` checks that its
``intents:`` are exactly :data:`DOMAIN_INTENTS`, and that every button payload the project sends
(``/find_agent_more``, ``/find_agent{"ward": ...}``, the domain's buttons) is recognised by the
parser. The NLU service reads no Rasa file at run time: the production image copies only
``bot/data``.
"""

from __future__ import annotations

#: the intents the NLU model classifies, in a fixed order (each has examples in bot/data/nlu.yml
#: and in the held-out split)
INTENTS: tuple[str, ...] = (
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "out_of_scope",
    "ask_procedure",
    "ask_vneid",
    "ask_online_payment",
    "ask_online_submission",
    "find_agent",
    "find_agent_more",
    "file_complaint",
    "request_human",
    "ask_contact",
    "rate_service",
)

#: the intent of a text the classifier is not confident about (Rasa's FallbackClassifier name)
FALLBACK_INTENT = "nlu_fallback"

#: intents the dialogue knows that the classifier never predicts
DIALOGUE_ONLY: tuple[str, ...] = (FALLBACK_INTENT,)

#: every intent of ``bot/domain.yml``, in its order
DOMAIN_INTENTS: tuple[str, ...] = INTENTS + DIALOGUE_ONLY

#: Rasa's built-in intents that a ``/name`` payload may carry besides the domain's
RASA_DEFAULT_INTENTS: tuple[str, ...] = ("restart", "back", "session_start", "out_of_scope", FALLBACK_INTENT)

#: every ``/name`` the parser takes as a button payload (anything else starting with "/" is text)
PAYLOAD_INTENTS: frozenset[str] = frozenset(DOMAIN_INTENTS) | frozenset(RASA_DEFAULT_INTENTS)

#: intents under which a text can name a procedure (the parser looks for a ``procedure`` entity)
PROCEDURE_INTENTS: frozenset[str] = frozenset(
    {
        "ask_procedure",
        "ask_online_submission",
        "ask_online_payment",
        "find_agent",
        "file_complaint",
        "ask_vneid",
        FALLBACK_INTENT,
    }
)

#: intents whose messages are not about a procedure: no procedure_aspect entity for them
#: ("địa chỉ trung tâm ở đâu" is a contact question, not the "where" aspect of a procedure)
NO_ASPECT_INTENTS: frozenset[str] = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "bot_challenge",
        "out_of_scope",
        "rate_service",
        "request_human",
        "ask_contact",
        "find_agent_more",
    }
)

#: the topic buttons, title -> payload (the one place of them): offered with the greeting, the rephrase
#: question, "which topic?" and when no FAQ answer fits; typing a title works like pressing the button.
#: The topics a citizen comes with: a procedure, filing online, the VNeID account, paying online, the
#: nearest service point, a complaint or suggestion
TOPIC_BUTTONS: dict[str, str] = {
    "Thủ tục hành chính": "/ask_procedure",
    "Nộp hồ sơ trực tuyến": "/ask_online_submission",
    "Tài khoản VNeID": "/ask_vneid",
    "Thanh toán trực tuyến": "/ask_online_payment",
    "Điểm phục vụ gần nhất": "/find_agent",
    "Phản ánh, góp ý": "/file_complaint",
}

__all__ = [
    "TOPIC_BUTTONS",
    "DIALOGUE_ONLY",
    "DOMAIN_INTENTS",
    "FALLBACK_INTENT",
    "INTENTS",
    "NO_ASPECT_INTENTS",
    "PAYLOAD_INTENTS",
    "PROCEDURE_INTENTS",
    "RASA_DEFAULT_INTENTS",
]
