"""The digital map of the agent network: ``GET /map`` and its static files under ``/map/static/``.

The page draws the ward polygons and the agents with Leaflet (vendored under ``web/vendor/leaflet``)
from ``/api/v1/wards.geojson`` and ``/api/v1/agents.geojson``, takes agent types, the radius and the
optional basemap from ``/api/v1/map/config``, and asks ``/api/v1/wards/resolve`` and
``/api/v1/agents/nearest`` for search and nearby agents. No CDN: without ``DVCBOT_MAP_TILE_URL`` it
works on a machine with no internet. Links from the bot: ``/map?ward=CODE``, ``/map?lat=..&lon=..``,
``/map?agent=ID``, ``/map?q=cau giay``.

The static files are served by an explicit route rather than a ``StaticFiles`` mount because
``APIRouter.include_router`` does not carry mounts over to the app.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

WEB_DIR = Path(__file__).resolve().parent / "web"
STATIC_PREFIX = "/map/static"
API_PREFIX = "/api/v1"

_MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}

router = APIRouter(tags=["map"])


@lru_cache(maxsize=1)
def _page_html() -> str:
    html = (WEB_DIR / "map.html").read_text(encoding="utf-8")
    return html.replace("__STATIC__", STATIC_PREFIX).replace("__API__", API_PREFIX)


@router.head("/map", include_in_schema=False)
@router.get("/map", response_class=HTMLResponse, summary="Bản đồ điểm hỗ trợ dịch vụ công")
def map_page() -> HTMLResponse:
    return HTMLResponse(_page_html(), headers={"Cache-Control": "no-cache"})


def _static_file(rel: str) -> Path:
    """The file under ``web/`` named by ``rel``, refusing anything that escapes the folder."""
    if not rel or "\\" in rel or "\x00" in rel:
        raise HTTPException(status_code=404, detail="Không có tệp này.")
    path = (WEB_DIR / rel).resolve()
    if not path.is_relative_to(WEB_DIR) or not path.is_file() or path.suffix not in _MEDIA_TYPES:
        raise HTTPException(status_code=404, detail="Không có tệp này.")
    return path


@router.api_route(STATIC_PREFIX + "/{rel:path}", methods=["GET", "HEAD"], include_in_schema=False)
def map_static(rel: str) -> FileResponse:
    path = _static_file(rel)
    return FileResponse(path, media_type=_MEDIA_TYPES[path.suffix], headers={"Cache-Control": "no-cache"})
