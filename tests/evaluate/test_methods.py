"""Each weighting, aggregation, normalisation, ranking and tier method against a hand-computed example."""
import math

import numpy as np
import pytest

from digecon.evaluate import weights as W
from digecon.evaluate.aggregate import aggregate_block
from digecon.evaluate.errors import MethodError
from digecon.evaluate.normalise import normalise
from digecon.evaluate.rank import (
    rank_scores,
    tiers_from_breaks,
    tiers_jenks,
    tiers_kmeans,
    tiers_mean_sd,
    tiers_rules,
)
from digecon.evaluate.stats import kurt, skew
from digecon.evaluate.treat import treat_column


def test_entropy_weights_by_hand():
    X = np.array([[1.0, 0.0, 5.0], [2.0, 1.0, 5.0], [3.0, 1.0, 5.0]])
    w, notes = W.entropy(X, ["a", "b", "c"])
    # a: p = 1/6, 2/6, 3/6 ; b: p = 0, 1/2, 1/2 (0·ln0 = 0) ; c constant: e = 1 → weight 0
    ea = -(1 / 6 * math.log(1 / 6) + 2 / 6 * math.log(2 / 6) + 3 / 6 * math.log(3 / 6)) / math.log(3)
    eb = -(2 * 0.5 * math.log(0.5)) / math.log(3)
    da, db = 1 - ea, 1 - eb
    assert w == pytest.approx([da / (da + db), db / (da + db), 0.0], abs=1e-12)
    assert any("c: constant" in n for n in notes)


def test_entropy_refuses_negative_values():
    with pytest.raises(MethodError, match="指标 b 有负值"):
        W.entropy(np.array([[1.0, -1.0], [2.0, 3.0]]), ["a", "b"])


def test_critic_by_hand():
    X = np.array([[1.0, 3.0, 2.0], [2.0, 2.0, 4.0], [3.0, 1.0, 6.0]])
    # sd = 1, 1, 2 ; r_ab = -1, r_ac = 1, r_bc = -1 ; conflict a = 2, b = 4, c = 2 ; info = 2, 4, 4
    w, _ = W.critic(X)
    assert w == pytest.approx([0.2, 0.4, 0.4], abs=1e-12)


def test_cv_by_hand():
    X = np.array([[1.0, 2.0, 10.0], [2.0, 4.0, 10.0], [3.0, 6.0, 13.0]])
    cvs = np.array([0.5, 0.5, math.sqrt(3) / 11])
    w, _ = W.cv(X)
    assert w == pytest.approx(cvs / cvs.sum(), abs=1e-12)


def test_cv_zero_mean_is_refused():
    with pytest.raises(MethodError, match="均值为 0"):
        W.cv(np.array([[-1.0], [1.0]]), ["z"])


def test_ahp_consistent_matrix():
    w, lam, cr = W.ahp(np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]))
    assert w == pytest.approx([4 / 7, 2 / 7, 1 / 7], abs=1e-12)
    assert lam == pytest.approx(3.0, abs=1e-12) and cr == pytest.approx(0.0, abs=1e-12)


def test_ahp_inconsistent_matrix_has_large_cr():
    _, lam, cr = W.ahp(np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]))
    # λmax of this circulant matrix is 9 + 1/9 + 1 = 10.111…; CI = 3.556; CR = CI / 0.58
    assert lam == pytest.approx(1 + 9 + 1 / 9, abs=1e-9)
    assert cr == pytest.approx((lam - 3) / 2 / 0.58, abs=1e-9)


def test_pca_weights_by_hand():
    X = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, -1.0], [3.0, 6.0, -1.0], [4.0, 8.0, 1.0]])
    # corr = [[1,1,0],[1,1,0],[0,0,1]] → PC1 = (1, 1, 0)/√2 → squared loadings 0.5, 0.5, 0
    w, _ = W.pca(X)
    assert w == pytest.approx([0.5, 0.5, 0.0], abs=1e-12)


def test_aggregations_by_hand():
    V, w = np.array([[10.0, 40.0]]), np.array([1.0, 3.0])
    assert aggregate_block(V, w, "arithmetic")[0] == pytest.approx(32.5, abs=1e-12)
    assert aggregate_block(V, w, "geometric")[0] == pytest.approx(10**0.25 * 40**0.75, abs=1e-12)
    assert aggregate_block(V, w, "harmonic")[0] == pytest.approx(4 / 0.175, abs=1e-12)
    assert aggregate_block(V, w, "sum")[0] == pytest.approx(130.0, abs=1e-12)
    # a missing value is dropped and the weights renormalised
    assert aggregate_block(np.array([[10.0, np.nan]]), w, "arithmetic")[0] == 10.0


def test_topsis_by_hand():
    V = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    # v = 0.5·x; best (0.5, 0.5), worst (0, 0); A: D+ = D- = 0.5 → 0.5; C: D+ = 0 → 1
    assert aggregate_block(V, np.array([1.0, 1.0]), "topsis") == pytest.approx([50.0, 50.0, 100.0], abs=1e-12)


