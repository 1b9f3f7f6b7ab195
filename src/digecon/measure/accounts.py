"""数字产业化 accounts from enterprise records, written once as ibis expressions (no engine imported)."""
from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from digecon.measure.classify import CORE_CODES, Concordance, gbt4754

__all__ = [
    "MONEY_COLUMNS",
    "OUTSIDE",
    "RECORD_COLUMNS",
    "accounts",
    "bad_records",
    "checked",
    "duplicates",
    "lookup_table",
    "outside_examples",
    "reconciliation",
    "records_schema",
]

MONEY_COLUMNS = ("labour_compensation", "net_production_taxes", "depreciation", "operating_surplus")
RECORD_COLUMNS = ("enterprise_id", "region_code", "industry_code", "year", *MONEY_COLUMNS, "revenue")
OUTSIDE = "_outside"   # the part of value added outside the concordance's scope
WAN_PER_YI = 10_000.0  # records are in 万元, accounts in 亿元


def records_schema(all_strings: bool = True) -> ibis.Schema:
    """The record layout; CSV inputs arrive as text so that bad cells can be reported, not lost."""
    if all_strings:
        return ibis.schema({c: "string" for c in RECORD_COLUMNS} | {"_row": "int64"})
    return ibis.schema({"enterprise_id": "string", "region_code": "string",
                        "industry_code": "string", "year": "int64",
                        **{c: "float64" for c in (*MONEY_COLUMNS, "revenue")}, "_row": "int64"})


