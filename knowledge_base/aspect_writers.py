"""One writer per aspect of a procedure (papers, fee, time, where, online, steps, legal basis,
result) and the overview: each returns the body sentences of the answer, without head or tail.

Every writer is ``writer(proc, today, link=None)``: ``today`` decides which fee clauses are still
in force, ``link`` is where "xem chi tiết tại ..." points (default: the procedure's source page).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from dvcbot.textnorm import fold
from knowledge_base.answer_format import (
    MODE_SPOKEN,
    agency_sentence,
    format_number,
    format_time,
    group_by_mode,
    join_items,
    short_sentence,
    vn_date,
)
from knowledge_base.catalogue import Document, Procedure, SubmissionMode
from knowledge_base.document_order import common_dossier, order_documents
from knowledge_base.fee_text import COUNCIL_SETS, HANOI_FEE_NOTE, mode_fee_phrases
from knowledge_base.garbled import is_garbled
from knowledge_base.hanoi import fee_note
from knowledge_base.record_time import missing_time_text, unitless_number_text
from knowledge_base.submission_modes import split_clauses
from knowledge_base.validity import fee_now, periods, vnd

#: how many list items an answer reads out before "và N ... khác"
MAX_DOCS = 3
MAX_STEPS = 4
MAX_LEGAL = 3

def real_documents(proc: Procedure) -> list[Document]:
    """Documents to hand in, what most people bring first (:mod:`knowledge_base.document_order`):
    items whose quantity is all zero are notes, not papers; crawl glitches are left out."""
    readable = [d for d in proc.documents if not is_garbled(d.name)]
    real = [d for d in readable if not d.quantity or re.search(r"[1-9]", d.quantity)]
    return order_documents(real or readable, proc.name)


#: a case heading's tail that only announces the list ("…, hồ sơ gồm:", "… gồm các giấy tờ sau:")
_HEADING_TAIL = re.compile(r"[\s,;]*(?:thì\s+)?(?:thành phần\s+)?(?:hồ sơ\s+)?(?:bao\s+)?gồm(?:\s+(?:các|những))?"
                           r"(?:\s+giấy tờ)?(?:\s+sau)?(?:\s+đây)?\s*:?\s*$|[\s:]+$", re.IGNORECASE)


def case_heading(heading: str) -> str:
    """A case heading as the name of the case: "Đăng ký tạm trú theo danh sách, hồ sơ gồm:" →
    "Đăng ký tạm trú theo danh sách"."""
    return _HEADING_TAIL.sub("", heading).strip() or heading.rstrip(":")


def more_sentence(n: int, what: str, link: str) -> str:
    return f" Và {n} {what} khác, xem chi tiết tại {link}." if n > 0 else ""


def documents_text(proc: Procedure, today: dt.date, link: str | None = None) -> str:
    link = link or proc.source_url
    docs = real_documents(proc)
    if not docs and proc.documents:  # only unreadable items: say where to read them
        return f"Danh sách giấy tờ trong hồ sơ quốc gia bị lỗi khi thu thập, anh chị xem tại {link}."
    if not docs:
        return "Hồ sơ quốc gia không liệt kê thành phần hồ sơ cho thủ tục này."
    common, others, stand_in = common_dossier(docs, proc.name)
    shown = common[:MAX_DOCS]
    if stand_in:  # no common part in the record: its first case stands for it, say which
        heading = case_heading(short_sentence(stand_in, 80))
        lead = f"Hồ sơ có {len(others) + 1} trường hợp. {heading[:1].upper()}{heading[1:]}: "
    else:
        lead = "Hồ sơ gồm: "
    items = []
    for d in shown:
        qty = f" ({d.quantity})" if d.quantity else ""
        items.append(short_sentence(d.name) + qty)
    text = lead + "; ".join(items) + "."
    rest = len(common) - len(shown)
    if others:
        example = case_heading(short_sentence(others[0], 90))
        extra = f" và {rest} giấy tờ khác" if rest > 0 else ""
        return text + (f" Ngoài ra có {len(others)} trường hợp riêng cần giấy tờ khác (ví dụ: "
                       f"{example[:1].lower()}{example[1:]}){extra}, xem chi tiết tại {link}.")
    return text + more_sentence(rest, "giấy tờ", link)


#: an amount in a fee phrase ("200.000 đồng", "15 đô la Mỹ"; not "Hội đồng nhân dân")
_AMOUNT = re.compile(r"\d\s(?:đồng|đô la)")


def ended_note(proc: Procedure, ended: list[dt.date], fell_back: bool, today: dt.date) -> str:
    """What ended when, without its amount (an ended amount is never read out, so it cannot be
    taken for the current one): "Lưu ý: mức thu ưu đãi khi nộp trực tuyến ghi trong hồ sơ chỉ áp
    dụng đến hết ngày 31/12/2025, nay đã kết thúc; hiện nay áp dụng mức ở trên."."""
    last = max(ended)
    dated = [(ch, p) for ch in proc.submission_modes for f in ch.fees for p in periods(f.description) if p.end == last]
    if any(p.online_only for _ch, p in dated):
        channel = " khi nộp trực tuyến"
    else:  # the modes whose record carries the ended clause, when not all of them
        kinds = list(dict.fromkeys(ch.kind for ch, _p in dated))
        every = {ch.kind for ch in proc.submission_modes}
        channel = (" khi " + join_items([MODE_SPOKEN[k] for k in kinds if k in MODE_SPOKEN])
                   if kinds and set(kinds) != every else "")
    tail = "nên áp dụng mức thông thường ở trên" if fell_back else "hiện nay áp dụng mức ở trên"
    return (f" Lưu ý: mức thu ưu đãi{channel} ghi trong hồ sơ chỉ áp dụng đến hết ngày {vn_date(last)}, "
            f"nay đã kết thúc; {tail}.")


