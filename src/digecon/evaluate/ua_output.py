"""Write uncertainty results: rank statistics, tier probabilities, Sobol indices, every run's parameters."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from .output import staged_dir
from .spec import IndexSpec
from .uncertainty import UAResult

MAX_CSV_CELLS = 2_000_000


def write_ua(res: UAResult, spec: IndexSpec, out: Path, runs: int, seed: int) -> list[Path]:
    out = Path(out)
    with staged_dir(out, ".ua-") as tmp:
        res.rank_stats.to_csv(tmp / "rank_stats.csv", index=False)
        res.runs.to_csv(tmp / "runs.csv", index=False)
        if res.tier_probs is not None:
            res.tier_probs.to_csv(tmp / "tier_probabilities.csv", index=False)
        if res.sobol is not None:
            res.sobol.to_csv(tmp / "sobol.csv", index=False)
        cols = [f"r_{i}" for i in range(1, res.ranks.shape[0] + 1)]
        for name, M in (("ranks_runs", res.ranks), ("scores_runs", res.scores)):
            df = pd.DataFrame(M.T, columns=cols)
            df.insert(0, "uCode", res.units)
            if M.size <= MAX_CSV_CELLS:
                df.to_csv(tmp / f"{name}.csv", index=False)
            else:
                df.to_parquet(tmp / f"{name}.parquet", index=False)
        meta = spec.resolved()
        meta["run"] = {"runs": runs, "seed": seed, "total_runs": len(res.runs)}
        (tmp / "spec.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return sorted(p for p in out.rglob("*") if p.is_file())
