"""Request and response models of the public API."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dvcbot.textnorm import clean

MAX_TEXT_CHARS = 2000
#: ids of sessions and messages: printable ASCII without spaces or control characters (they appear
#: in logs, so a newline must never get in)
ID_PATTERN = r"^[A-Za-z0-9_.:@/+=-]+$"
#: characters that show nothing: spaces, control, soft hyphen, zero-width and other format characters
_INVISIBLE = r"\s\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff"
_VISIBLE = re.compile(f"[^{_INVISIBLE}]")
#: the text rule as the OpenAPI schema states it: no NUL, at least one visible character
TEXT_PATTERN = f"^[^\\u0000]*[^{_INVISIBLE}][^\\u0000]*$"


class Channel(StrEnum):
    web = "web"
    zalo = "zalo"
    voice = "voice"
    api = "api"


class Location(BaseModel):
    """A location the citizen shared (WGS 84)."""

    model_config = ConfigDict(extra="forbid")

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False, strict=True)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False, strict=True)
    accuracy_m: float | None = Field(default=None, ge=0, le=1_000_000, allow_inf_nan=False, strict=True)


class ChatMetadata(BaseModel):
    """The only extras a channel sends with a message (bounded: nothing else is accepted)."""

    model_config = ConfigDict(extra="forbid")

    location: Location | None = None
    user_id: str | None = Field(default=None, max_length=128, pattern=ID_PATTERN,
                                description="the channel's id of the citizen (e.g. a Zalo user id)")
    locale: str | None = Field(default=None, max_length=16, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?$")
    page_url: str | None = Field(default=None, max_length=512, description="the page the widget is on")

    def for_dialogue(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    session_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:@-]+$",
                            description="Stable id of the conversation (one per citizen and channel)")
    text: str = Field(min_length=1, description="What the citizen wrote or said (a button payload also works)",
                      json_schema_extra={"maxLength": MAX_TEXT_CHARS, "pattern": TEXT_PATTERN})
    channel: Channel = Channel.api
    message_id: str | None = Field(default=None, min_length=1, max_length=128, pattern=ID_PATTERN,
                                   description="Channel's id of this message; a repeated id is answered "
                                               "from the stored reply and never processed twice")
    metadata: ChatMetadata = Field(default_factory=lambda: ChatMetadata(),
                                   description="Channel extras: a shared location, the channel's user id, locale")

    @field_validator("text")
    @classmethod
    def _text_ok(cls, value: str) -> str:
        stripped = value.strip()
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("text is not valid Unicode / tin nhắn có ký tự không hợp lệ") from None
        if not _VISIBLE.search(stripped) or not clean(stripped):  # spaces, zero-width or control only
            raise ValueError("text is empty / tin nhắn đang trống")
        if len(value) > MAX_TEXT_CHARS:
            raise ValueError(f"text is longer than {MAX_TEXT_CHARS} characters / tin nhắn quá dài")
        if "\x00" in stripped:
            raise ValueError("text contains binary data / tin nhắn có ký tự không hợp lệ")
        return stripped


class Button(BaseModel):
    title: str
    payload: str


class BotMessage(BaseModel):
    text: str = ""
    buttons: list[Button] | None = None
    custom: dict[str, Any] | None = None


class ChatResponse(BaseModel):
    session_id: str
    message_id: str | None = None
    messages: list[BotMessage]
    intent: str | None = None
    confidence: float | None = None
    degraded: bool = Field(default=False, description="True when a back-end part was down and the "
                                                      "reply is the apology with the hotline numbers")
    busy: bool = Field(default=False, description="True when too many turns were waiting: the citizen is "
                                                  "asked to send the message again shortly (it was not processed)")
    replayed: bool = Field(default=False, description="True when this message_id was answered before")


class ComponentStatus(BaseModel):
    ok: bool
    state: str = Field(description="up | warming | down")
    url: str
    since: str | None = Field(default=None, description="when the part entered this state (UTC, ISO 8601)")
    error: str | None = None


class Readiness(BaseModel):
    ready: bool = Field(description="every part is up and warm (has answered real requests)")
    components: dict[str, ComponentStatus]
    details: dict[str, Any] | None = None
