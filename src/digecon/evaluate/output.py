"""Write an index result to a directory: scores, ranks, tiers, stages (full precision), weights, the spec."""
from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import yaml

from .build import IndexResult


@contextlib.contextmanager
def staged_dir(out: Path, prefix: str) -> Iterator[Path]:
    """A temporary sibling directory moved into `out` on success: all or nothing.

    Files already in `out` that the step does not write are left alone.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=out.parent))
    try:
        yield tmp
        if not out.exists():
            tmp.rename(out)
            return
        for f in sorted(tmp.rglob("*")):
            if f.is_file():
                dest = out / f.relative_to(tmp)
                dest.parent.mkdir(parents=True, exist_ok=True)
                f.replace(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_result(res: IndexResult, out: Path) -> list[Path]:
    """Write everything to a temporary sibling directory, then move it in place: all or nothing."""
    out = Path(out)
    with staged_dir(out, ".index-") as tmp:
        res.scores.to_csv(tmp / "scores.csv", index=False)
        res.ranks.to_csv(tmp / "ranks.csv", index=False)
        if res.tiers is not None:
            res.tiers.to_csv(tmp / "tiers.csv", index=False)
        (tmp / "stages").mkdir()
        for name, df in res.stages.items():
            df.to_csv(tmp / "stages" / f"{name}.csv", index=False)
        res.weights.to_csv(tmp / "weights.csv", index=False)
        if res.treatment:
            pd.DataFrame([{"iCode": t.code, "action": t.action, "n_winsorised": t.n_winsorised,
                           "high_rows": " ".join(res.units[i] for i in t.high),
                           "low_rows": " ".join(res.units[i] for i in t.low),
                           "skew": t.skew, "kurt": t.kurt} for t in res.treatment]).to_csv(tmp / "treatment.csv", index=False)
        (tmp / "spec.yaml").write_text(yaml.safe_dump(res.spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
        (tmp / "log.json").write_text(json.dumps({"notes": res.notes, "tiers": res.tier_info}, ensure_ascii=False, indent=1,
                                                 default=float), encoding="utf-8")
    return sorted(p for p in out.rglob("*") if p.is_file())
