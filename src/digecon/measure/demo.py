"""Store the 11 cities' 数字产业化 accounts computed from synthetic records (status synthetic)."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

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
              vintage: str | None = None) -> int:
    """Compute DI for the 11 cities and the province from synthetic records and write them as synthetic.

    The records are scaled so that the province's 2021 total equals the published 1308.2亿元
    (facts.csv `di_value_added_2021`): the city split is synthetic, the level is anchored.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = synthetic.write(Path(tmp) / "synthetic_records.parquet", records, seed)
        res = measure_enterprises(path, caict_scope())
    acc = res.accounts
    prov_2021 = acc[(acc.region_code == "360000") & (acc.de_code == "core") & (acc.year == 2021)]
    scale = 1308.2 / float(prov_2021.value_added.iloc[0])
    note = (f"合成数据：由{records}条合成企业记录（seed={seed}）按CAICT口径测算，"
            f"按全省2021年公布值1308.2亿元缩放（系数{scale:.6g}），非公布数据")
    frame = store_frame(res, status="synthetic", note=note, scale=scale,
                        source=f"digecon synthetic enterprise records (digecon.measure.synthetic, "
                               f"seed {seed}); not published data")
    return store.write(frame, status="synthetic", vintage=vintage, source=frame.source.iloc[0])
