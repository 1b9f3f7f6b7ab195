"""The 数据来源 line names documents: a derived value is credited to its inputs' sources."""
from __future__ import annotations

import json

import pandas as pd

from digecon.figures.data import source_line
from digecon.store.derive import DERIVE_SOURCE


class _Def:
    source = ""


def test_derived_values_are_credited_to_their_inputs_documents_once():
    df = pd.DataFrame({
        "source": ["《公报》", DERIVE_SOURCE, DERIVE_SOURCE],
        "inputs": ["", json.dumps([{"source": "《公报》"}]),
                   json.dumps([{"source": "《年鉴》"}, {"source": "《公报》"}])]})
    line = source_line(_Def(), df)
    assert line == "《公报》，部分数值据其推算；据《年鉴》推算"  # one bracket at most: （…）（…） never
    assert DERIVE_SOURCE not in line and "digecon" not in line


def test_no_source_at_all_is_said_plainly():
    assert source_line(_Def(), pd.DataFrame({"source": [""], "inputs": [""]})) == "编制单位整理"
