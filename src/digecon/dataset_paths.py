"""Where datasets live and which one is active; imports no other digecon module, so the
catalog (which reads the active dataset's `catalog/`) and the store can both use it.

The active dataset is, in order: the one named by `use_dataset()` (a command that loads a
dataset or builds a report from a dataset's spec calls it), else `$DIGECON_DATASET`, else
`DEFAULT_DATASET`. A name is a folder under `datasets_root()`; a path to a folder is used
as it is.
"""
from __future__ import annotations

import os
from pathlib import Path

from digecon.errors import InputError

DEFAULT_DATASET = "jiangxi-2022"  # the one bundled dataset; the only place that names it
DATASET_VARIABLE = "DIGECON_DATASET"
ROOT_VARIABLE = "DIGECON_DATASETS"
MANIFEST = "dataset.yaml"
CATALOG_FOLDER = "catalog"

_chosen: str | None = None


class DatasetError(InputError):
    """A dataset folder, manifest or data file that cannot be used; the message names it."""


def use_dataset(name_or_path: str | os.PathLike[str] | None) -> None:
    """Make this dataset the active one for the rest of the process (None: back to
    $DIGECON_DATASET or the default)."""
    global _chosen
    _chosen = None if name_or_path is None else str(name_or_path)


def chosen_dataset() -> str | None:
    """What `use_dataset` set (None: nothing), so a caller can put it back."""
    return _chosen


def active_dataset() -> str:
    """The active dataset's name (or path, when one was given as a path)."""
    return _chosen or os.environ.get(DATASET_VARIABLE, "").strip() or DEFAULT_DATASET


def _is_path(name: str) -> bool:
    return os.sep in name or (os.altsep is not None and os.altsep in name) or name.startswith(".")


def datasets_root() -> Path:
    """$DIGECON_DATASETS, else the `datasets/` folder of the checkout this package runs from.

    Every reader of bundled data (load-demo, concordances, the default report spec) goes
    through here, so one variable points them all at another province or year.
    """
    env = os.environ.get(ROOT_VARIABLE)
    if env:
        return Path(env)
    active = active_dataset()
    wanted = DEFAULT_DATASET if _is_path(active) else active
    for base in (Path.cwd(), *Path.cwd().parents, Path(__file__).resolve().parents[2]):
        candidate = base / "datasets"
        if (candidate / wanted).is_dir():
            return candidate
    raise DatasetError(f"找不到 datasets/ 目录（应含数据集「{wanted}」）；请在仓库根目录运行，"
                       f"或设置 {ROOT_VARIABLE}")


def dataset_dir(name: str | None = None) -> Path:
    """The folder of dataset `name` (default: the active dataset)."""
    name = active_dataset() if name is None else name
    path = Path(name) if _is_path(name) else datasets_root() / name
    if not path.is_dir():
        raise DatasetError(f"数据集「{name}」不存在：{path}")
    return path


def dataset_of_spec(spec: str | os.PathLike[str]) -> Path | None:
    """The dataset a report spec belongs to: the nearest folder above it that holds a
    dataset.yaml, or None (a spec on its own)."""
    for folder in Path(spec).resolve().parents:
        if (folder / MANIFEST).is_file():
            return folder
    return None


def catalog_extension_dir(name: str | None = None) -> Path | None:
    """The `catalog/` folder of dataset `name` (default: the active dataset) — the regions
    and indicators it adds to the catalog — or None when the dataset has none or there is no
    datasets/ folder at all (an installed package)."""
    try:
        path = dataset_dir(name) / CATALOG_FOLDER
    except DatasetError:
        return None
    return path if path.is_dir() else None
