"""Request and response models of the public API."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_TEXT_CHARS = 2000


class Channel(StrEnum):
    web = "web"
    zalo = "zalo"
    voice = "voice"
    api = "api"


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    session_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:@-]+$",
                            description="Stable id of the conversation (one per citizen and channel)")
    text: str = Field(min_length=1, description="What the citizen wrote or said (a button payload also works)")
    channel: Channel = Channel.api
    message_id: str | None = Field(default=None, max_length=128,
                                   description="Channel's id of this message; a repeated id is answered "
                                               "from the stored reply and never processed twice")
    metadata: dict[str, Any] = Field(default_factory=dict,
                                     description="Channel extras, e.g. a shared location {lat, lon}")

    @field_validator("text")
    @classmethod
    def _text_ok(cls, value: str) -> str:
        stripped = value.strip()
        if not stripped:
            raise ValueError("text is empty / tin nhắn đang trống")
        if len(stripped) > MAX_TEXT_CHARS:
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
