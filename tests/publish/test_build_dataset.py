"""build_report, the library call, builds under the spec's own dataset (its catalog/ and
manifest), as `digecon report build` does, and puts back the dataset that was active before."""
from __future__ import annotations

from pathlib import Path

import pytest

from digecon.dataset_paths import active_dataset, chosen_dataset, use_dataset
from digecon.publish import build
from digecon.publish.spec import _table

HUNAN = Path(__file__).parent / "fixtures" / "hunan-2022"


def test_the_spec_dataset_is_active_while_it_builds(monkeypatch, tmp_path):
    seen = {}

    def stop_at_build(spec_path, store, out, formats, progress, as_of):
        seen["active"] = active_dataset()
        raise RuntimeError("stopped before any work")

    monkeypatch.setattr(build, "_build", stop_at_build)
    use_dataset("jiangxi-2022")
    try:
        with pytest.raises(RuntimeError):
            build.build_report(HUNAN / "report.yaml", None, tmp_path)
        assert Path(seen["active"]) == HUNAN.resolve()
        assert chosen_dataset() == "jiangxi-2022"  # put back, also after a failure
    finally:
        use_dataset(None)


def test_a_spec_outside_any_dataset_keeps_the_active_one(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr(build, "_build", lambda *a: seen.setdefault("active", active_dataset()))
    spec = tmp_path / "report.yaml"
    spec.write_text("report: {}\n", encoding="utf-8")
    before = active_dataset()
    build.build_report(spec, None, tmp_path / "out")
    assert seen["active"] == before


@pytest.mark.parametrize("region,word", [("430000", "市州"), ("150000", "盟市"), ("360000", "设区市")])
def test_an_index_table_without_columns_heads_its_units_with_the_unit_word(region, word):
    raw = {"caption": "各地区发展梯队", "index": "index/units.yaml", "source": "本报告测算"}
    table = _table("t", raw, "report.yaml", HUNAN, region)
    assert table.columns["uName"] == word and table.columns["label"] == "梯队"


def test_an_index_tables_indicator_columns_read_as_the_charts(tmp_path):
    """Raw indicator columns of a tier table print each value as the figures and the text do
    (digecon.facts: a level at one decimal drops its .0, 4600 not 4600.0; a share keeps 30.0)."""
    import pandas as pd

    from digecon.facts import Facts
    from digecon.ingest import write_frame
    from digecon.publish.document import _table as table_out
    from digecon.publish.spec import load_spec
    from digecon.store import Store

    before = chosen_dataset()
    use_dataset(HUNAN.resolve())
    try:
        store = Store(tmp_path / "hunan.duckdb")
        store.init()
        csv = HUNAN / "observations" / "observations.csv"
        write_frame(store, pd.read_csv(csv, dtype=str), origin=csv.name)
        spec = load_spec(HUNAN / "report.yaml")
        tdef = next(t for t in spec.tables.values() if t.index is not None)
        block = next(b for _, b in spec.blocks() if b.kind == "table" and b.ref == tdef.id)
        out = table_out(block, tdef, store, spec.meta.get("as_of"), spec.meta["year"])
        facts = Facts(store, spec.meta.get("as_of"))
        names = {r.name: r.code for r in facts.catalog.regions(parent="430000")}
        for code, head in tdef.columns.items():
            if code not in ("de_va", "de_share_gdp"):
                continue
            for name, cell in zip(out.frame[tdef.columns["uName"]], out.frame[head]):
                assert cell == facts.get(code, names[name], spec.meta["year"]).text, (code, name)
        de_va = dict(zip(out.frame[tdef.columns["uName"]], out.frame[tdef.columns["de_va"]]))
        assert de_va["长沙市"] == "4600"  # stored 4600: the chart's label, not 4600.0
    finally:
        use_dataset(before)
