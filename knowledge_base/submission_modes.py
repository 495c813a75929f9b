"""Parser for the flattened ``cach_thuc_thuc_hien`` (ways of submitting a dossier) table.

The portal renders a four-column table (Hình thức nộp | Thời gian giải quyết | Phí, lệ phí |
Mô tả) and the crawl ran the cells together, for example::

    Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến3 Ngày làm việc7,000 Việt Nam Đồng(- ...)- Nộp
    hồ sơ trực tuyến ...Trực tiếp3 Ngày làm việc10,000 Việt Nam Đồng(...)...

Shapes handled (all seen in the real records, see ``tests/kb_catalogue``):

- time with unit (``3 Ngày làm việc``, ``10 Ngày``, ``24 Giờ``, ``4 Tháng``), time whose unit was
  lost (``Trực tiếp1Miễn phí``), no time (``Không có thông tin``, ``Không quy định``) or free text;
- fee ``Miễn phí`` (free), ``Không có thông tin`` / ``Không quy định`` (no information: NOT free),
  one or several ``<amount> Việt Nam Đồng|VNĐ|USD(<description>)`` tiers;
- a lost unit glued to a ``VNĐ`` amount (``Trực tuyến1100 VNĐ(... 100.000 đồng/lần ...)``): the
  digits are split so that the amount agrees with the description or the other rows;
- ``VNĐ`` amounts that are really thousands (``120 VNĐ(20.000 vnđ /tờ khai)``) are corrected from
  the description, otherwise flagged ``amount_unit_suspect``;
- ``Miễn phí`` whose description states amounts (``Miễn phí(- Lệ phí ...: 135.000 đồng/lần.``):
  status ``unclear`` with the stated amounts, never presented as free;
- a "Miễn phí" cell whose description says the provincial council sets the fee and exempts only some
  cases (civil status): status ``unclear`` (flag ``free_label_with_council_fee``);
- a field amount that its own description contradicts, when the description names the row's channel
  (``5,000 VNĐ(... trực tuyến thu 7.000 đồng/lần ...)``) or starts with the one amount it states
  (``40,000 VNĐ(50.000đ/giấy thông hành ...)``): the description's amount (``amount_from_description``);
- a row label at the start of a line (``...pháp luật).\nTrực tiếp3 Ngày làm việc...``);
- channel labels that also occur inside a description (``- Trực tuyến: nộp hồ sơ tại ...``): a row
  starts only where the label is glued to the previous cell and followed by a time or fee cell.
"""

from __future__ import annotations

import re
import unicodedata

from knowledge_base.catalogue import Fee, SubmissionMode

__all__ = ["HEADER", "split_clauses", "parse_submission_modes", "parse_vnd_amounts"]

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"

_LABELS = {"Trực tiếp": "truc_tiep", "Trực tuyến": "truc_tuyen", "Dịch vụ bưu chính": "buu_chinh"}
_UNITS = ("Ngày làm việc", "Giờ làm việc", "Ngày", "Giờ", "Tháng", "Năm", "Tuần", "Phút")
_NO_INFO = ("Không có thông tin", "Không quy định")
_CURRENCY = r"(?:Việt Nam Đồng|VNĐ|USD)"

#: a row starts at a label that is at the start or glued to the previous cell (no space before),
#: followed by a digit or a capital letter (a time or fee cell), never by ":" or " qua ..."
#: (or at the start of a line: "...pháp luật).\nTrực tiếp3 Ngày làm việc10,000 ...")
_ROW_START = re.compile(
    r"(?:(?<=^)|(?<=\S)|(?<=\n))(?<![-–])(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=\d|[A-ZĐÀ-Ỹ])", re.MULTILINE
)
_TIME_UNIT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(" + "|".join(_UNITS) + ")")
_NUM_MONEY = re.compile(r"(\d[\d,.]*)\s?(" + _CURRENCY[3:-1] + ")")
_FEE_START = re.compile(r"Miễn phí|Không có thông tin|Không quy định|\d[\d,.]*\s?" + _CURRENCY)
#: amounts written inside descriptions: "135.000 đồng", "20.000 vnđ", "1.200.000đ", "2 triệu đồng"
_TEXT_AMOUNT = re.compile(
    r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(triệu\s*)?(?:đồng|Đồng|VNĐ|vnđ|VND|đ)(?![\wà-ỹ])", re.UNICODE
)


