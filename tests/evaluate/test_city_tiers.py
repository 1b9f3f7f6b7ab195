"""The 梯队 of the bundled city index: computed by the index spec's stated rule, equal to the
paper's published tiers, and in order with the index's ranking (no city of a lower tier ranked
above a city of a higher tier)."""
from __future__ import annotations

import operator
from pathlib import Path

import pytest
import yaml

from digecon.evaluate import build, load_spec

SPEC = Path(__file__).parents[2] / "datasets/jiangxi-2022/index/city_de.yaml"
OPS = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le}


@pytest.fixture(scope="module")
def result(demo_store):
    return build(load_spec(SPEC, store=demo_store))


def rule_tier(rules: list[dict], row) -> int:
    """The spec's rules read by hand: ordered, the first whose every condition holds."""
    for rule in rules:
        if all(OPS[op](row[col], float(x)) for col, conds in (rule.get("when") or {}).items()
               for op, x in conds.items()):
            return int(rule["tier"])
    raise AssertionError(f"no rule matches {row.to_dict()}")


def test_tiers_follow_the_stated_rule(result):
    rules = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["steps"]["tiers"]["rules"]
    raw = result.stages["Raw"].set_index("uCode")
    got = result.tiers.set_index("uCode")["tier"]
    assert {u: rule_tier(rules, raw.loc[u]) for u in raw.index} == got.to_dict()
    assert sorted(got.value_counts().to_dict().items()) == [(1, 1), (2, 5), (3, 5)]


def test_tiers_are_the_published_ones(result, demo_store):
    for _, row in result.tiers.iterrows():
        stated = demo_store.value("city_tier", row["uName"], "2021")
        assert stated["status"] == "published"
        assert int(row["tier"]) == stated["value"], row["uName"]


def test_no_lower_tier_city_outranks_a_higher_tier_one(result):
    top = result.ranks.columns[-1]
    assert top == "city_de_index"
    rank = result.ranks.set_index("uCode")[top].astype(int)
    tier = result.tiers.set_index("uCode")["tier"].astype(int)
    order = rank.sort_values().index
    assert list(tier[order]) == sorted(tier[order])  # tiers read down the ranking: 1, 2…2, 3…3
    assert rank[tier == 1].max() < rank[tier == 2].min()
    assert rank[tier == 2].max() < rank[tier == 3].min()
    # 宜春 (第二梯队) no longer sits at rank 10 of 11
    yichun = result.tiers.loc[result.tiers["uName"] == "宜春市", "uCode"].item()
    assert tier[yichun] == 2 and rank[yichun] <= 6
