"""Bundled datasets: where they are and how their observation files are checked and loaded."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

DEFAULT_DATASET = "jiangxi-2022"


class DatasetError(Exception):
    pass


def datasets_root() -> Path:
    """$DIGECON_DATASETS, else the `datasets/` folder of the checkout this package runs from.

    Every reader of bundled data (load-demo, concordances, the default report spec) goes
    through here, so one variable points them all at another province or year.
    """
    env = os.environ.get("DIGECON_DATASETS")
    if env:
        return Path(env)
    for base in (Path.cwd(), *Path.cwd().parents, Path(__file__).resolve().parents[3]):
        candidate = base / "datasets"
        if (candidate / DEFAULT_DATASET).is_dir():
            return candidate
    raise DatasetError("找不到 datasets/ 目录；请在仓库根目录运行，或设置 DIGECON_DATASETS")


def dataset_dir(name: str = DEFAULT_DATASET) -> Path:
    path = datasets_root() / name
    if not path.is_dir():
        raise DatasetError(f"数据集「{name}」不存在：{path}")
    return path


def observation_files(name: str = DEFAULT_DATASET) -> list[Path]:
    """The dataset's observation files in load order, each checked against SHA256SUMS."""
    folder = dataset_dir(name) / "observations"
    sums = folder / "SHA256SUMS"
    if not sums.exists():
        raise DatasetError(f"{sums}: found 文件缺失, expected 各观测文件的 sha256 清单")
    files = []
    for lineno, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        digest, fname = line.split(maxsplit=1)
        path = folder / fname
        actual = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "（缺失）"
        if actual != digest:
            raise DatasetError(f"{sums}:{lineno}:{fname}: found sha256 {actual[:12]}…, expected "
                               f"{digest[:12]}…（发布版数据集不可修改；修订请发布新版本）")
        files.append(path)
    return files
