"""``python -m gateway``: serve the gateway alone (``dvcbot run`` starts everything)."""

import uvicorn

from dvcbot.settings import get_settings

if __name__ == "__main__":
    s = get_settings()
    uvicorn.run("gateway.app:create_app", factory=True, host=s.host, port=s.gateway_port,
                log_level=s.log_level.lower(), access_log=False)
