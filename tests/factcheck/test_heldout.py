"""The held-out fact-check suite: its expectations are well formed and true; the checker keeps its floors."""
from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from tests.factcheck.heldout import expect, score

CASES = expect.load_all()
ENTRIES = [(c, e, "error") for c in CASES for e in c.errors] + \
          [(c, e, "hold") for c in CASES for e in c.holds]


def _ident(item) -> str:
    case, entry, role = item
    return f"{case.stem}:{role}:{entry.number.number}#{entry.number.occurrence}:{entry.kind}"


def test_every_text_has_expectations():
    texts = {p.stem for p in expect.HERE.glob("*.txt")}
    yamls = {p.stem for p in expect.HERE.glob("*.yaml") if not p.stem.startswith("floors")}
    assert texts == yamls


def test_minimum_sizes_and_kinds():
    assert len(CASES) >= 12
    errors = [e for c in CASES for e in c.errors]
    holds = [e for c in CASES for e in c.holds if e.kind != "level"]
    assert len(errors) >= 48
    assert len(holds) >= 130
    by_kind = Counter(e.kind for e in errors)
    assert {k: by_kind[k] for k in expect.KINDS if by_kind[k] < 3} == {}


def test_forms_are_represented():
    forms = Counter(f for c in CASES for e in c.holds for f in e.form)
    wanted = ("approx", "cn_numeral", "range", "fullwidth", "thousands", "sign", "precision",
              "mixed_magnitude", "carry", "prev_period", "list")
    assert {f: forms[f] for f in wanted if forms[f] < 2} == {}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.stem)
def test_text_length(case):
    chars = len(re.sub(r"\s", "", case.text))
    assert 300 <= chars <= 800, f"{case.stem}: {chars} 字"
    assert "江西" not in case.text and "南昌" not in case.text


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.stem)
def test_substrings_unique_unless_numbered(case):
    raw = yaml.safe_load((expect.HERE / f"{case.stem}.yaml").read_text(encoding="utf-8"))
    for role in ("errors", "holds"):
        for item in raw.get(role, []):
            for ref in [item] + list(item.get("related", [])):
                number = ref if isinstance(ref, str) else str(ref["number"])
                numbered = not isinstance(ref, str) and "occurrence" in ref
                count = case.text.count(number)
                assert count >= 1, f"{case.stem}: 「{number}」不在文中"
                assert numbered or count == 1, f"{case.stem}: 「{number}」出现{count}次，需写 occurrence"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.stem)
def test_entries_well_formed(case):
    for entry in case.errors:
        assert entry.kind in expect.KINDS
        # a count is refuted by the names after it, which are not numbers
        assert entry.related or entry.kind == "count", f"{case.stem}: {entry.number.number} 无 related"
        assert entry.fits and entry.why
    for entry in case.holds:
        assert entry.kind in expect.HOLD_KINDS
        assert entry.op in expect.OPS
    # a planted wrong number is never listed as holding
    wrong = {(e.number.start, e.number.end) for e in case.errors}
    assert not [h.number.number for h in case.holds if (h.number.start, h.number.end) in wrong]


@pytest.mark.parametrize("item", [i for i in ENTRIES if i[1].calc], ids=_ident)
def test_arithmetic_at_stated_precision(item):
    """Each relation recomputed over the intervals of its inputs: holds hold, errors fail, fits fit."""
    _case, entry, role = item
    result = expect.evaluate(entry.calc)
    agrees = expect.holds(result, entry.stated, entry.op)
    lo, hi = float(result[0]), float(result[1])
    if role == "hold":
        assert agrees, f"{entry.calc} ∈ [{lo:.4f}, {hi:.4f}] 与 {entry.stated} 不符"
        return
    assert not agrees, f"{entry.calc} ∈ [{lo:.4f}, {hi:.4f}] 与 {entry.stated} 相符，不是错误"
    fits = expect.fits_value(entry.fits)
    if fits is not None and entry.kind != "unit":  # a unit slip's fit is the same digits, 万 added
        assert expect.holds(result, fits, "eq"), f"fits {fits} 不在 [{lo:.4f}, {hi:.4f}]"


def test_scorer_counts_by_the_contract():
    """A fake checker with known claims on 01: one strict catch, one lenient-only, one false alarm."""
    case = expect.load_case("01_hunan_bulletin")

    class Claim:
        def __init__(self, number, status, suggested=None):
            span = expect.locate(case.text, number)
            self.start, self.end, self.status, self.suggested = span.start, span.end, status, suggested

    claims = [Claim("0.6个百分点", "inconsistent", "0.4"), Claim("826.4亿元", "inconsistent"),
              Claim("约980亿元", "inconsistent"), Claim("28.5%", "consistent"),
              Claim("17.3倍", "unverifiable")]
    tallies = score.score_cases([case], lambda text, store: claims)
    overall = tallies[score.OVERALL].metrics()
    assert overall == {"recall_lenient": 2 / 4, "recall_strict": 1 / 4, "precision": 2 / 3,
                       "coverage": 4 / 5}
    assert tallies["gap"].metrics()["recall_strict"] == 1.0
    assert tallies["share"].metrics()["recall_lenient"] == 1.0
    assert tallies["share"].metrics()["recall_strict"] == 0.0
    assert tallies["level"].false_flags == 1 and tallies["gap"].suggested == 1


# One floors file per part of the suite: floors.yaml for the texts its `stems` names, and one
# floors_A_B.yaml per later part (its own stems), so a new part's first scores are kept apart.
FLOORS = {p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
          for p in sorted(expect.HERE.glob("floors*.yaml"))}
FLOOR_ITEMS = [(name, f.get("stems"), score.OVERALL, m, v)
               for name, f in FLOORS.items() for m, v in f["overall"].items()] + \
              [(name, f.get("stems"), k, m, v) for name, f in FLOORS.items()
               for k, ms in f.get("per_kind", {}).items() for m, v in ms.items()]
_SCORES: dict = {}


def _scores(stems):
    if stems not in _SCORES:
        _SCORES[stems] = score.report(score.run(stems))
    return _SCORES[stems]


@pytest.mark.parametrize("name,stems,kind,metric,floor", FLOOR_ITEMS, ids=lambda x: str(x))
def test_checker_keeps_its_floors(name, stems, kind, metric, floor):
    """check_text(text, store=None) on the held-out texts of `stems` scores at least the floor."""
    value = _scores(stems)[kind][metric]
    assert value is not None and value >= floor, f"{name} {stems} {kind} {metric}: {value} < {floor}"