#: a "Miễn phí" cell whose description talks about a fee that is charged ...
_FEE_RULE = re.compile(r"mức thu|thu phí|lệ phí|\bphí\b", re.IGNORECASE)
#: ... unless it says what is exempt or that nothing is charged
_EXEMPT = re.compile(r"miễn|không thu|không phải nộp|không quy định|không có", re.IGNORECASE)
#: a fee whose amount the provincial council sets ("Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh ...
#: quyết định"): a fee exists even when the cell says "Miễn phí" and some cases are exempt
_COUNCIL_SETS = re.compile(r"do\s+Hội\s+đồng\s+nhân\s+dân[^.;]{0,80}?quyết\s+định", re.IGNORECASE)
#: an exemption for some cases only ("Miễn lệ phí đối với ...", "Miễn lệ phí cho người ...")
_EXEMPT_FOR = re.compile(r"miễn\s+(?:lệ\s+)?phí\s+(?:đối\s+với|cho)\b", re.IGNORECASE)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def _to_int(digits: str) -> int:
    return int(re.sub(r"[.,]", "", digits))


def parse_vnd_amounts(text: str) -> list[int]:
    """Every amount in đồng written in free text, in order ("135.000 đồng" -> 135000)."""
    out = []
    for m in _TEXT_AMOUNT.finditer(text or ""):
        value = _to_int(m.group(1))
        if m.group(2):
            value *= 1_000_000
        out.append(value)
    return out


_CLAUSE = re.compile(r"(?<=[.;])\s+|\s+-\s+|\n|\s\+\s|^[-+]\s*")


def split_clauses(text: str) -> list[str]:
    """Clauses of a fee description ("- Lệ phí ...: 135.000 đồng/lần. - Trường hợp ...")."""
    return [c.strip(" -+") for c in _CLAUSE.split(text or "") if c and c.strip(" -+")]


def _extra_tiers(fees: list[Fee]) -> list[Fee]:
    """Other amounts a paid row's description states ("cấp lại do bị mất: 400.000đ/hộ chiếu")."""
    seen = {f.amount_vnd for f in fees}
    extra: list[Fee] = []
    for fee in fees:
        for clause in split_clauses(fee.description):
            for amount in parse_vnd_amounts(clause):
                if amount >= 1000 and amount not in seen:
                    seen.add(amount)
                    extra.append(Fee(amount_vnd=amount, description=clause, amount=float(amount)))
    return extra


