"""One typed settings object for every Python 3.11 service of dvcbot.

Every value can be overridden by an environment variable named ``DVCBOT_<FIELD>`` (upper case),
for example ``DVCBOT_GATEWAY_PORT=8080``. Secrets (tokens, database passwords) come only from the
environment; nothing secret has a default here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DVCBOT_", extra="ignore")

    # --- paths -----------------------------------------------------------------------------
    root: Path = ROOT
    #: committed project data (catalogue, FAQs, gazetteer, default agent registry)
    data_dir: Path = ROOT / "data"
    #: generated, git-ignored artefacts (converted model, index, trained NLU, databases, logs)
    var_dir: Path = ROOT / "var"
    #: a sentence-transformers model folder; any other sentence-transformers model path works
    encoder_path: Path = ROOT / "var" / "models" / "multilingual-e5-small"
    index_dir: Path = ROOT / "var" / "index"
    nlu_model_dir: Path = ROOT / "var" / "nlu"
    rasa_project_dir: Path = ROOT / "bot"
    rasa_venv: Path = ROOT / ".venv-rasa"

    # --- network -----------------------------------------------------------------------------
    host: str = "127.0.0.1"
    gateway_port: int = 8000
    nlu_port: int = 5065
    rasa_port: int = 5005
    actions_port: int = 5055
    #: the public base URL citizens see (links to the map are built from it)
    public_url: str = ""
    #: optional street basemap for the map page from the operator's own tile server, an XYZ template
    #: such as ``https://tiles.example.gov.vn/{z}/{x}/{y}.png``; empty: wards only, no outside request
    map_tile_url: str = ""
    #: seconds a health/readiness probe or a quick inter-service call may take
    request_timeout: float = 10.0
    #: shared secrets of the internal APIs (environment only; ``dvcbot run`` and the tests make
    #: random ones per start when empty). Rasa's dvcbot channel checks ``Authorization: Bearer
    #: <rasa_token>`` and Rasa's HTTP API ``?token=<rasa_token>`` (``rasa run --auth-token``); the
    #: action server checks the ``token`` query parameter Rasa sends from ``action_endpoint``.
    rasa_token: str = ""
    actions_token: str = ""

    # --- limits (gateway) -------------------------------------------------------------------------
    #: request bodies over this many bytes get a 413 (every endpoint)
    max_body_bytes: int = 256 * 1024
    #: messages one conversation / one client address may send ("N/second|minute|hour")
    rate_limit_session: str = "30/minute"
    rate_limit_client: str = "300/minute"

    # --- turns (gateway turn service) ----------------------------------------------------------
    #: turns sent to Rasa at the same time by one gateway process; more wait in the queue
    turn_concurrency: int = 8
    #: turns that may wait for a place; beyond that the citizen is told to try again shortly
    turn_queue_size: int = 200
    #: seconds one turn may take in the dialogue before it is given up (backpressure bounds the
    #: wait, so this is a last resort against a hung part, not a load limit)
    turn_timeout: float = 120.0

    # --- storage -----------------------------------------------------------------------------
    #: SQLAlchemy URL. Embedded default: SQLite under var/. Production: postgresql+psycopg://...
    database_url: str = ""
    #: bring the database to the newest migration when a process first opens it (gateway, action
    #: server, CLI); false: only `dvcbot db upgrade` migrates and processes refuse an old schema
    db_auto_upgrade: bool = True

    # --- behaviour -----------------------------------------------------------------------------
    #: ISO date that replaces "today" when deciding whether a policy is still valid (tests, replays)
    today: dt.date | None = None
    log_level: str = "INFO"
    #: ``dvcbot db purge-turns`` anonymises chat turns older than this many days (0: keep all)
    turn_retention_days: int = 0

    # --- care centre (complaints, handoff, console) -------------------------------------------
    #: dates without care staff (ISO dates), on top of ``working_days`` / ``working_hours`` below
    care_holidays: list[dt.date] = []
    #: minutes a handoff may wait for a person before the citizen is given the hotline options
    care_handoff_wait_minutes: int = 10
    #: key that signs the console's cookies; empty = a random key kept in var/console_secret
    console_secret: str = ""
    #: minutes a console sign-in lasts; failed sign-ins before a lockout; lockout minutes
    console_session_minutes: int = 480
    console_max_failures: int = 5
    console_lockout_minutes: int = 15

    #: base URLs of the other services; empty means http://{host}:{port} (set them when the parts
    #: run on other hosts, e.g. in docker-compose)
    nlu_url: str = ""
    rasa_url: str = ""
    actions_url: str = ""

    # --- channels: Zalo Official Account (secrets only from the environment) --------------------
    #: the Zalo app id and the OA secret key (used to verify webhook signatures); empty = Zalo off
    zalo_app_id: str = ""
    zalo_oa_secret_key: str = ""
    #: the app's secret key, sent when the access token is refreshed
    zalo_app_secret: str = ""
    #: first access/refresh token pair; rotated pairs are then kept in the database
    zalo_access_token: str = ""
    zalo_refresh_token: str = ""
    zalo_api_url: str = "https://openapi.zalo.me"
    zalo_oauth_url: str = "https://oauth.zaloapp.com"
    #: webhook events whose timestamp is older (or further in the future) than this are rejected
    zalo_signature_window_s: float = 300.0
    #: refresh the access token this long before it expires
    zalo_token_refresh_margin_s: float = 300.0
    #: characters per Zalo text message (the API refuses longer ones)
    zalo_max_text_chars: int = 2000

    # --- channels: web widget --------------------------------------------------------------------
    #: origins allowed to embed the widget (CORS and the WebSocket origin check), comma separated;
    #: the gateway's own origin is always allowed. The widget's messages count against
    #: ``rate_limit_session`` and ``rate_limit_client``.
    widget_allowed_origins: str = ""

    # --- voice (1022 callbot, issue 12) ----------------------------------------------------------
    #: Twilio auth token: signs the voice webhooks. Secret, environment only; empty disables voice
    twilio_auth_token: str = ""
    #: the care centre's number the callbot transfers to (E.164, e.g. +842439906688)
    care_centre_number: str = ""
    #: speech recogniser: "vietasr" (embedded Vietnamese model) or "vosk" (model in vosk_model_path)
    asr_backend: str = "vietasr"
    #: a Vosk model folder (e.g. vosk-model-small-vn-0.4) when asr_backend is "vosk"
    vosk_model_path: Path | None = None
    #: speech synthesiser: "espeak" (Debian espeak-ng, Vietnamese voice) or "piper"
    tts_backend: str = "espeak"
    #: a Piper voice (.onnx with its .onnx.json beside it) when tts_backend is "piper"
    piper_voice_path: Path | None = None
    #: when people answer the phone: "HH:MM-HH:MM" on the ISO weekdays listed (1 = Monday)
    working_hours: str = "08:00-17:30"
    working_days: str = "1,2,3,4,5"
    #: seconds of caller silence before the callbot reprompts (then offers the keypad, then says goodbye)
    voice_silence_seconds: float = 7.0
    #: seconds of silence after which Silero VAD ends the caller's turn. Phone-agent practice is
    #: 0.4–0.8 s; 0.5 keeps a breath between words inside the turn for slow (elderly) speakers while
    #: cutting 0.1 s off every answer compared with 0.6
    voice_vad_stop_secs: float = 0.5
    #: threads that run speech recognition for all calls (≤ 0: one per CPU core); a call's audio is
    #: processed in order, calls side by side (voice/stt/lanes.py)
    voice_asr_threads: int = 0
    #: put ward, procedure and service names back in their written form after recognition
    #: (voice/stt/domain.py; accent-insensitive, conservative)
    voice_domain_correction: bool = True
    #: Vosk only: restrict recognition to the domain phrase list (a Kaldi grammar; needs a model with
    #: a dynamic graph). Off by default: a grammar makes every other word "[unk]"
    vosk_grammar: bool = False

    @field_validator("map_tile_url")
    @classmethod
    def _check_tile_url(cls, value: str) -> str:
        value = value.strip()
        if value and (not value.startswith(("https://", "http://", "/"))
                      or not all(p in value for p in ("{z}", "{x}", "{y}"))):
            raise ValueError("map_tile_url must be an http(s) or /path URL template with {z}, {x} and {y}")
        return value

    @model_validator(mode="after")
    def _fill_urls(self) -> Settings:
        local = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        self.nlu_url = (self.nlu_url or f"http://{local}:{self.nlu_port}").rstrip("/")
        self.rasa_url = (self.rasa_url or f"http://{local}:{self.rasa_port}").rstrip("/")
        self.actions_url = (self.actions_url or f"http://{local}:{self.actions_port}").rstrip("/")
        return self

    @property
    def gateway_url(self) -> str:
        local = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return self.public_url.rstrip("/") or f"http://{local}:{self.gateway_port}"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'dvcbot.db'}"

    def current_date(self) -> dt.date:
        return self.today or dt.date.today()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
