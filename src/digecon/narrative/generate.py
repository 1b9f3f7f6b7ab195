"""A section of the white paper generated from the store: the dataset's template for it, rendered."""
from __future__ import annotations

from pathlib import Path

from digecon.dataset_paths import dataset_dir
from digecon.facts import Facts

from .render import Narrative, find_template, render_template

TEMPLATES = "narrative"  # the folder of a dataset that holds its section templates


class _Facts:
    """The facts (digecon.facts) of one region as known at `as_of`, as (value, status) pairs."""

    def __init__(self, store, region: str, as_of: str | None = None,
                 facts: Facts | None = None):
        self.store, self.region, self.as_of = store, region, as_of
        self.facts = facts if facts is not None else Facts(store, as_of)

    def get(self, indicator: str, year: int, region: str | None = None) -> tuple[float, str] | None:
        fact = self.facts.get(indicator, region or self.region, str(year))
        return None if fact is None else (fact.value, fact.status)

    def __repr__(self) -> str:
        return f"_Facts({self.region}, as_of={self.as_of})"


def templates_dir(dataset: str | Path | None = None) -> Path:
    """The narrative/ folder of a dataset (default: the active one)."""
    return dataset_dir(None if dataset is None else str(dataset)) / TEMPLATES


def generate_section(section: str, store, region: str, year: int | str,
                     as_of: str | None = None, dataset: str | Path | None = None) -> Narrative:
    """The section (e.g. 前言, 二(三)) from the template that declares it in the dataset's
    narrative/ folder (LookupError naming the sections there when none does)."""
    folder = templates_dir(dataset)
    return render_template(find_template(section, folder), store, region, year, as_of,
                  base_dir=folder.parent)


def generate(section: str, store, region: str, year: int | str, as_of: str | None = None,
             dataset: str | Path | None = None) -> str:
    """The Markdown of `generate_section`: numbers resting on illustrative values carry ※."""
    return generate_section(section, store, region, year, as_of, dataset).text
