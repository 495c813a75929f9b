"""One typed settings object for every Python 3.11 service of dvcbot.

Every value can be overridden by an environment variable named ``DVCBOT_<FIELD>`` (upper case),
for example ``DVCBOT_GATEWAY_PORT=8080``. Secrets (tokens, database passwords) come only from the
environment; nothing secret has a default here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

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

    # --- storage -----------------------------------------------------------------------------
    #: SQLAlchemy URL. Embedded default: SQLite under var/. Production: postgresql+psycopg://...
    database_url: str = ""

    # --- behaviour -----------------------------------------------------------------------------
    #: ISO date that replaces "today" when deciding whether a policy is still valid (tests, replays)
    today: dt.date | None = None
    log_level: str = "INFO"

    @property
    def nlu_url(self) -> str:
        return f"http://{self.host}:{self.nlu_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @property
    def gateway_url(self) -> str:
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.gateway_port}"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'dvcbot.db'}"

    def current_date(self) -> dt.date:
        return self.today or dt.date.today()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
