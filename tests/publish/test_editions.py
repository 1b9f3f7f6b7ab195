"""Editions: next year's paper is the same dataset read at a later vintage; its 修订说明 lists
every value that changed since the previous edition's vintage — the values ingested anew and
the derived values they change (marked as derived) — and says so when nothing changed."""
from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest
import yaml
from docx import Document
from openpyxl import load_workbook

from digecon.facts import Facts
from digecon.ingest import write_frame
from digecon.publish.build import build_report
from digecon.publish.document import assemble
from digecon.publish.revisions import DERIVED, DIRECT, revisions
from digecon.publish.spec import load_spec
from digecon.store import Store

FIRST = "2022-07-31"   # the bundled edition's report.as_of
SECOND = "2023-07-31"  # next year's
NEW_PAPER = "《江西省数字经济发展白皮书（2023年）》（示例来源，测试用）"
# the revisions ingested between the two editions: a later vintage of two published values
REVISED = pd.DataFrame([
    {"region": "江西省", "indicator": "gdp", "period": "2021", "value": "29700.0", "unit": "亿元",
     "status": "published", "vintage": "2023-03-01", "source": "江西省2022年统计年鉴（示例，测试用）",
     "ref": "修订数"},
    {"region": "江西省", "indicator": "de_va", "period": "2021", "value": "10500", "unit": "亿元",
     "status": "published", "vintage": "2023-06-30", "source": NEW_PAPER, "ref": "修订"},
])


def edition_spec(tmp_path, name: str, since: str = FIRST, as_of: str = SECOND):
    path = tmp_path / name / "report.yaml"
    path.parent.mkdir(parents=True)
    raw = {"report": {"title": "江西省数字经济发展白皮书（2023年）", "region": "江西省",
                      "year": 2022, "as_of": as_of},
           "sections": [{"title": "修订说明", "numbered": False,
                         "blocks": [{"revisions": {"since": since}}]}]}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def revised_store(demo_store, tmp_path_factory):
    """The demo observations plus a revised GDP and a revised 数字经济增加值 for 2021."""
    path = tmp_path_factory.mktemp("editions") / "revised.duckdb"
    shutil.copy(demo_store.path, path)
    store = Store(path)
    write_frame(store, REVISED, origin="revisions-2023.csv")
    return store


@pytest.fixture(scope="module")
def second(revised_store, tmp_path_factory):
    spec = load_spec(edition_spec(tmp_path_factory.mktemp("spec"), "second"))
    report = assemble(spec, revised_store)
    [table] = report.tables
    return table, revised_store


def rows_of(table) -> dict[tuple[str, str, str], dict]:
    """Rows by (指标, 地区, 时期), each with the text of the note its 注 points to."""
    notes = {n.split("：", 1)[0]: n.split("：", 1)[1] for n in table.notes if n.startswith("注")}
    return {(r["指标"], r["地区"], r["时期"]): {**r, "note": notes[r["注"]]}
            for r in table.frame.to_dict("records")}


GDP, DE = ("地区生产总值（亿元）", "江西省", "2021"), ("数字经济增加值（亿元）", "江西省", "2021")


def test_lists_exactly_the_ingested_revisions(second):
    table, _ = second
    rows = rows_of(table)
    direct = {k: r for k, r in rows.items() if r["note"].startswith(DIRECT)}
    assert set(direct) == {GDP, DE}
    gdp, de = direct[GDP], direct[DE]
    assert (gdp["原数"], gdp["修订数"]) == ("29619.7", "29700")  # a level drops .0
    assert gdp["note"] == "数据修订：原数为 2022-03-01 版，修订数为 2023-03-01 版。"
    assert (de["原数"], de["修订数"]) == ("10378", "10500")
    assert de["note"] == "数据修订：原数为 2022-07-01 版，修订数为 2023-06-30 版。"
    # both sources of both values, by vintage
    sources = table.notes[-1]
    assert sources.startswith("各版本来源：")
    for part in ("2023-03-01 版，江西省2022年统计年鉴（示例，测试用）", f"2023-06-30 版，{NEW_PAPER}",
                 "2022-07-01 版，《江西省数字经济发展白皮书（2022年）》",
                 "2022-03-01 版，《江西省2021年国民经济和社会发展统计公报》"):
        assert part in sources
    assert table.caption == "附表1 修订说明：上一版（数据截至2022-07-31）以来修订的数值"
    assert "数据修订 2 项" in table.notes[0]


