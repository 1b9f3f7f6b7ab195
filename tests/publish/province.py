"""The shared set-up of the end-to-end tests of a region the code was never built from
(test_third_province, test_fourth_province): its fixture folder's observations written to a
fresh store, its report built in every format under its own dataset, and the texts read back."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from digecon.dataset_paths import chosen_dataset, use_dataset
from digecon.ingest import write_frame
from digecon.store import Store
from publish.test_second_province import READERS

FORMATS = ["html", "pdf", "docx", "xlsx"]


@contextmanager
def in_dataset(folder: Path):
    """`folder` is the active dataset inside the block; the one before is put back after it."""
    before = chosen_dataset()
    use_dataset(folder.resolve())
    try:
        yield
    finally:
        use_dataset(before)


def build(folder: Path, tmp: Path):
    """(BuildResult, store, tmp): the folder's observations.csv in a new store, its report.yaml
    built in all four formats under tmp/out."""
    from digecon.publish.build import build_report

    with in_dataset(folder):
        store = Store(tmp / "store.duckdb")
        store.init()
        csv = folder / "observations" / "observations.csv"
        write_frame(store, pd.read_csv(csv, dtype=str), origin=csv.name)
        result = build_report(folder / "report.yaml", store, tmp / "out", formats=FORMATS)
    return result, store, tmp


def texts(built) -> dict[str, str]:
    return {fmt: READERS[fmt](built[0].outputs[fmt]) for fmt in FORMATS}


def narrative(built) -> str:
    """The generated sentences (narrative.md, as `digecon factcheck` reads it)."""
    return (built[2] / "out" / "narrative.md").read_text(encoding="utf-8")


def flat(text: str) -> str:
    return re.sub(r"[\s\u2060]+", "", text)  # line breaks, the word joiner before ※
