"""Vietnamese, speakable answers for "where is the nearest service point" (chat and phone).

Plain sentences only (no markdown, tables or emoji), distances as "khoảng 1,2 km", the
approximate-location caveat for ``ward``-accuracy points, an honest note when nothing lies within
5 km, and a link to the map page.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode

from dvcbot.hotlines import CALL_HOTLINE
from dvcbot.settings import get_settings
from routing.gazetteer import Resolution
from routing.schema import RADIUS_KM, TYPES
from routing.service import AgentHit, InvalidQuery, NearestResult, get_routing

OFFICIAL_LIST_URL = "https://ttpvhcc.hanoi.gov.vn/"
MAX_BUTTONS = 8
APPROXIMATE_NOTE = "Vị trí các điểm trên là gần đúng, lấy theo phường, xã, không phải đúng tòa nhà."

ASK_WARD = ("Anh chị cho biết anh chị đang ở phường, xã nào (tên mới hay tên cũ đều được), "
            "hoặc gửi vị trí của anh chị, để tôi tìm điểm phục vụ gần nhất.")


#: the button after a list of points: "thêm" is the word citizens look for ("xem thêm"), "khác" says the
#: points already shown are not repeated
MORE_BUTTON_TITLE = "Xem thêm điểm khác"


def format_km(km: float) -> str:
    """1.234 → "1,2 km"; under 100 m → "dưới 100 m" (spoken Vietnamese uses a decimal comma)."""
    if km < 0.1:
        return "dưới 100 m"
    return f"{km:.1f}".replace(".", ",") + " km"


def speakable_phone(phone: str) -> str:
    """Group a phone number's digits so it can be read aloud: "02432191319" → "024 3219 1319".

    Landlines (11 digits, 02x area code) are read as 3-4-4, mobiles (10 digits) as 4-3-3; anything
    else (short numbers such as 1022, several numbers, extensions) is returned unchanged.
    """
    digits = re.sub(r"[\s.\-()]", "", phone)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    if not digits.isdigit():
        return phone
    if len(digits) == 11 and digits.startswith("02"):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if len(digits) == 10 and digits.startswith("0"):
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return phone


def _agent_sentence(hit: AgentHit, origin_ward: str | None) -> str:
    a = hit.agent
    if origin_ward and a.ward_code == origin_ward and hit.distance_km < 0.1:
        dist = "trong cùng phường, xã"  # both at the ward's point: a distance would mean nothing
    else:
        dist = f"cách khoảng {format_km(hit.distance_km)}"
    parts = [f"{a.name}, {dist}", f"địa chỉ {a.address}"]
    if a.phone:
        parts.append(f"điện thoại {speakable_phone(a.phone)}")
    if a.opening_hours:
        parts.append(f"giờ làm việc {a.opening_hours}")
    return ", ".join(parts) + "."


def _map_link(ward_code: str | None, lat: float | None, lon: float | None) -> str:
    base = get_settings().gateway_url
    if ward_code:
        return f"{base}/map?{urlencode({'ward': ward_code})}"
    return f"{base}/map?{urlencode({'lat': f'{lat:.5f}', 'lon': f'{lon:.5f}'})}"


def _ward_button(code: str, full_name: str) -> dict[str, str]:
    return {"title": full_name, "payload": "/find_agent" + json.dumps({"ward": full_name}, ensure_ascii=False),
            "ward_code": code}


def _ambiguous_answer(res: Resolution) -> dict[str, Any]:
    names = [w.full_name for w in res.candidates]
    shown = names[:MAX_BUTTONS]
    lead = f"{res.old_name} là tên cũ" if res.via_old_name and res.old_name else "Tên anh chị nói"
    text = (f"{lead}, nay thuộc {len(names)} phường, xã: {', '.join(shown)}"
            f"{' và một số nơi khác' if len(names) > len(shown) else ''}. Anh chị đang ở phường, xã nào?")
    return {"text": text, "buttons": [_ward_button(w.code, w.full_name) for w in res.candidates[:MAX_BUTTONS]],
            "ward_code": None, "agent_ids": [], "needs_ward": True,
            "candidates": [w.code for w in res.candidates]}


def _result_answer(result: NearestResult) -> dict[str, Any]:
    ward = result.ward
    merged = ""  # an old name: which ward it now belongs to is said first ("giờ thuộc phường nào?")
    if result.origin_kind == "ward" and ward is not None:
        where = f"{ward.full_name}"
        if result.resolution and result.resolution.via_old_name and result.resolution.old_name:
            merged = f"Từ ngày 1/7/2025, {result.resolution.old_name} cũ nay thuộc {ward.full_name}. "
        head = f"{merged}Các điểm phục vụ gần {where}, tính từ khu vực trung tâm phường, xã nên khoảng cách là gần đúng"
    else:
        head = "Các điểm phục vụ gần vị trí của anh chị"
        if ward is not None:
            head += f", thuộc {ward.full_name}"
    if not result.hits:
        return {"text": "Hiện chưa có điểm phục vụ nào phù hợp trong danh sách. "
                        f"Anh chị có thể gọi {CALL_HOTLINE} để được hướng dẫn.",
                "buttons": [], "ward_code": ward.code if ward else None, "agent_ids": [], "needs_ward": False}
    lines = [head + "."]
    if not result.any_within:
        lines.append(f"Không có điểm nào trong bán kính {RADIUS_KM:g} km; "
                     "dưới đây là các điểm gần nhất hiện có.")
    origin_ward = ward.code if result.origin_kind == "ward" and ward else None
    for n, hit in enumerate(result.hits, 1):
        lines.append(f"Điểm thứ {n}: {_agent_sentence(hit, origin_ward)}")
    if any(h.agent.approximate for h in result.hits):
        lines.append(APPROXIMATE_NOTE)
    link = _map_link(ward.code if result.origin_kind == "ward" and ward else None,
                     result.origin_lat, result.origin_lon)
    lines.append(f"Xem bản đồ tại {link}")
    lines.append(f"Danh sách chính thức: {OFFICIAL_LIST_URL}. Hỗ trợ qua {CALL_HOTLINE}.")
    buttons = [{"title": MORE_BUTTON_TITLE, "payload": "/find_agent_more"}]
    return {"text": "\n".join(lines), "buttons": buttons, "ward_code": ward.code if ward else None,
            "agent_ids": [h.agent.id for h in result.hits], "needs_ward": False, "map_url": link}


#: at most this many new wards of a split old name get their nearest point in one answer (speakable)
MAX_SPLIT_WARDS = 4


def split_ward_answer(text: str, exclude_ids: tuple[str, ...] | list[str] = ()) -> dict[str, Any] | None:
    """Points for an old ward name now split among several wards when the citizen asks for points again
    without choosing ("còn chỗ nào khác không", "xa quá, còn điểm nào nữa"): the nearest point of each new
    ward, named with its ward, and the choice still open (the ward buttons). None when ``text`` names no
    ward that is split."""
    routing = get_routing()
    res = routing.gazetteer.resolve(text or "")
    if not res.ambiguous or not res.candidates:
        return None
    lead = f"{res.old_name} cũ" if res.via_old_name and res.old_name else "Tên anh chị nói"
    wards = res.candidates[:MAX_SPLIT_WARDS]
    lines = [f"{lead} nay thuộc {len(res.candidates)} phường, xã. Điểm phục vụ gần nhất của từng nơi, tính từ "
             "khu vực trung tâm phường, xã nên khoảng cách là gần đúng:"]
    shown: list[str] = list(exclude_ids)
    hits: list[AgentHit] = []
    for ward in wards:
        near = routing.nearest(ward.rep_lat, ward.rep_lon, k=1, exclude_ids=shown)
        if near.hits:
            hit = near.hits[0]
            hits.append(hit)
            shown.append(hit.agent.id)
            lines.append(f"Gần {ward.full_name}: {_agent_sentence(hit, ward.code)}")
    if not hits:
        return None
    if any(h.agent.approximate for h in hits):
        lines.append(APPROXIMATE_NOTE)
    lines.append(f"Anh chị chọn phường, xã của mình để xem thêm điểm gần. Hỗ trợ qua {CALL_HOTLINE}.")
    return {"text": "\n".join(lines), "buttons": [_ward_button(w.code, w.full_name) for w in wards],
            "ward_code": None, "agent_ids": [h.agent.id for h in hits], "needs_ward": False}


def find_agent_answer(text: str | None = None, lat: float | None = None, lon: float | None = None,
                      exclude_ids: tuple[str, ...] | list[str] = (), k: int = 3) -> dict[str, Any]:
    """Answer a "nearest service point" request from a location and/or a text naming a ward.

    Returns ``dict(text, buttons, ward_code, agent_ids, needs_ward)`` (plus ``candidates`` when the
    name is ambiguous and ``map_url`` when agents are listed). A location wins over text.
    """
    routing = get_routing()
    if lat is not None and lon is not None:
        try:
            result = routing.nearest(lat, lon, k=k, exclude_ids=exclude_ids)
        except InvalidQuery:
            return {"text": "Vị trí anh chị gửi không hợp lệ. " + ASK_WARD, "buttons": [], "ward_code": None,
                    "agent_ids": [], "needs_ward": True}
        if result.ward is None:  # outside Hanoi: answer anyway, the nearest are still the nearest
            answer = _result_answer(result)
            answer["text"] = "Vị trí của anh chị nằm ngoài địa bàn Hà Nội. " + answer["text"]
            return answer
        return _result_answer(result)
    if text and text.strip():
        result = routing.nearest_by_text(text, k=k, exclude_ids=exclude_ids)
        res = result.resolution
        if res is not None and res.ambiguous:
            return _ambiguous_answer(res)
        if result.origin_kind == "ward":
            return _result_answer(result)
    return {"text": ASK_WARD, "buttons": [], "ward_code": None, "agent_ids": [], "needs_ward": True}


__all__ = ["find_agent_answer", "format_km", "speakable_phone", "split_ward_answer", "TYPES"]