def reduction_end_note(proc: Procedure, today: dt.date) -> str:
    """After a reduction in force today, what applies once it ends: " Từ ngày 01/01/2027, nếu không
    có quy định mới, mức thu là 50.000 đồng." (the question "sang năm còn giá này không")."""
    ends: dict[dt.date, list[int]] = {}
    for ch in proc.submission_modes:
        for f in ch.fees:
            if any(p.start is not None and p.start > today for p in periods(f.description)):
                return ""  # the record already says what comes next: not "nếu không có quy định mới"
            now = fee_now(f.amount_vnd, f.description, today, ch.kind)
            if now.reduction is not None and now.reduction.end is not None and now.base is not None:
                ends.setdefault(now.reduction.end, []).append(now.base)
    if not ends:
        return ""
    end = min(ends)
    bases = " hoặc ".join(vnd(b) for b in dict.fromkeys(ends[end]))
    return f" Từ ngày {vn_date(end + dt.timedelta(days=1))}, nếu không có quy định mới, mức thu là {bases}."


def fee_text(proc: Procedure, today: dt.date, link: str | None = None) -> str:
    if not proc.submission_modes:
        return "Hồ sơ quốc gia không có thông tin về lệ phí của thủ tục này."
    phrases, ended, fell_back = mode_fee_phrases(proc.submission_modes, today)
    grouped = group_by_mode(proc, lambda ch: phrases[id(ch)])
    text = f"Lệ phí: {grouped}."
    text += reduction_end_note(proc, today)
    if ended:
        text += ended_note(proc, ended, fell_back, today)
    if any(COUNCIL_SETS.search(f.description) for ch in proc.submission_modes if ch.fee_status == "paid"
           for f in ch.fees):
        text += " Mức thu cụ thể do Hội đồng nhân dân thành phố quyết định."
    if _AMOUNT.search(grouped):
        text += " " + fee_note(today, HANOI_FEE_NOTE)
    return text


