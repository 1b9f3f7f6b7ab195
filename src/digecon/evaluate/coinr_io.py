"""Read COINr 0.6 (IndData/IndMeta/AggMeta/Denominators) inputs into the iData/iMeta form we use."""
from __future__ import annotations

from pathlib import Path

import pandas as pd


def coinr6_to_v1(ind_data: Path, ind_meta: Path, agg_meta: Path,
                 denominators: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    data = pd.read_csv(ind_data)
    if denominators is not None:
        den = pd.read_csv(denominators)
        data = data.merge(den[["UnitCode"] + [c for c in den.columns if c.startswith("Den_")]], on="UnitCode")
    data = data.rename(columns={"UnitCode": "uCode", "UnitName": "uName"})
    im = pd.read_csv(ind_meta)
    am = pd.read_csv(agg_meta)
    aggcols = sorted(c for c in im.columns if c.startswith("Agg"))
    rows = [{"iCode": r.IndCode, "iName": r.IndName, "Level": 1, "Weight": r.IndWeight,
             "Direction": r.Direction, "Denominator": r.Denominator if isinstance(r.Denominator, str) else "",
             "Parent": getattr(r, aggcols[0]), "Type": "Indicator"} for r in im.itertuples()]
    # an aggregate's parent is the next Agg column of any indicator beneath it
    for r in am.itertuples():
        level = int(r.AgLevel)
        parent = ""
        if level - 1 < len(aggcols):
            col_here, col_up = aggcols[level - 2], aggcols[level - 1]
            parent = im.loc[im[col_here] == r.Code, col_up].iloc[0]
        rows.append({"iCode": r.Code, "iName": r.Name, "Level": level, "Weight": r.Weight,
                     "Direction": 1, "Denominator": "", "Parent": parent, "Type": "Aggregate"})
    return data, pd.DataFrame(rows)
