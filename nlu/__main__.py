"""``python -m nlu``: the NLU service on ``settings.host:settings.nlu_port``."""

from __future__ import annotations

import logging
import sys


def main() -> int:
    import uvicorn

    from dvcbot.logs import setup_logging
    from dvcbot.settings import get_settings
    from nlu.model import ModelMissingError
    from nlu.parser import NluParser
    from nlu.service import create_app

    setup_logging()
    settings = get_settings()
    try:
        parser = NluParser()
    except (ModelMissingError, RuntimeError) as exc:
        print(f"NLU service cannot start: {exc}", file=sys.stderr)
        return 2
    parser.warm_up()
    logging.getLogger("nlu").info("NLU service on http://%s:%s", settings.host, settings.nlu_port)
    uvicorn.run(
        create_app(parser), host=settings.host, port=settings.nlu_port, log_level="warning", access_log=False
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
