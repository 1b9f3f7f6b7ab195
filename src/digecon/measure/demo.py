"""Store the 11 cities' 数字产业化 accounts computed from synthetic records (status synthetic)."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from digecon.ingest import write_frame
from digecon.measure import synthetic
from digecon.measure.classify import caict_scope
from digecon.measure.engines import EnterpriseAccounts, measure_enterprises

__all__ = ["DEMO_RECORDS", "DEMO_SEED", "load_into", "store_frame"]

DEMO_RECORDS = 200_000
DEMO_SEED = 2022


def store_frame(res: EnterpriseAccounts, *, status: str, source: str, note: str = "",
                scale: float = 1.0) -> pd.DataFrame:
    """The accounts' core (01–04) rows as `di_va` observations in the store's long layout."""
    core = res.accounts[res.accounts.de_code == "core"]
    formula = "Σ_records (劳动者报酬 + 生产税净额 + 固定资产折旧 + 营业盈余) × share(code) / 10000"
    if scale != 1.0:
        formula += f" × {scale:.10g}"
    return pd.DataFrame({
        "region": core.region_code.to_numpy(),
        "indicator": "di_va",
        "period": core.year.astype(str).to_numpy(),
        "value": (core.value_added * scale).to_numpy(),
        "unit": "亿元",
        "status": status,
        "source": source,
        "formula": formula,
        "inputs": [f"concordance={res.concordance}; engine={res.engine}; enterprises={n}"
                   for n in core.enterprises],
        "note": note,
    })


def load_into(store: Any, *, records: int = DEMO_RECORDS, seed: int = DEMO_SEED,
              vintage: str | None = None, years: tuple[int, ...] | None = None,
              cities: str | Path | None = None) -> int:
    """Compute DI for the cities and the province from synthetic records and write them as synthetic.

    `years` and `cities` (the weights file) default to the bundled dataset's, as in
    `synthetic.write`; `load-demo --dataset` passes its own dataset's.

    When the store holds a published province DI for the latest year of the records, the
    records are scaled to it (the city split is synthetic, the level anchored); otherwise they
    are written unscaled.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = synthetic.write(Path(tmp) / "synthetic_records.parquet", records, seed,
                               years=years, cities=cities)
        res = measure_enterprises(path, caict_scope())
    acc = res.accounts
    year = int(acc.year.max())
    province = str(acc.loc[acc.region_code.str.endswith("0000"), "region_code"].iloc[0])
    anchor = store.value("di_va", province, str(year)) if store.exists() else None
    total = acc[(acc.region_code == province) & (acc.de_code == "core") & (acc.year == year)]
    if anchor is not None and anchor["status"] == "published":
        scale = anchor["value"] / float(total.value_added.iloc[0])
        how = f"按{year}年全省公布值{anchor['value']:.10g}亿元缩放（系数{scale:.6g}）"
    else:
        scale, how = 1.0, "未缩放（库中无全省公布值）"
    note = (f"合成数据：由{records}条合成企业记录（seed={seed}）按CAICT口径测算，{how}，非公布数据")
    frame = store_frame(res, status="synthetic", note=note, scale=scale,
                        source=f"合成企业记录（演示用，seed {seed}），非公布数据")
    return write_frame(store, frame, status="synthetic", vintage=vintage, source=frame.source.iloc[0])