def _balanced(text: str, start: int) -> int:
    """Index just after the ``)`` matching the ``(`` at ``start``; ``len(text)`` when unclosed."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _paren(text: str, pos: int) -> tuple[str, int, bool]:
    """Optional parenthesised description at ``pos``: (inner text, new pos, closed?)."""
    if pos < len(text) and text[pos] == "(":
        end = _balanced(text, pos)
        closed = end <= len(text) and text[end - 1 : end] == ")"
        inner = text[pos + 1 : end - 1] if closed else text[pos + 1 :]
        return inner.strip(), end, closed
    return "", pos, True


def _split_rows(body: str) -> list[tuple[str, str]]:
    starts = list(_ROW_START.finditer(body))
    rows = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        rows.append((m.group(1), body[m.end() : end]))
    return rows


def _parse_fee_cell(cell: str) -> tuple[list[tuple[float, str, str]], str, str, int, list[str]]:
    """Parse the fee cell at the start of ``cell``.

    Returns (tiers as (amount, currency, description), status, raw fee text, end position, flags);
    status is ``free``, ``amounts`` or ``unknown``.
    """
    flags: list[str] = []
    pos = 0
    tiers: list[tuple[float, str, str]] = []
    status = "unknown"
    if cell.startswith("Miễn phí"):
        pos = len("Miễn phí")
        desc, pos, closed = _paren(cell, pos)
        if not closed:
            flags.append("fee_description_cut")
        tiers.append((0, "VND", desc))
        status = "free"
    else:
        for word in _NO_INFO:
            if cell.startswith(word):
                pos = len(word)
                desc, pos, _ = _paren(cell, pos)
                if desc:
                    tiers.append((-1, "", desc))  # no amount, only a remark
                return tiers, "unknown", cell[:pos], pos, flags
        while True:
            m = _NUM_MONEY.match(cell, pos)
            if not m:
                break
            pos = m.end()
            desc, pos, closed = _paren(cell, pos)
            if not closed:
                flags.append("fee_description_cut")
            currency = "USD" if m.group(2) == "USD" else "VND"
            tiers.append((float(_to_int(m.group(1))), currency, desc))
            status = "amounts"
    return tiers, status, cell[:pos], pos, flags


#: how a description names each channel ("nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 7.000 đồng")
_CHANNEL_WORDS = {"Trực tuyến": r"trực\s*tuyến", "Trực tiếp": r"trực\s*tiếp", "Dịch vụ bưu chính": r"bưu\s*chính"}


def _own_channel_amount(label: str, desc: str) -> int | None:
    """The one amount a description states for the row's own channel, when exactly one undated
    clause names that channel and no other ("Trường hợp ... nộp hồ sơ ... trực tuyến thu 7.000
    đồng/lần"); ``None`` otherwise (dated reduced rates are handled by the answers, not here)."""
    own = re.compile(_CHANNEL_WORDS[label], re.IGNORECASE)
    others = [re.compile(w, re.IGNORECASE) for lab, w in _CHANNEL_WORDS.items() if lab != label]
    found = set()
    for clause in split_clauses(desc):
        if not own.search(clause) or any(o.search(clause) for o in others) or re.search(r"\bđến\b", clause):
            continue
        found.update(a for a in parse_vnd_amounts(clause) if a >= 1000)
    return found.pop() if len(found) == 1 else None


def _leading_amount(desc: str) -> int | None:
    """The amount an undated description starts with and is the only one it states ("50.000đ/giấy
    thông hành (Thông tư số 25/2021/TT-BTC ...)" under a 40,000 field): the row's fee as written."""
    stated = {a for a in parse_vnd_amounts(desc) if a >= 1000}
    first = _TEXT_AMOUNT.match(desc.lstrip(" -+*•(")) if desc else None
    if len(stated) != 1 or first is None or re.search(r"\bđến\b", desc):
        return None
    amount = stated.pop()
    return amount if parse_vnd_amounts(first.group(0)) == [amount] else None


def _split_glued(digits: str, desc: str, other_times: list[float]) -> tuple[str, str]:
    """Split "1100" (lost time unit + VNĐ amount) into ("1", "100")."""
    candidates = [(digits[:k], digits[k:]) for k in range(1, len(digits)) if digits[k] != "0"]
    mentioned = set(parse_vnd_amounts(desc))
    for t, a in candidates:
        if int(a) in mentioned or int(a) * 1000 in mentioned:
            return t, a
    for t, a in candidates:
        if float(t) in other_times:
            return t, a
    return candidates[0] if candidates else ("", digits)


def _parse_row(label: str, cell: str, other_times: list[float]) -> SubmissionMode:
    flags: list[str] = []
    time_value: float | None = None
    time_unit: str | None = None
    time_text = ""
    m = _TIME_UNIT.match(cell)
    glued = re.match(r"(\d+)(\s?VNĐ)", cell)
    if m:
        time_value, time_unit, time_text = float(m.group(1).replace(",", ".")), m.group(2), m.group(0)
        rest = cell[m.end() :]
    elif glued and not re.match(r"\d+ (Ngày|Giờ|Tháng)", cell):
        # the time unit was lost and the time digits ran into a VNĐ amount
        par = cell[glued.end() :]
        desc = _paren(par, 0)[0]
        t, a = _split_glued(glued.group(1), desc, other_times)
        time_text = t
        time_value = float(t) if t else None
        flags += ["time_unit_missing", "time_fee_digits_split"]
        rest = a + cell[len(glued.group(1)) :]
    elif (d := re.match(r"(\d+(?:[.,]\d+)?)(?=Miễn phí|Không|\d[\d,.]*\s?" + _CURRENCY + ")", cell)) is not None:
        time_value, time_text = float(d.group(1).replace(",", ".")), d.group(1)
        flags.append("time_unit_missing")
        rest = cell[d.end() :]
    else:
        nxt = None
        for word in _NO_INFO:
            if cell.startswith(word):
                nxt = len(word)
                break
        if nxt is None:  # free text time ("Không phải trả kết quả cho người nộp thuế")
            fm = _FEE_START.search(cell)
            nxt = fm.start() if fm else 0
            flags.append("time_text" if nxt else "no_time")
        else:
            flags.append("no_time")
        time_text, rest = cell[:nxt], cell[nxt:]

    tiers, status, fee_text, end, fee_flags = _parse_fee_cell(rest)
    flags += fee_flags
    note = rest[end:].strip()
    if not fee_text:
        flags.append("fee_unparsed")

    fees: list[Fee] = []
    remarks = [d for a, _, d in tiers if a < 0]
    descriptions = " ".join(d for _, _, d in tiers if d)
    if status == "free":
        stated = [a for a in parse_vnd_amounts(descriptions) if a > 0]
        if stated:  # "Miễn phí(- Lệ phí ...: 135.000 đồng/lần ...)": the label contradicts the text
            status = "unclear"
            flags.append("free_label_with_amounts")
            fees = [Fee(amount_vnd=a, description=descriptions, amount=float(a)) for a in dict.fromkeys(stated)]
        elif _COUNCIL_SETS.search(descriptions) and (
            _EXEMPT_FOR.search(descriptions) or not _EXEMPT.search(descriptions)
        ):
            # "Miễn phí(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh ... quyết định. Miễn lệ phí đối
            # với trường hợp ... đúng hạn, người thuộc hộ nghèo ...)": free only for those cases
            status = "unclear"
            flags.append("free_label_with_council_fee")
            fees = [Fee(amount_vnd=None, description=descriptions)]
        elif _FEE_RULE.search(descriptions) and not _EXEMPT.search(descriptions):
            # "Miễn phí(Thực hiện theo Thông tư ... quy định mức thu ... phí ...)": a fee exists
            status = "unclear"
            flags.append("free_label_with_fee_rule")
            fees = [Fee(amount_vnd=None, description=descriptions)]
        else:
            fees = [Fee(amount_vnd=0, description=descriptions, amount=0.0)]
    elif status == "amounts":
        for amount, currency, desc in tiers:
            if currency == "USD":
                fees.append(Fee(amount_vnd=None, description=desc, amount=amount, currency="USD"))
                continue
            value = int(amount)
            if 0 < value < 1000:  # "20 VNĐ(20.000 vnđ /tờ khai)": the portal field is in thousands
                in_text = parse_vnd_amounts(desc) + parse_vnd_amounts(note)
                if value * 1000 in in_text:
                    value *= 1000
                    flags.append("amount_thousands_corrected")
                else:
                    flags.append("amount_unit_suspect")
            own = _own_channel_amount(label, desc) or _leading_amount(desc)
            if value >= 1000 and own is not None and own != value:
                # "5,000 Việt Nam Đồng(... nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 7.000
                # đồng/lần đăng ký.)": the description says what this channel costs, the field disagrees
                value = own
                flags.append("amount_from_description")
            fees.append(Fee(amount_vnd=value, description=desc, amount=amount))
        if fees and all(f.amount_vnd == 0 for f in fees):
            status = "free"
        else:
            status = "paid"
            fees += _extra_tiers(fees)
    else:
        status = "unknown"
    if remarks:
        note = " ".join([*remarks, note]).strip()
    if time_unit is None and "time_unit_missing" not in flags and time_value is not None:
        flags.append("time_unit_missing")
    return SubmissionMode(
        kind=_LABELS[label],
        label=label,
        time_value=time_value,
        time_unit=time_unit,
        time_text=time_text.strip(),
        fees=tuple(fees),
        fee_status=status,
        fee_text=fee_text.strip(),
        note=note,
        flags=tuple(dict.fromkeys(flags)),
    )


def parse_submission_modes(raw: str) -> tuple[list[SubmissionMode], list[str]]:
    """Parse a ``cach_thuc_thuc_hien`` string. Returns (channels, problems); problems are
    record-level reasons (empty when the table parsed cleanly)."""
    text = _nfc(raw).strip()
    problems: list[str] = []
    if not text:
        return [], ["channels_empty"]
    if text.startswith(HEADER):
        text = text[len(HEADER) :]
    else:
        problems.append("channels_header_missing")
    rows = _split_rows(text)
    if not rows:
        return [], [*problems, "channels_no_row"]
    lead = text[: text.find(rows[0][0])] if rows else text
    if lead.strip():
        problems.append("channels_text_before_first_row")
    # first pass: times with a unit, used to split glued time/fee digits in the second pass
    known = [float(m.group(1).replace(",", ".")) for _, c in rows if (m := _TIME_UNIT.match(c))]
    # several rows for one channel are legitimate (e.g. passports: 5 and 3 working days by case)
    return [_parse_row(label, cell, known) for label, cell in rows], problems
