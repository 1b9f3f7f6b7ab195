"""The 修订说明 of an edition: every value that changed since the previous edition's vintage.

An edition is the same dataset read at a later `as_of`. Each cell (indicator × region × period)
has one value at a vintage (digecon.facts: the store's choice rule); a cell is revised when its
value as printed (catalog decimals, half-up) at this edition's `as_of` differs from its value at
the previous edition's. A revised input changes the values derived from it (shares, growth
rates …), which are listed too and marked as derived, with the inputs they were recomputed from.
Cells that are new in this edition (no value before) are new data, not revisions.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from digecon.facts import STATUS_MARK, Fact, Facts

# The table's columns. Cells do not wrap in the PDF's tables, so each row stays short: the
# vintages and sources of the two values are numbered notes under the table (注1, 注2 …), one per
# distinct wording, which wrap.
COLUMNS = ("指标", "地区", "时期", "原数", "修订数", "注")
DIRECT, DERIVED = "数据修订", "推算值随输入重算"


@dataclass(frozen=True)
class Revision:
    old: Fact
    new: Fact

    @property
    def derived(self) -> bool:
        """Recomputed by the store from its inputs (a formula), not stated by a source."""
        return bool(self.new.inputs)

    def changed_inputs(self, since: str) -> list[dict]:
        """The inputs of a derived value that are newer than the previous edition."""
        return [i for i in self.new.input_list() if str(i.get("vintage", "")) > since]


def _key(f: Fact) -> tuple[str, str, str]:
    return f.indicator, f.region, f.period


def revisions(store, since: str, as_of: str | None = None) -> list[Revision]:
    """Every cell whose printed value at `as_of` (None: the latest) differs from its value at
    `since`: the values stated anew first, then the derived ones, each by indicator, region
    and period."""
    before = {_key(f): f for f in Facts(store, since).all()}
    out = []
    for new in Facts(store, as_of).all():
        old = before.get(_key(new))
        if old is not None and old.rounded != new.rounded:
            out.append(Revision(old, new))
    return sorted(out, key=lambda r: (r.derived, r.new.indicator, r.new.region, r.new.period))


def _value(f: Fact) -> str:
    """The printed value with the status mark of every surface: （示意）, （估）, （推）."""
    mark = STATUS_MARK.get(f.status, "")
    return f.text + (f"（{mark}）" if mark else "")


def _heading(f: Fact) -> str:
    return f"{f.name}（{f.unit}）" if f.unit not in ("", "梯队") else f.name


def _input_words(store, inputs: list[dict]) -> str:
    """The revised inputs by name and vintage (the row names the region and period)."""
    words = []
    for i in inputs:
        try:
            name = store.catalog.indicator(i["indicator"]).name_zh
        except KeyError:
            name = i["indicator"]
        words.append(f"{name}（{i['vintage']}版）")
    return "、".join(dict.fromkeys(words))


def _note(store, r: Revision, since: str) -> str:
    kind = DERIVED if r.derived else DIRECT
    if r.old.status != r.new.status:
        kind += f"（原为{r.old.status_zh}）"
    old = "推算值" if r.old.inputs else ""
    if r.derived:
        changed = _input_words(store, r.changed_inputs(since))
        new = f"，随{changed}修订重算" if changed else "，由输入重算"
    else:
        new = ""
    return (f"{kind}：原数为 {r.old.vintage.isoformat()} 版{old}，"
            f"修订数为 {r.new.vintage.isoformat()} 版{new}。")


def _sources(found: list[Revision]) -> str:
    """Each stated value's source once, by vintage (derived values name their inputs)."""
    seen = dict.fromkeys((f.vintage.isoformat(), f.source) for r in found
                         for f in (r.old, r.new) if not f.inputs)
    return "各版本来源：" + "；".join(f"{v} 版，{src}" for v, src in sorted(seen)) + "。"


def revision_rows(store, found: list[Revision], since: str) -> tuple[pd.DataFrame, list[str]]:
    """The table's rows (COLUMNS) and their notes: numbered ones saying whether a value was
    revised or recomputed and both vintages (a derived value is also marked （推） in its cell),
    then the sources of the stated values by vintage."""
    notes: dict[str, int] = {}
    rows = []
    for r in found:
        text = _note(store, r, since)
        k = notes.setdefault(text, len(notes) + 1)
        rows.append(dict(zip(COLUMNS, (_heading(r.new), r.new.region_name, r.new.period,
                                       _value(r.old), _value(r.new), f"注{k}"))))
    return (pd.DataFrame(rows, columns=list(COLUMNS)),
            [*(f"注{k}：{text}" for text, k in notes.items()), _sources(found)])


def revisions_table(block, tdef, store, as_of: str | None):
    """The 修订说明 as a report table (every format renders it as its other tables); an edition
    with no revision says so in its one row and its note."""
    from digecon.publish.document import TableOut

    since = tdef.revisions_since
    if as_of is not None and since > as_of:
        raise LookupError(f"{tdef.id}: revisions.since = {since} 晚于本版 as_of = {as_of}；"
                          f"应为上一版的数据截至日期（早于本版）")
    found = revisions(store, since, as_of)
    until = as_of or "最新版本"
    if found:
        frame, numbered = revision_rows(store, found, since)
        n_derived = sum(r.derived for r in found)
        notes = [(f"与上一版（数据截至 {since}）相比，本版（数据截至 {until}）修订数值 "
                  f"{len(found)} 项，其中数据修订 {len(found) - n_derived} 项、"
                  f"随输入重算的推算值 {n_derived} 项；本版新增的数据不在此列。"), *numbered]
    else:
        frame = pd.DataFrame([dict.fromkeys(COLUMNS, "")])
        frame.iloc[0, 0] = "无修订"
        notes = [f"与上一版（数据截至 {since}）相比，本版（数据截至 {until}）没有修订的数值。"]
    marked = any(r.old.marked or r.new.marked for r in found)
    return TableOut(block, tdef, frame, [], notes, marked)
