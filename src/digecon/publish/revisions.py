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

from digecon.facts import Fact, Facts

# heading of each column of the table, in order
COLUMNS = {"name": "指标", "region": "地区", "period": "时期", "old": "上一版数值",
           "old_vintage": "上一版版本", "new": "本版数值", "new_vintage": "本版版本",
           "kind": "修订类别", "source": "来源"}
DIRECT, DERIVED = "数据修订", "推算值随输入重算"


@dataclass(frozen=True)
class Revision:
    old: Fact
    new: Fact

    @property
    def derived(self) -> bool:
        """Recomputed by the store from its inputs (a formula), not stated by a source."""
        return bool(self.new.formula)

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
    mark = "（示意）" if f.marked else ""
    return f"{f.text}{'' if f.unit in ('', '梯队') else f.unit}{mark}"


def _input_words(store, inputs: list[dict]) -> str:
    words = []
    for i in inputs:
        try:
            name = store.catalog.indicator(i["indicator"]).name_zh
        except KeyError:
            name = i["indicator"]
        try:
            region = store.catalog.region(i["region"]).name
        except KeyError:
            region = i["region"]
        words.append(f"{region}{i['period']}年{name}（{i['vintage']}版）")
    return "、".join(dict.fromkeys(words))


def revision_rows(store, found: list[Revision], since: str) -> pd.DataFrame:
    """The table's rows, headed in Chinese (COLUMNS)."""
    rows = []
    for r in found:
        if r.derived:
            changed = _input_words(store, r.changed_inputs(since))
            source = f"由{changed}重算：{r.new.formula}" if changed else f"重算：{r.new.formula}"
            kind = DERIVED
        else:
            source, kind = r.new.source, DIRECT
        if r.old.status != r.new.status:
            kind += f"（原为{r.old.status_zh}）"
        rows.append({"name": r.new.name, "region": r.new.region_name, "period": r.new.period,
                     "old": _value(r.old), "old_vintage": r.old.vintage.isoformat(),
                     "new": _value(r.new), "new_vintage": r.new.vintage.isoformat(),
                     "kind": kind, "source": source})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.rename(columns=COLUMNS).reset_index(drop=True)


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
        frame = revision_rows(store, found, since)
        n_derived = sum(r.derived for r in found)
        notes = [(f"注：与上一版（数据截至 {since}）相比，本版（数据截至 {until}）修订数值 "
                 f"{len(found)} 项，其中数据修订 {len(found) - n_derived} 项、"
                 f"随输入重算的推算值 {n_derived} 项；本版新增的数据不在此列。")]
    else:
        frame = pd.DataFrame([{h: "" for h in COLUMNS.values()}])
        frame.iloc[0, 0] = "无修订"
        notes = [f"注：与上一版（数据截至 {since}）相比，本版（数据截至 {until}）没有修订的数值。"]
    marked = any(r.old.marked or r.new.marked for r in found)
    return TableOut(block, tdef, frame, [], notes, marked)