#: the steps of civil-status records say when the result comes ("nếu tiếp nhận hồ sơ sau 15 giờ thì
#: có Phiếu hẹn, trả kết quả cho người yêu cầu trong ngày làm việc tiếp theo")
_SAME_DAY = re.compile(r"sau\s+15\s+giờ\b[^.]{0,80}?trả\s+kết\s+quả[^.]{0,60}?trong\s+ngày\s+làm\s+việc\s+tiếp\s+theo",
                       re.IGNORECASE)
SAME_DAY_TIME = "trong ngày làm việc, hồ sơ tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo"


#: the units a record's steps give a time in ("Trong thời hạn 03 ngày làm việc"), longest first
_STEP_UNITS = ("ngày làm việc", "giờ làm việc", "ngày", "giờ", "tháng")


def unit_in_steps(proc: Procedure, value: float) -> str | None:
    """The unit the record's own steps give the number ``value`` in ("Trong thời hạn 03 ngày làm việc"
    for a time "3" whose unit the crawl lost), when they give it in one unit only; else None."""
    if not float(value).is_integer():
        return None
    number = rf"(?<![\d.,])0*{int(value)}\s+(?:{'|'.join(_STEP_UNITS)})\b"
    found = {m.group(0).split(None, 1)[1].lower() for step in proc.steps
             for m in re.finditer(number, step, re.IGNORECASE)}
    return found.pop() if len(found) == 1 else None


def mode_time(proc: Procedure) -> Callable[[SubmissionMode], str]:
    """:func:`format_time`, except that a time whose unit the crawl lost is read from the steps when
    they say it: a one-day time as the same day (next working day after 15:00), another number in the
    one unit the steps give that number in (:func:`unit_in_steps`); never as a bare number."""
    same_day = any(_SAME_DAY.search(step) for step in proc.steps)

    def phrase(ch: SubmissionMode) -> str:
        if same_day and ch.time_unit is None and ch.time_value == 1:
            return SAME_DAY_TIME
        if ch.time_unit is None and ch.time_value is not None:
            if unit := unit_in_steps(proc, ch.time_value):
                return f"{format_number(ch.time_value)} {unit}"
            return unitless_number_text(ch.time_value, proc)
        return format_time(ch)

    return phrase


def time_text(proc: Procedure, today: dt.date, link: str | None = None) -> str:
    grouped = group_by_mode(proc, mode_time(proc))
    if not grouped:  # the steps' time, or plainly no number of days and whom to ask
        return missing_time_text(proc)
    return f"Thời hạn giải quyết: {grouped}."


