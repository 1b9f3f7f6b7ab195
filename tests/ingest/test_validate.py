"""Validation when batch fields come per row (columns) or once per batch (options)."""
from __future__ import annotations

import pandas as pd
import pytest

from digecon.ingest import write_frame
from digecon.ingest.validate import ValidationError
from digecon.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    s.init()
    return s


def problems(store, rows, **opts) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        write_frame(store, pd.DataFrame(rows), **opts)
    return [str(p) for p in exc.value.problems]


def test_per_row_status_vintage_and_source_are_checked_row_by_row(store):
    rows = {"region": ["江西", "江西", "江西"], "indicator": ["gdp", "gdp", "gdp"],
            "period": ["2019", "2020", "2021"], "value": [1, 2, 3],
            "status": ["published", "guessed", ""], "vintage": ["2022-01-01", "", "2022-13-01"],
            "source": ["", "b", "c"]}
    found = problems(store, rows, vintage="2022-03-01")
    assert found == [
        "<DataFrame>:1:source: 发现空来源，应为数据来源（列 source 或 --source）",
        ("<DataFrame>:2:status: 发现「guessed」，应为状态之一：published / estimated / "
        "derived / illustrative / synthetic"),
        "<DataFrame>:3:vintage: 发现「2022-13-01」，应为版本日期 YYYY-MM-DD（用 --vintage 指定）",
    ]
    assert store.row_count() == 0


def test_bad_batch_option_is_reported_on_every_row(store):
    rows = {"region": ["江西", "南昌"], "indicator": ["gdp", "gdp"], "period": ["2021", "2021"],
            "value": [1, 2]}
    found = problems(store, rows, vintage="2022-02-30", source="s")
    assert [p.split(": ")[0] for p in found] == ["<DataFrame>:1:vintage", "<DataFrame>:2:vintage"]


def test_unit_that_cannot_be_converted_names_the_unit_found(store):
    rows = {"region": ["江西", "江西"], "indicator": ["gdp", "gdp"], "period": ["2020", "2021"],
            "value": [1, 2], "unit": [" 万元 ", "个"]}
    found = problems(store, rows, vintage="2022-03-01", source="s")
    assert found == ["<DataFrame>:2:unit: 发现单位「个」，应为可换算为「亿元」的单位"]


def test_duplicate_key_points_at_first_row_and_per_row_key_fields_count(store):
    rows = {"region": ["江西", "江西省", "江西", "江西"], "indicator": ["gdp"] * 4,
            "period": ["2021"] * 4, "value": [1, 1, 2, 3],
            "source": ["a", "a", "b", "a"]}
    found = problems(store, rows, vintage="2022-03-01")
    assert [p.split(": ", 1)[1] for p in found] == [
        "发现与第 1 行重复的键（地区×指标×时期×状态×来源），应为每个键在一批中只出现一次",
        "发现与第 1 行重复的键（地区×指标×时期×状态×来源），应为每个键在一批中只出现一次"]
    assert [p.split(":")[1] for p in found] == ["2", "4"]


def test_conflict_only_with_a_stored_value_of_the_same_vintage(store):
    write_frame(store, pd.DataFrame({"region": ["江西"], "indicator": ["gdp"], "period": ["2021"],
                              "value": [29619.7], "vintage": ["2022-03-01"]}), source="s")
    before = store.row_count()
    rows = {"region": ["江西", "江西"], "indicator": ["gdp", "gdp"], "period": ["2021", "2021"],
            "value": [29000, 29000], "vintage": ["2022-03-01", "2023-03-01"],
            "source": ["s", "t"]}
    found = problems(store, rows)
    assert len(found) == 1 and found[0].startswith("<DataFrame>:1:value: 发现 29000")
    assert store.row_count() == before
    # a new vintage of the same statement is a revision, kept beside the old value
    rows["vintage"] = ["2023-03-01", "2023-03-01"]
    assert write_frame(store, pd.DataFrame(rows)) >= 2
    assert store.value("gdp", "江西", "2021", as_of="2022-12-31")["value"] == 29619.7


def test_re_ingest_adds_only_rows_not_stored(store):
    first = {"region": ["江西", "南昌"], "indicator": ["gdp", "gdp"], "period": ["2021", "2021"],
             "value": [29619.7, 6650.53]}
    write_frame(store, pd.DataFrame(first), vintage="2022-03-01", source="s")
    before = store.row_count()
    # another indicator at the same vintage in the store must not hide the repeats
    write_frame(store, pd.DataFrame({"region": ["九江"], "indicator": ["gdp_real_index"],
                              "period": ["2021"], "value": [108.2]}),
                vintage="2022-03-01", source="s")
    middle = store.row_count()
    assert middle > before
    second = {k: v + [v[-1]] for k, v in first.items()}
    second["region"][-1] = "九江"
    second["value"][-1] = 3735.68
    written = write_frame(store, pd.DataFrame(second), vintage="2022-03-01", source="s")
    assert written >= 1
    df = store.query(indicator="gdp")
    assert sorted(df["region_name"]) == ["九江市", "南昌市", "江西省"]
    assert write_frame(store, pd.DataFrame(second), vintage="2022-03-01", source="s") == 0


def test_untidy_cells_resolve_like_clean_ones(store):
    rows = {"region": [" 南昌 ", "九江市"], "indicator": ["gdp ", "gdp"],
            "period": ["2021年", " 2020"], "value": ["1,000", " 2 "],
            "unit": ["亿元 ", "\u3000万元"]}
    assert write_frame(store, pd.DataFrame(rows), vintage="2022-01-01", source="s") == 2
    got = store.query(indicator="gdp")[["region_code", "period", "value", "unit"]]
    assert got.to_dict("records") == [
        {"region_code": "360100", "period": "2021", "value": 1000.0, "unit": "亿元"},
        {"region_code": "360400", "period": "2020", "value": 0.0002, "unit": "亿元"}]
