"""Counts and the members they name: 有7个，即A、B、C / 有5个：A、B / 有6个（A、B） / 13项：A、B、C."""
from __future__ import annotations

import re
from dataclasses import replace

from digecon.factcheck.clauses import Statement, changed_word, place_list, region_list

# measure words of whole things counted one by one (万个, 亿户 are levels, not counts)
_COUNTED = {"个", "家", "项", "所", "座", "款", "部", "条", "种", "批", "类", "处", "名", "只", "支", "席"}
_STOP = "，。；！？\n,;"
# a lead word before the members (即丹东、辽阳; 分别是A、B; 包括A、B)
_LEAD = re.compile(r"\s*(?:分别是|分别为|依次是|依次为|包括|主要有|即|为|是)\s*")
_ITEM = re.compile(r"[^\d%％‰，。；：:、（）()“”\"\s]{2,16}")
# what a bracket holds when it is no list of members: 含/占/其中/同比 … (and anything with a number)
_NOT_MEMBERS = re.compile(r"^\s*(?:含|不含|占|其中|同比|比|较|增长|下降|以下简称|简称|即|约|合计|共|下同)")


def _clause_end(text: str, at: int) -> int:
    """The end of the clause `at` is in (a ，；。 outside brackets, or the line's end)."""
    depth = 0
    for i in range(at, min(len(text), at + 200)):
        ch = text[i]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
            if depth < 0:
                return i
        elif depth == 0 and ch in _STOP:
            return i
    return min(len(text), at + 200)


def _clause_start(text: str, at: int) -> int:
    i = at
    while i > 0 and text[i - 1] not in _STOP and at - i < 200:
        i -= 1
    return i


def _items(body: str) -> list[list[str]] | None:
    """The readings of a list of names (A、B、C; A、B和C; A、B等): each a list of members, the last ending with
    '等' when the list is open. None when `body` is anything but a list of two or more names."""
    body = re.sub(r"(?:在内|等等)$", "", body.strip()).strip()
    open_list = body.endswith("等")
    body = re.sub(r"等$", "", body).strip()
    tail = ["等"] if open_list else []
    got = region_list(body)
    if got is not None and len(got[0]) < len(body.split("、")):
        got = None  # 南宁、北海、钦州、防城港 read as its last two: the regions do not cover the list
    if got is None:
        got = place_list(body)
        if got is not None and "".join(got[0]) != re.sub(r"、|和|及|与", "", body):
            got = None  # a run of places that does not cover the list
    if got is not None and len(got[0]) >= 2:
        return [got[0] + tail]
    items = [x.strip() for x in body.split("、")]
    if len(items) < 2 or not all(_ITEM.fullmatch(x) for x in items):
        return None
    readings = [items + tail]
    last = re.split(r"以及|和|及|与", items[-1])
    if len(last) == 2 and all(_ITEM.fullmatch(x) for x in last):
        readings.append(items[:-1] + last + tail)  # A、B和C: three names, unless 和 is inside the last one
    return readings


def _list_after(text: str, st: Statement, end: int) -> list[list[str]] | None:
    """The members listed after the count (before the clause's `end`): in a bracket of its clause (有6个（A、B）,
    有5家企业的平台入选…（A、B）), after a colon right after it or its noun (重点事项13项：A、B), or in the next
    clause after a lead word (有7个，即A、B、C)."""
    at = st.end
    m = re.match(r"[^（(，。；：:\d]{0,40}?[（(]([^（()）]{2,160})[）)]", text[at:end + 1])
    if m and not _NOT_MEMBERS.match(m.group(1)):
        got = _items(m.group(1))
        if got:
            return got
    m = re.match(r"[\u4e00-\u9fff]{0,10}[：:]\s*([^。；;！？\n]{2,200})", text[at:])
    if m:
        return _items(re.split(r"[，,]", m.group(1))[0])
    if end < len(text) and text[end] in "，,":
        nxt = _clause_end(text, end + 1)
        lead = _LEAD.match(text, end + 1)
        if lead and lead.end() < nxt and re.sub(r"\s", "", lead.group(0)):
            return _items(text[lead.end():nxt])
    return None


def _countable(st: Statement, text: str) -> bool:
    n = st.num
    if n.ordinal or n.qualifier != "eq" or n.unit not in _COUNTED or n.value != int(n.value) or n.value < 2:
        return False
    if st.measure not in ("level", "count") or st.members or st.parent is not None or st.group is not None:
        return False
    head = text[max(0, n.start - 6):n.start]
    return not changed_word(head) and not re.search(r"(比上年|比去年|较上年|同比)[^，。；]{0,4}$", head)


def name_members(text: str, sts: list[Statement]) -> None:
    """Give each count of whole things (N个, N家, N项) that lists its members after it those members, so
    that the count is checked against them. `text` is the normalised text the statements index."""
    for k, st in enumerate(sts):
        if not _countable(st, text):
            continue
        end = _clause_end(text, st.end)
        # one count per list: another number in the count's clause may own the list (6个县级市和2个县，即…)
        start = _clause_start(text, st.start)
        if any(start <= o.start < end for j, o in enumerate(sts[max(0, k - 4):k + 4], max(0, k - 4)) if j != k):
            continue
        readings = _list_after(text, st, end)
        if not readings:
            continue
        n = round(st.num.value)
        best = min(readings, key=lambda r: abs(len([x for x in r if x != "等"]) - n))
        st.open_list = best[-1] == "等"
        st.members = [x for x in best if x != "等"]
        if st.measure != "count":
            st.measure = "count"
            st.num = replace(st.num, form="items") if not _region_members(st) else st.num


def _region_members(st: Statement) -> bool:
    """The members are places (the checker's message says 地区), not other things."""
    return all(re.search(r"(省|市|区|县|州|盟|旗|自治区)$", x) for x in st.members)
