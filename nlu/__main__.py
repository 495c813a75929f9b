"""``python -m nlu``: the NLU service on ``settings.host:settings.nlu_port``."""

from __future__ import annotations

import logging
import sys


def main() -> int:
    import uvicorn

    from dvcbot.logs import setup_logging
    from dvcbot.settings import get_settings
    from nlu.model import MODEL_FILE, ModelMissingError
    from nlu.parser import NluParser
    from nlu.service import create_app

    setup_logging()
    settings = get_settings()
    if not (settings.nlu_model_dir / MODEL_FILE).exists():  # fail fast, with a clear message
        print(f"NLU service cannot start: {ModelMissingError(settings.nlu_model_dir)}", file=sys.stderr)
        return 2
    logging.getLogger("nlu").info("NLU service on http://%s:%s (warming up)", settings.host, settings.nlu_port)
    # the port opens at once; /health says "warming" until the model has answered its first parse
    uvicorn.run(
        create_app(load=NluParser), host=settings.host, port=settings.nlu_port, log_level="warning",
        access_log=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