def test_batched_aggregation_equals_one_run_at_a_time():
    rng = np.random.default_rng(3)
    V, Wr = rng.random((7, 4)) + 0.1, rng.random((5, 4))
    for m in ("arithmetic", "geometric", "harmonic", "topsis"):
        batch = aggregate_block(V, Wr, m)
        single = np.vstack([aggregate_block(V, w, m) for w in Wr])
        assert np.max(np.abs(batch - single)) < 1e-12, m


def test_geometric_mean_refuses_zero_and_names_the_cell():
    with pytest.raises(MethodError, match="单位 B 指标 y 的值为 0"):
        aggregate_block(np.array([[1.0, 2.0], [3.0, 0.0]]), np.ones(2), "geometric", ["x", "y"], ["A", "B"])


def test_competition_ranking_1224_on_unrounded_scores():
    assert rank_scores(np.array([9.0, 8.0, 8.0, 7.0])).tolist() == [1, 2, 2, 4]
    # 8.004 and 8.001 both round to 8.00 but are not tied
    assert rank_scores(np.array([8.004, 8.001, 7.0, np.nan]))[:3].tolist() == [1, 2, 3]


def test_normalisations_by_hand():
    X = np.array([[1.0], [2.0], [3.0]])
    assert normalise(X, np.array([-1.0]), "minmax")[0].ravel().tolist() == [100.0, 50.0, 0.0]
    assert normalise(X, np.array([1.0]), "zscore", mean_sd=(10, 2))[0].ravel().tolist() == [8.0, 10.0, 12.0]
    assert normalise(X, np.array([1.0]), "percentile")[0].ravel().tolist() == [0.0, 50.0, 100.0]
    assert normalise(X, np.array([1.0]), "rank")[0].ravel().tolist() == [1.0, 2.0, 3.0]
    gp = normalise(X, np.array([1.0]), "goalposts", goalposts=np.array([[0.0, 2.0]]))[0].ravel()
    assert gp.tolist() == [50.0, 100.0, 100.0]
    dt = normalise(X, np.array([1.0]), "dist_to_target", targets=np.array([2.0]))[0].ravel()
    assert dt.tolist() == [0.0, 100.0, 100.0]
    dm = normalise(X, np.array([1.0]), "dist_to_max")[0].ravel()
    assert dm.tolist() == [0.0, 50.0, 100.0]


def test_constant_column_goes_to_mid_range_with_a_note():
    out, notes = normalise(np.array([[5.0], [5.0]]), np.array([1.0]), "minmax", range_=(0, 100), codes=["k"])
    assert out.ravel().tolist() == [50.0, 50.0] and notes == ["k: constant, set to mid-range"]


def test_skew_kurt_match_excel():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], float)
    # Excel SKEW / KURT = scipy's bias-corrected skew / excess kurtosis (an independent implementation)
    assert skew(x) == pytest.approx(3.0632410342394985, abs=1e-12)
    assert kurt(x) == pytest.approx(9.741390834569144, abs=1e-12)


def test_winsorise_then_log_fallback():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], float)
    xw, info = treat_column("x", x, winmax=2)
    # one step (100 → 30) brings skew to 1.71 < 2: COINr stops there
    assert info.action == "winsorised" and info.n_winsorised == 1 and info.high == (11,)
    assert xw[-2:].tolist() == [30.0, 30.0] and info.skew == pytest.approx(1.7120380600890506, abs=1e-12)
    xl, info = treat_column("y", np.r_[np.ones(20), 1e6], winmax=0)
    assert info.action == "log"
    assert xl[-1] == pytest.approx(math.log(1e6 - 1 + 0.01 * (1e6 - 1)), abs=1e-12)


def test_tiers():
    s = np.array([1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 30.0])
    assert tiers_from_breaks(s, [10, 20]).tolist() == [3, 3, 3, 2, 2, 2, 1]
    t, br = tiers_jenks(s, 3)
    assert t.tolist() == [3, 3, 3, 2, 2, 2, 1] and br == [1.0, 3.0, 12.0, 30.0]
    assert tiers_kmeans(s, 3, seed=0)[0].tolist() == [3, 3, 3, 2, 2, 2, 1]
    # μ = 9.857, σ = 9.990: 1–3 lie in [μ−σ, μ) → 3; 10–12 in [μ, μ+σ) → 2; 30 ≥ μ+σ → 1
    assert tiers_mean_sd(s, 4).tolist() == [3, 3, 3, 2, 2, 2, 1]
    assert tiers_mean_sd(s, 2).tolist() == [2, 2, 2, 1, 1, 1, 1]
    t = tiers_rules({"a": np.array([3000.0, 900, 900]), "b": np.array([45.0, 36, 20])},
                    [{"tier": 1, "when": {"a": {"gt": 2500}, "b": {"gt": 40}}}, {"tier": 2, "when": {"b": {"gt": 35}}}, {"tier": 3}], 3)
    assert t.tolist() == [1, 2, 3]
