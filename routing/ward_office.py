"""The office of one ward or commune (its People's Committee, where its one-stop desk is): "trụ sở
phường đó ở đâu", "thế còn ủy ban xã ở đâu" after an answer about that ward. The address is the
registry's one-stop desk of the ward (agent type ``mot_cua_xa``, one per ward in
``data/agents/default_agents.csv``), never a made-up one."""

from __future__ import annotations

import re

from dvcbot.textnorm import fold

#: the agent type of a ward's one-stop desk (at its People's Committee)
WARD_OFFICE_TYPE = "mot_cua_xa"

#: the ward's own office named ("trụ sở phường", "ủy ban xã", "ubnd phường", "văn phòng phường"), folded
_OFFICE = r"(?:tru so|uy ban(?: nhan dan)?|ubnd|ub|van phong|bo phan mot cua|mot cua)(?: cua)? (?:phuong|xa)"
#: ... and where it is asked ("ở đâu", "địa chỉ", "chỗ nào", "nằm ở", "đường nào")
_WHERE = r"(?:o dau|dau|dia chi|cho nao|nam o|nam tren|duong nao|o cho nao|o so)"
_ASKS = re.compile(rf"\b{_OFFICE}\b.*\b{_WHERE}\b|\b(?:dia chi|cho) (?:cua )?{_OFFICE}\b")


def asks_ward_office(text: str) -> bool:
    """Whether ``text`` asks where a ward's or commune's own office is ("trụ sở phường đó ở đâu",
    "ubnd xa o dau", "địa chỉ ủy ban phường"), not where to submit in general."""
    return bool(_ASKS.search(fold(text or "")))


def ward_office_text(ward_code: str) -> str | None:
    """The sentence that gives the office of the ward ``ward_code`` (its one-stop desk's address and
    phone from the registry), or None when the ward or its desk is unknown."""
    from routing.gazetteer import get_gazetteer
    from routing.service import get_routing

    ward = get_gazetteer().ward(ward_code)
    if ward is None:
        return None
    desk = next((a for a in get_routing().agents if a.type == WARD_OFFICE_TYPE and a.ward_code == ward_code), None)
    if desk is None:
        return None
    from dvcbot.hotlines import CALL_HOTLINE
    from routing.answers import OFFICIAL_LIST_URL, speakable_phone

    office = f"Trụ sở Ủy ban nhân dân {ward.full_name}"
    if fold(desk.address).startswith("tru so"):  # the registry knows the ward, not its street address
        return (f"{office} là nơi có bộ phận một cửa nhận và trả hồ sơ của {ward.full_name}. Danh sách hiện có "
                f"chưa ghi số nhà, tên đường của trụ sở này; anh chị xem địa chỉ trên {OFFICIAL_LIST_URL} "
                f"hoặc gọi {CALL_HOTLINE}.")
    text = f"{office}, nơi có bộ phận một cửa nhận và trả hồ sơ, ở địa chỉ: {desk.address}."
    if desk.phone:
        text += f" Điện thoại {speakable_phone(desk.phone)}."
    return text