def test_derived_values_they_change_are_listed_and_marked_derived(second):
    table, _ = second
    rows = rows_of(table)
    derived = {k: r for k, r in rows.items() if r["note"].startswith(DERIVED)}
    assert derived and set(derived) | {GDP, DE} == set(rows)
    # by hand: 10500 / 29700 = 35.35 % (the paper printed 35.0); 1308.2 / 10500 = 12.46 % (12.6);
    # 29700 / 25691.5 − 1 = 15.60 % (was 29619.7 / 25691.5 − 1 = 15.29 %)
    share = derived[("数字经济增加值占GDP比重（%）", "江西省", "2021")]
    assert (share["原数"], share["修订数"]) == ("35.0", "35.4（推）")
    assert share["note"] == (DERIVED + "（原为公开发布值）：原数为 2022-07-01 版，修订数为 "
                             "2023-06-30 版，随数字经济增加值（2023-06-30版）、地区生产总值"
                             "（2023-03-01版）修订重算。")  # the formula's order: de_va / gdp
    di = derived[("数字产业化占数字经济比重（%）", "江西省", "2021")]
    assert (di["原数"], di["修订数"]) == ("12.6", "12.5（推）")
    growth = derived[("地区生产总值名义增速（%）", "江西省", "2021")]
    assert (growth["原数"], growth["修订数"]) == ("15.3（推）", "15.6（推）")
    assert "原数为 2022-03-01 版推算值" in growth["note"]
    # 1308.2 / 29700 = 4.40 %: recomputed, but the printed 4.4 % did not change, so not listed
    assert ("数字产业化增加值占GDP比重（%）", "江西省", "2021") not in rows
    # every derived row is marked in its cell and rests on an input newer than the first edition
    assert all(r["修订数"].endswith("（推）") and "2023-0" in r["note"] for r in derived.values())


def test_complete_against_the_cells_the_new_rows_touch(second):
    """Independently: every cell with a row newer than the first edition whose printed value
    moved is listed, and nothing else is."""
    table, store = second
    new_rows = store.query(latest_only=False)
    new_rows = new_rows[(new_rows["vintage"].astype(str) > FIRST)
                        & (new_rows["vintage"].astype(str) <= SECOND)
                        & (new_rows["qualifier"] == "eq")]
    before, after = Facts(store, FIRST), Facts(store, SECOND)
    expected = set()
    for r in new_rows.drop_duplicates(["indicator", "region_code", "period"]).to_dict("records"):
        old = before.get(r["indicator"], r["region_code"], r["period"])
        new = after.get(r["indicator"], r["region_code"], r["period"])
        if old is not None and old.rounded != new.rounded:
            expected.add((new.name, new.region_name, new.period))
    assert len(expected) >= 6
    assert {(k[0].rsplit("（", 1)[0], k[1], k[2]) for k in rows_of(table)} == expected
    assert len(revisions(store, FIRST, SECOND)) == len(expected)


def test_an_edition_without_revisions_says_so(demo_store, tmp_path):
    spec = load_spec(edition_spec(tmp_path, "unrevised"))
    [table] = assemble(spec, demo_store).tables
    assert table.frame.iloc[0, 0] == "无修订" and len(table.frame) == 1
    assert table.notes == [("与上一版（数据截至 2022-07-31）相比，本版（数据截至 2023-07-31）"
                           "没有修订的数值。")]


def test_since_after_as_of_is_refused(demo_store, tmp_path):
    spec = load_spec(edition_spec(tmp_path, "backwards", since=SECOND, as_of=FIRST))
    with pytest.raises(LookupError, match="晚于本版 as_of"):
        assemble(spec, demo_store)


@pytest.mark.parametrize("bad", [{"since": "2022-13-01"}, {}, {"since": "latest"}])
def test_bad_revisions_block_names_the_key(tmp_path, bad):
    from digecon.figures.defs import SpecError

    path = edition_spec(tmp_path, "bad")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["sections"][0]["blocks"] = [{"revisions": bad}]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SpecError, match=r"sections\[0\]\.blocks\[0\]\.revisions"):
        load_spec(path)


@pytest.mark.slow
def test_rendered_as_a_table_in_every_format(revised_store, tmp_path):
    result = build_report(edition_spec(tmp_path, "all"), revised_store, tmp_path / "out")
    caption = "修订说明：上一版（数据截至2022-07-31）以来修订的数值"
    html = result.outputs["html"].read_text(encoding="utf-8")
    assert caption in html and "<td>29700</td>" in html and "2023-03-01 版" in html
    doc = Document(result.outputs["docx"])
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "29619.7" in cells and "29700" in cells and "35.4（推）" in cells and "修订数" in cells
    ws = next(ws for ws in load_workbook(result.outputs["xlsx"]).worksheets
              if ws.cell(1, 1).value and caption in ws.cell(1, 1).value)
    values = [c.value for row in ws.iter_rows() for c in row]
    assert 29700.0 in values and "35.4（推）" in values
    assert any(isinstance(v, str) and "2023-03-01 版" in v for v in values)
    text = subprocess.run(["pdftotext", str(result.outputs["pdf"]), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "修订说明" in text and "29700" in text and "29700.0" not in text