def lookup_table(conc: Concordance, gbt: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per GB/T code: one row per category, plus `core` and `total` roll-ups and the outside remainder.

    Columns industry_code, de_code, share, counts. `counts` is 1 where a record counts as an
    enterprise of that group, so a code split across categories is counted once in core/total.
    Every GB/T code appears, so a code missing here is not a GB/T 4754-2017 code at all.
    """
    gbt = gbt4754() if gbt is None else gbt
    exp = conc.expanded(gbt)[["industry_code", "de_code", "share"]].astype({"share": float})

    def rollup(part: pd.DataFrame, de_code: str) -> pd.DataFrame:
        g = part.groupby("industry_code", sort=False, as_index=False)["share"].sum()
        return g.assign(de_code=de_code)

    total = rollup(exp, "total")
    rest = total.assign(de_code=OUTSIDE, share=1.0 - total["share"])
    # Per code: its categories, then core, total and the outside remainder, in that order.
    parts = [exp, rollup(exp[exp["de_code"].str[:2].isin(CORE_CODES)], "core"), total]
    within = pd.concat([p.assign(counts=1) for p in parts]
                       + [rest[rest["share"] > 1e-12].assign(counts=0)], ignore_index=True)
    within = within.sort_values("industry_code", kind="stable")
    codes = gbt["code"]
    uncovered = codes[codes.str.isdigit() & ~codes.isin(exp["industry_code"])]
    outside = pd.DataFrame({"industry_code": uncovered, "de_code": OUTSIDE, "share": 1.0,
                            "counts": 0})
    out = pd.concat([within, outside], ignore_index=True)
    return out[["industry_code", "de_code", "share", "counts"]].astype({"counts": "int64"})


def _number(col: ir.Value, dtype: str) -> ir.Value:
    if col.type().is_string():
        return col.strip().try_cast(dtype)
    return col.cast(dtype)


def _blank(col: ir.Value) -> ir.BooleanValue:
    if col.type().is_string():
        return col.isnull() | (col.strip() == "")
    return col.isnull()


def _conditions(t: ir.Table, lookup: ir.Table) -> list[tuple[ir.BooleanValue, str, str, ir.Value]]:
    """(condition, reason, column, value found) per check, in the order a bad row's reason is chosen.

    Every condition is true or false, never NULL, so "no condition holds" means a good row.
    """
    year = _number(t.year, "int64")
    money = {c: _number(t[c], "float64") for c in MONEY_COLUMNS}
    as_text = {c: t[c].cast("string") for c in ("year", *MONEY_COLUMNS)}
    conds: list[tuple[ir.BooleanValue, str, str, ir.Value]] = [
        (_blank(t.year), "缺少年份", "year", ibis.literal("")),
        (year.isnull() | (year < 1949) | (year > 2100), "年份不是1949–2100之间的整数", "year",
         as_text["year"]),
    ]
    for c in MONEY_COLUMNS:
        conds.append((_blank(t[c]), "金额为空", c, ibis.literal("")))
        conds.append((money[c].isnull(), "金额不是数字", c, as_text[c]))
    conds += [
        (_blank(t.region_code), "缺少地区代码", "region_code", ibis.literal("")),
        # IN gives NULL for a NULL code, so a missing code is tested on its own.
        (t.industry_code.isnull() | ~t.industry_code.isin(lookup.industry_code),
         "行业代码不在GB/T 4754-2017中", "industry_code", t.industry_code.cast("string")),
    ]
    return conds


def _parse(records: ir.Table, lookup: ir.Table) -> dict[str, ir.Value]:
    """`year_i`, value added `va` (万元) and `_ok` (no record-level check failed) as expressions.

    A blank or text cell parses to NULL, so `_ok` needs only the parsed values and the
    region/code checks; the reasons are spelt out in `checked`, for bad rows alone.
    """
    t = records
    year = _number(t.year, "int64")
    money = [_number(t[c], "float64") for c in MONEY_COLUMNS]
    va = money[0]
    for m in money[1:]:
        va = va + m
    ok = year.notnull() & (year >= 1949) & (year <= 2100)
    for m in money:
        ok = ok & m.notnull()
    ok = (ok & ~_blank(t.region_code) & t.industry_code.notnull()
          & t.industry_code.isin(lookup.industry_code))
    return {"year_i": year, "va": va, "_ok": ok}


def duplicates(records: ir.Table, lookup: ir.Table) -> ir.Table:
    """Column `_dup_row`: the row of every good record that repeats an earlier good record's enterprise and year.

    A self semi-join on the key with an earlier row: a hash join over four narrow columns,
    where a window would sort every record with all its columns. Only good rows take part,
    so each bad row keeps its one reason. Built from the records on its own, so an engine
    reads just these columns here (DuckDB keeps them once for both sides of the join). A
    missing enterprise_id is a key of its own (two records without one in one year are
    duplicates, as with a window); `_no_eid` says so with plain `=`, which every target
    SQL has. (Joining on a hash of the key first saved ~10% more on DuckDB but needs a
    hash function each SQL target spells differently.)
    """
    p = _parse(records, lookup)
    keys = records.filter(p["_ok"]).select(
        "_row", year_i=p["year_i"], _eid=records.enterprise_id.cast("string").fill_null(""),
        _no_eid=records.enterprise_id.isnull())
    earlier = keys.view()
    dup = keys.semi_join(earlier, [keys._eid == earlier._eid, keys._no_eid == earlier._no_eid,
                                   keys.year_i == earlier.year_i, keys._row > earlier._row])
    return dup.select(_dup_row=dup._row)


def _good(records: ir.Table, lookup: ir.Table, dups: ir.Table | None) -> ir.Table:
    """The records that enter the accounts: good, and the first of their enterprise and year."""
    p = _parse(records, lookup)
    good = records.mutate(year_i=p["year_i"], va=p["va"], _ok=p["_ok"])
    good = good.filter(good._ok).drop("_ok")
    dups = duplicates(records, lookup) if dups is None else dups
    # An outer join and IS NULL rather than ANTI JOIN, which Hive has only from 4.0.
    j = good.left_join(dups, good._row == dups._dup_row)
    return j.filter(j._dup_row.isnull()).drop("_dup_row")


def _flagged(records: ir.Table, lookup: ir.Table, dups: ir.Table | None) -> ir.Table:
    """Every record with `_bad`: failed a check or repeats an earlier enterprise-year (`_dup`)."""
    t = records.mutate(**_parse(records, lookup))
    dups = duplicates(records, lookup) if dups is None else dups
    j = t.left_join(dups, t._row == dups._dup_row)
    return j.mutate(_dup=j._dup_row.notnull()).mutate(
        _bad=lambda s: ~s._ok | s._dup).drop("_dup_row")


def _explained(t: ir.Table, lookup: ir.Table) -> ir.Table:
    conds = _conditions(t, lookup)
    dup_found = t.enterprise_id.cast("string") + ibis.literal(",") + t.year_i.cast("string")
    return t.mutate(
        reason=ibis.cases((t._dup, ibis.literal("同一企业同一年份重复")),
                          *[(cond, ibis.literal(r)) for cond, r, _, _ in conds],
                          else_=ibis.null("string")),
        column=ibis.cases((t._dup, ibis.literal("enterprise_id,year")),
                          *[(cond, ibis.literal(c)) for cond, _, c, _ in conds],
                          else_=ibis.null("string")),
        found=ibis.cases((t._dup, dup_found), *[(cond, f) for cond, _, _, f in conds],
                         else_=ibis.null("string")),
    ).drop("_ok", "_dup", "_bad")


def checked(records: ir.Table, lookup: ir.Table, *, dups: ir.Table | None = None) -> ir.Table:
    """Records with parsed numbers, value added (万元) and `reason`/`column`/`found` for bad rows.

    Bad rows: missing or non-numeric year, a money cell that is empty or text, a missing
    region, an industry code absent from GB/T 4754-2017, or a second record of the same
    enterprise and year (the first, by row, is kept).
    """
    return _explained(_flagged(records, lookup, dups), lookup)


def _cells(good: ir.Table, aggregate_first: bool) -> ir.Table:
    if aggregate_first:
        # Only region × industry × year cells go on from here: what leaves a secure room.
        return good.group_by(["region_code", "industry_code", "year_i"]).agg(
            va=good.va.sum(), n=good.count())
    return good.select("region_code", "industry_code", "year_i", "va", n=ibis.literal(1, "int64"))


def _joined(records: ir.Table, lookup: ir.Table, aggregate_first: bool,
            dups: ir.Table | None) -> ir.Table:
    cells = _cells(_good(records, lookup, dups), aggregate_first)
    return cells.join(lookup, "industry_code")


def accounts(records: ir.Table, lookup: ir.Table, *, aggregate_first: bool = False,
             include_outside: bool = False, dups: ir.Table | None = None) -> ir.Table:
    """Value added (亿元) and enterprise counts by region × de_code × year, with province roll-up.

    Output columns region_code, de_code, year, value_added, enterprises; de_code is a category,
    `core` (01–04) or `total`; region_code is also the province (first two digits + 0000).
    `dups` (here and in the other reports): the `duplicates` table when the caller has it
    already, so one run finds the duplicates once; by default they are found in the query.
    """
    j = _joined(records, lookup, aggregate_first, dups)
    if not include_outside:
        j = j.filter(j.de_code != OUTSIDE)
    city = j.group_by([j.region_code, j.de_code, j.year_i]).agg(
        value_added=(j.va * j.share).sum() / WAN_PER_YI, enterprises=(j.n * j.counts).sum())
    is_city = city.region_code.substr(2, 4) != "0000"
    prov = city.filter(is_city).mutate(region_code=city.region_code.substr(0, 2) + "0000")
    prov = prov.group_by(["region_code", "de_code", "year_i"]).agg(
        value_added=prov.value_added.sum(), enterprises=prov.enterprises.sum())
    out = city.union(prov)
    return out.select("region_code", "de_code", year=out.year_i.cast("int64"),
                      value_added=out.value_added, enterprises=out.enterprises.cast("int64"))


def reconciliation(records: ir.Table, lookup: ir.Table, *,
                   dups: ir.Table | None = None) -> ir.Table:
    """One row of totals (万元): input = in scope + outside + bad (bad rows with a value added)."""
    chk = _flagged(records, lookup, dups)
    zero = ibis.literal(0.0)
    per_code = lookup.group_by("industry_code").agg(
        in_share=ibis.cases((lookup.de_code == "total", lookup.share), else_=zero).sum(),
        out_share=ibis.cases((lookup.de_code == OUTSIDE, lookup.share), else_=zero).sum())
    j = chk.left_join(per_code, "industry_code")
    bad = j._bad
    va = j.va.fill_null(0.0)
    return j.agg(
        records=j.count(),
        bad_records=bad.sum().cast("int64"),
        records_without_va=j.va.isnull().sum().cast("int64"),
        input_va=va.sum(),
        bad_va=ibis.cases((bad, va), else_=zero).sum(),
        in_scope_va=ibis.cases((~bad, va * j.in_share), else_=zero).sum(),
        outside_va=ibis.cases((~bad, va * j.out_share), else_=zero).sum(),
    )


def outside_examples(records: ir.Table, lookup: ir.Table, n: int = 10, *,
                     dups: ir.Table | None = None) -> ir.Table:
    """Industry codes whose value added (or part of it) falls outside the scope, largest first."""
    j = _joined(records, lookup, True, dups)
    j = j.filter(j.de_code == OUTSIDE)
    g = j.group_by("industry_code").agg(records=j.n.sum(), va_wan=(j.va * j.share).sum())
    return g.order_by([g.va_wan.desc(), g.industry_code]).limit(n)


def bad_records(records: ir.Table, lookup: ir.Table, *, dups: ir.Table | None = None) -> ir.Table:
    """Every bad record: row (1 = header), enterprise_id, column, found, reason."""
    t = _flagged(records, lookup, dups)
    bad = _explained(t.filter(t._bad), lookup)
    return bad.select(row=bad._row, enterprise_id=bad.enterprise_id.cast("string"),
                      column=bad.column, found=bad.found, reason=bad.reason).order_by("row")
