"""One typed settings object for every Python 3.11 service of dvcbot.

Every value can be overridden by an environment variable named ``DVCBOT_<FIELD>`` (upper case),
for example ``DVCBOT_GATEWAY_PORT=8080``. Secrets (tokens, database passwords) come only from the
environment; nothing secret has a default here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
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
    #: seconds any call from one service to another may take before it is given up
    request_timeout: float = 10.0
    #: token of Rasa's HTTP API (``rasa run --auth-token``; sent as ``?token=``). Env only; empty:
    #: ``dvcbot run`` makes a random one per start and hands it to the gateway
    rasa_token: str = ""
    #: token Rasa sends to the action server (``?token=`` on ``POST /webhook``). Env only; empty:
    #: random per start under ``dvcbot run``; the action server refuses requests without it
    actions_token: str = ""

    # --- storage -----------------------------------------------------------------------------
    #: SQLAlchemy URL. Embedded default: SQLite under var/. Production: postgresql+psycopg://...
    database_url: str = ""

    # --- behaviour -----------------------------------------------------------------------------
    #: ISO date that replaces "today" when deciding whether a policy is still valid (tests, replays)
    today: dt.date | None = None
    log_level: str = "INFO"
    #: ``dvcbot db purge-turns`` anonymises chat turns older than this many days (0: keep all)
    turn_retention_days: int = 0

    #: base URLs of the other services; empty means http://{host}:{port} (set them when the parts
    #: run on other hosts, e.g. in docker-compose)
    nlu_url: str = ""
    rasa_url: str = ""
    actions_url: str = ""

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
