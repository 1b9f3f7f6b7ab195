"""The word every surface uses for a region's prefecture-level units (设区市, 市州, 盟市 …)."""
from __future__ import annotations

from digecon.catalog import get_catalog
from digecon.store.datasets import dataset_unit_word


def unit_word(region: str) -> str:
    """From the catalog's kinds, unless the active dataset's manifest sets its own word;
    省份 for the country, 下级地区 below the province level."""
    cat = get_catalog()
    reg = cat.region(region)
    if reg.level != "province":
        return "省份" if reg.level == "country" else "下级地区"
    return cat.unit_word(reg.code, dataset_unit_word(reg.code))
