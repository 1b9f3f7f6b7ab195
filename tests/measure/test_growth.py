"""Growth accounting: a hand-computed worked example, sensitivity and input errors."""
from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np
import pytest

from digecon.measure.growth import (
    GAParams,
    GrowthInputError,
    growth_accounting,
    id_totals,
    perpetual_inventory,
    read_inputs,
    sensitivity,
)

P = GAParams(delta_ict=0.2, delta_nonict=0.1, rho=0.05, initial="growth", init_years=1)


def test_worked_example_industry_a(fixtures):
    out = growth_accounting(read_inputs(fixtures / "growth_example.csv"), P)
    a = out[out.industry == "A"].set_index("year")
    # ICT real investment I/P: 10/1 = 10, 11/1 = 11, 12.1/1.1 = 11.
    # g over the first 1 year: 11/10 − 1 = 0.1; K0 = 10 / (0.1 + 0.2) = 33.333…
    k19 = 10 / (0.1 + 0.2)
    k20 = (1 - 0.2) * k19 + 11          # = 37.666…
    k21 = (1 - 0.2) * k20 + 11          # = 41.133…
    # non-ICT real investment: 20, 20, 21/1.05 = 20; g = 0; K0 = 20 / (0 + 0.1) = 200; stays 200.
    n19 = n20 = n21 = 200.0
    assert a.k_ict.tolist() == pytest.approx([k19, k20, k21], rel=1e-12)
    assert a.k_nonict.tolist() == pytest.approx([n19, n20, n21], rel=1e-12)
    # user costs c = P (ρ + δ): ICT 0.25 P_ICT, non-ICT 0.15 P_N
    # 2019: v_L = 60/100; capital 0.4 split 0.25·33.33 : 0.15·200
    v19 = (1 - 60 / 100) * (0.25 * k19) / (0.25 * k19 + 0.15 * 200)
    v20 = (1 - 64 / 110) * (0.25 * k20) / (0.25 * k20 + 0.15 * 200)
    v21 = (1 - 70 / 120) * (0.25 * 1.1 * k21) / (0.25 * 1.1 * k21 + 0.15 * 1.05 * 200)
    assert a.v_ict.tolist() == pytest.approx([v19, v20, v21], rel=1e-9)
    assert (a.v_l + a.v_ict + a.v_nonict).tolist() == pytest.approx([1, 1, 1], rel=1e-12)
    # Törnqvist 2021: ICT contribution = (v20 + v21)/2 × ln(k21/k20)
    c21 = (v20 + v21) / 2 * math.log(k21 / k20)
    assert a.contrib_ict[2021] == pytest.approx(c21, rel=1e-9)
    # labour 2021: ((64/110 + 70/120)/2) × ln(51/50); non-ICT: K unchanged -> 0
    assert a.contrib_labour[2021] == pytest.approx((64 / 110 + 70 / 120) / 2 * math.log(51 / 50), rel=1e-9)
    assert a.contrib_nonict[2021] == pytest.approx(0.0, abs=1e-12)
    dln = math.log(112 / 105)
    assert a.contrib_tfp[2021] == pytest.approx(dln - c21 - a.contrib_labour[2021], rel=1e-9)
    assert a.ict_share_of_growth[2021] == pytest.approx(c21 / dln, rel=1e-9)
    # ID = VA × v_ICT: 2021: 120 × v21
    assert a.id_va.tolist() == pytest.approx([100 * v19, 110 * v20, 120 * v21], rel=1e-9)
    assert math.isnan(a.contrib_ict[2019])


def test_id_totals_exclude_digital_industries(fixtures):
    out = growth_accounting(read_inputs(fixtures / "growth_example.csv"), P)
    tot = id_totals(out).set_index("year")
    a = out[out.industry == "A"].set_index("year")
    # D (traditional = false) is 数字产业化 and must not be counted again in 产业数字化
    assert tot.id_va.tolist() == pytest.approx(a.id_va.tolist(), rel=1e-12)
    assert tot.id_share_of_va[2021] == pytest.approx(a.id_va[2021] / 120 * 100, rel=1e-12)


def test_perpetual_inventory_first_rule():
    # 'first': K0 = I0/P0 = 10; K1 = 0.75·10 + 5 = 12.5
    assert perpetual_inventory(np.array([10.0, 5.0]), 0.25, "first").tolist() == [10.0, 12.5]


def test_sensitivity_moves_with_delta_and_rho(fixtures):
    inputs = read_inputs(fixtures / "growth_example.csv")
    s = sensitivity(inputs, delta_ict=(0.15, 0.3), rho=(0.04,), initial=("growth",), base=P)
    y = s[s.year == 2021].set_index("delta_ict").id_va
    # a faster-depreciating ICT stock has a higher user cost: more capital income goes to ICT
    assert y[0.3] > y[0.15]
    base_row = sensitivity(inputs, delta_ict=(0.2,), rho=(0.05,), initial=("growth",), base=P)
    assert base_row.change_from_base_pct.abs().max() == pytest.approx(0.0, abs=1e-12)
    assert len(s) == 2 * 3


def test_bad_growth_inputs_named(fixtures):
    with pytest.raises(GrowthInputError) as ei:
        read_inputs(fixtures / "growth_bad.csv")
    msg = str(ei.value)
    assert "growth_bad.csv:3:labour_compensation: 取值 'sixty' 不是数字，应为正数" in msg
    assert "growth_bad.csv:4:p_ict: 取值 '0'，应为正数" in msg


def test_bad_params():
    with pytest.raises(ValueError, match="delta_ict（--delta-ict）: 取值 1.5，应为 \\(0, 1\\) 内的折旧率"):
        GAParams(delta_ict=1.5)
    with pytest.raises(ValueError, match="initial（--initial）: 取值 'zero'"):
        GAParams(initial="zero")


def test_sensitivity_marks_a_rule_the_inputs_do_not_allow(tmp_path):
    """ICT investment that falls faster than δ rules out the growth-rate initial stock; with
    `--initial first` the run works and the table marks the growth-rule rows instead of failing."""
    path = tmp_path / "falling.csv"
    path.write_text("industry,year,va,va_real,labour,labour_compensation,inv_ict,p_ict,"
                    "inv_nonict,p_nonict,traditional\n"
                    "A,2019,100,100,50,60,10,1,20,1,true\n"
                    "A,2020,110,105,50,64,0.1,1,20,1,true\n", encoding="utf-8")
    inputs = read_inputs(path)
    first = GAParams(**(asdict(P) | {"initial": "first"}))
    s = sensitivity(inputs, delta_ict=(0.2,), rho=(0.04,), initial=("growth", "first"), base=first)
    growth_rows, first_rows = s[s.initial == "growth"], s[s.initial == "first"]
    assert growth_rows.id_va.isna().all() and growth_rows.note.str.contains("初始存量").all()
    assert first_rows.id_va.notna().all() and (first_rows.note == "").all()
