"""Number extraction on the reference paper, scored against seedfacts/facts.csv (value, unit, position).

The old extractor was fitted to this paper (0.989 / 0.994); the general reader keeps what it reaches
without paper-specific patterns (measured: recall 447/473 = 0.945, precision 0.961)."""
from __future__ import annotations

from conftest import require_shared

from digecon.factcheck import check_text

from .seedeval import FACTS, SEED, fact_positions, normalise_map, score


def test_recall_and_precision_on_the_paper():
    require_shared(SEED, FACTS)
    raw = SEED.read_text(encoding="utf-8")
    norm, where = normalise_map(raw)
    facts = fact_positions(norm)
    lo, hi = norm.index("前言 随着"), norm.rindex("四、江西省数字经济发展建议")
    recall, precision, missed, extra = score(check_text(raw), where, facts, lo, hi)
    assert len(facts) == 473
    assert recall >= 0.94, [(f["value"], f["unit"], f["quote"]) for f in missed]
    assert precision >= 0.95, [(c.text, c.quote) for c in extra]