#: a paper the record asks only for a child ("... đối với người chưa đủ 14 tuổi", "mẫu TK01a dành cho
#: người chưa đủ 14 tuổi")
_MINOR = re.compile(r"\b(?:chưa đủ 14 tuổi|dưới 14 tuổi|người chưa thành niên)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"(?<=[.;])\s+")
#: longest paper name read out in the child's list
MAX_MINOR_CHARS = 160


def minor_papers(proc: Procedure) -> list[str]:
    """The record's papers (or the clause of a paper) that concern a child under 14: "Bản sao giấy
    khai sinh ... đối với người chưa đủ 14 tuổi", the form's child variant ("mẫu TK01a dành cho người
    chưa đủ 14 tuổi"); [] for a procedure that is itself for children or names none."""
    if _MINOR.search(proc.name):
        return []
    out = []
    for doc in real_documents(proc):
        clauses = _CLAUSE_END.split(" ".join(doc.name.split()))
        hit = next((c for c in clauses if _MINOR.search(c)), None)
        if hit is None:
            continue
        if hit is clauses[0]:
            out.append(short_sentence(hit, MAX_MINOR_CHARS))
            continue
        head = clauses[0].split("(")[0].strip(" ,;")
        detail = hit.split(")")[0].strip(" ,;.")
        out.append(short_sentence(f"{head}, {detail}", MAX_MINOR_CHARS))
    return out


#: at most this many papers named back to a "is X needed" question
MAX_NAMED_PAPERS = 2


def papers_naming(proc: Procedure, thing: str) -> list[str]:
    """The record's papers whose name holds the words of ``thing`` (folded, in order: "bản vẽ" finds "Bản vẽ
    thiết kế ..."), the longest tail of ``thing`` that some paper holds (its leading words may be a verb:
    "khám sức khỏe"), each as a short sentence; [] when no paper holds even its last two words."""
    words = fold(thing).split()
    clauses = [c.strip(" ,") for d in real_documents(proc) for c in re.split(r"[.;:]\s", " ".join(d.name.split()))]
    for start in range(max(len(words) - 1, 0)):
        phrase = f" {' '.join(words[start:])} "
        hits = [short_sentence(c, MAX_MINOR_CHARS) for c in clauses if phrase in f" {' '.join(fold(c).split())} "]
        if hits:
            return [h[:1].upper() + h[1:] for h in dict.fromkeys(hits)][:MAX_NAMED_PAPERS]
    return []


#: a record clause that sets the citizen's own deadline ("Trong thời hạn 15 ngày kể từ ngày có người
#: chết thì ... có trách nhiệm đi đăng ký khai tử"), not the agency's ("... kể từ ngày tiếp nhận hồ sơ")
_CITIZEN_DEADLINE = re.compile(
    r"(?:trong (?:thời hạn|vòng)|chậm nhất)(?: tối đa)? \d+ (?:ngày|tháng)(?! làm việc)[^.;]*?,? kể từ "
    r"(?!(?:ngày )?(?:cơ quan|tiếp nhận|nhận|được))[^.;]*", re.IGNORECASE)
#: ... said of the citizen: a duty, not what an office does
_CITIZEN_DUTY = re.compile(r"\b(?:có trách nhiệm|phải)\b", re.IGNORECASE)
_AGENCY_ACT = re.compile(r"\b(?:cơ quan|ủy ban nhân dân|công chức|tiếp nhận hồ sơ|nhận đủ hồ sơ|có văn bản)\b",
                         re.IGNORECASE)
#: longest deadline clause read out
MAX_DEADLINE_CHARS = 220


def citizen_deadline(proc: Procedure) -> str | None:
    """The clause of the record that sets how soon the citizen must file ("Trong thời hạn 15 ngày kể
    từ ngày có người chết ... có trách nhiệm đi đăng ký khai tử"), or None: the legal deadline a
    "trong bao lâu phải đi khai" asks, which is not the processing time."""
    texts = [d.name for d in proc.documents] + [str(proc.conditions or "")] + list(proc.steps or ())
    for text in texts:
        for m in _CITIZEN_DEADLINE.finditer(str(text)):
            clause = m.group().strip(" -+,")
            if _CITIZEN_DUTY.search(clause) and not _AGENCY_ACT.search(clause):
                clause = short_sentence(clause, MAX_DEADLINE_CHARS)
                return clause[0].upper() + clause[1:]
    return None


def where_text(proc: Procedure, today: dt.date, link: str | None = None) -> str:
    parts = []
    if proc.where:
        parts.append(f"Nơi tiếp nhận hồ sơ: {short_sentence(proc.where, 160)}.")
    else:  # the in-person mode's description often says where ("Nộp hồ sơ trực tiếp tại Công an cấp xã")
        office = proc.submission_mode("truc_tiep")
        clause = next((c for c in split_clauses(office.note) if re.search(r"(?:^|\s)tại\s", c, re.IGNORECASE)), "") if office else ""
        if clause:
            clause = short_sentence(clause, 140)
            parts.append(f"Khi nộp trực tiếp: {clause[:1].lower()}{clause[1:]}.")
    if (agency := agency_sentence(proc, 120)):
        parts.append(agency)
    if proc.online:
        parts.append("Anh chị cũng có thể nộp trực tuyến trên Cổng Dịch vụ công.")
    if not parts:
        parts.append("Hồ sơ quốc gia không ghi nơi tiếp nhận.")
    return " ".join(parts)


def online_text(proc: Procedure, today: dt.date, link: str | None = None) -> str:
    online = [c for c in proc.submission_modes if c.kind == "truc_tuyen"]
    if not online:
        kinds = join_items([MODE_SPOKEN[c.kind] for c in proc.submission_modes if c.kind != "truc_tuyen"][:2])
        other = f" Anh chị có thể {kinds}." if kinds else ""
        return "Hồ sơ quốc gia không ghi hình thức nộp trực tuyến cho thủ tục này." + other
    time = mode_time(proc)(online[0])
    fee = mode_fee_phrases(proc.submission_modes, today)[0][id(online[0])]
    text = "Thủ tục này nộp trực tuyến được, trên Cổng Dịch vụ công quốc gia hoặc ứng dụng VNeID nếu có hỗ trợ."
    if time:
        text += f" Thời hạn khi nộp trực tuyến: {time}."
    text += f" Lệ phí khi nộp trực tuyến: {fee}."
    return text


def steps_text(proc: Procedure, today: dt.date, link: str | None = None) -> str:
    link = link or proc.source_url
    if not proc.steps:
        return "Hồ sơ quốc gia không ghi các bước thực hiện."
    shown = [f"Bước {i}: {short_sentence(s, 120)}." for i, s in enumerate(proc.steps[:MAX_STEPS], start=1)]
    return " ".join(shown) + more_sentence(len(proc.steps) - MAX_STEPS, "bước", link)


def legal_text(proc: Procedure, today: dt.date, link: str | None = None) -> str:
    if not proc.legal_basis:
        return "Hồ sơ quốc gia không ghi căn cứ pháp lý."
    items = []
    for lb in proc.legal_basis[:MAX_LEGAL]:
        if lb.number and lb.number in lb.title:  # "Thông tư số 53/2025/TT-BCA ngày ..." -> up to the number
            items.append(" ".join(lb.title[: lb.title.index(lb.number) + len(lb.number)].split()))
            continue
        title = short_sentence(lb.title, 90)
        if not lb.number:
            items.append(title)
        else:
            items.append(f"{title} {lb.number}" if title.endswith(" số") else f"{title}, số {lb.number}")
    text = "Căn cứ pháp lý: " + "; ".join(items) + "."
    rest = len(proc.legal_basis) - MAX_LEGAL
    if rest > 0:
        text += f" Và {rest} văn bản khác."
    return text


def result_text(proc: Procedure, today: dt.date, link: str | None = None) -> str:
    if not proc.result:
        return "Hồ sơ quốc gia không ghi kết quả của thủ tục."
    results = [short_sentence(r, 120) for r in proc.result.split("; ") if r.strip()]
    text = "Kết quả anh chị nhận được: " + "; ".join(results[:3]) + "."
    return text + (f" Và {len(results) - 3} loại kết quả khác." if len(results) > 3 else "")


def overview_text(proc: Procedure, today: dt.date, link: str | None = None) -> str:
    parts = []
    docs = real_documents(proc)
    if docs:
        common = common_dossier(docs, proc.name)[0] or docs
        names = list(dict.fromkeys(short_sentence(d.name, 70) for d in common))[:2]
        more = f" và {len(docs) - len(names)} giấy tờ khác" if len(docs) > len(names) else ""
        parts.append(f"Hồ sơ gồm {'; '.join(names)}{more}.")
    phrases = mode_fee_phrases(proc.submission_modes, today)[0]
    fee = group_by_mode(proc, lambda ch: phrases[id(ch)])
    if fee:
        parts.append(f"Lệ phí: {fee}.")
    time = group_by_mode(proc, mode_time(proc))
    if time:
        parts.append(f"Thời hạn giải quyết: {time}.")
    if (agency := agency_sentence(proc, 100)):
        parts.append(agency)
    parts.append("Có thể nộp trực tuyến." if proc.online else "Hồ sơ quốc gia không ghi hình thức nộp trực tuyến.")
    return " ".join(parts)
