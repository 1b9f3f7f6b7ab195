"""A collection round end to end on a small store: template, check, submit, review, objection,
status board — numbers, messages and the audit entries, and nothing written on a refusal."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from digecon import collect
from digecon.accounts import entries

from .conftest import ADMIN, CITY_JJ, CITY_NC, REPORTER, REPORTER_BOTH, RETAIL, REVIEWER, filled


def _rows_in(store, table: str) -> int:
    with store.connection() as con:
        have = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?",
                           [table]).fetchone()[0]
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] if have else 0


def test_department_template_holds_only_the_task(tmp_path, it_task):
    path = tmp_path / "t.xlsx"
    assert collect.department_template(path, it_task, "测试工信厅") == 4
    book = load_workbook(path)
    rows = list(book["数据"].iter_rows(min_row=2, max_col=5, values_only=True))
    assert rows == [("南昌市", "it_services_revenue", "2022", None, "亿元"),
                    ("九江市", "it_services_revenue", "2022", None, "亿元"),
                    ("南昌市", "broadband_ports", "2022", None, "万个"),
                    ("九江市", "broadband_ports", "2022", None, "万个")]
    lists = book["_lists"]
    assert [c.value for c in lists["A"] if c.value] == ["南昌市", "九江市"]
    assert [c.value for c in lists["B"] if c.value] == ["it_services_revenue", "broadband_ports"]
    formulas = {str(dv.sqref)[0]: dv.formula1 for dv in book["数据"].data_validations.dataValidation}
    assert formulas["A"] == "_lists!$A$1:$A$2" and formulas["B"] == "_lists!$B$1:$B$2"
    with pytest.raises(collect.TaskFileError, match="应为任务「测试信息通信业数据」的责任部门「测试工信厅」"):
        collect.department_template(path, it_task, "测试商务厅")


def test_two_errors_are_tied_to_their_cells_and_nothing_is_written(tmp_path, store, it_task):
    path = filled(tmp_path / "f.xlsx", it_task,
                  {(2, "D"): 123.4, (3, "D"): "12o", (4, "D"): 56, (5, "A"): "九将市", (5, "D"): 7})
    before = store.checksum()
    check = collect.check_upload(store, path, it_task, REPORTER_BOTH, name="填报.xlsx")
    assert check.total == 2 and not check.ok and not check.refused
    assert [(p.sheet, p.row, p.column) for p in check.problems] == [("数据", 3, "value"),
                                                                   ("数据", 5, "region")]
    assert str(check.problems[0]) == "填报.xlsx:数据:3:value: 发现「12o」，应为数值"
    assert "「九将市」" in check.problems[1].message and "九江市" in check.problems[1].message
    with pytest.raises(collect.CollectError, match="2 个问题，未写入任何数据"):
        collect.submit(store, check, it_task, REPORTER_BOTH, checksum="x")
    assert store.checksum() == before and _rows_in(store, "submissions") == 0


def test_rows_outside_the_account_are_refused_and_nothing_is_written(tmp_path, store, it_task):
    path = filled(tmp_path / "f.xlsx", it_task, {(2, "D"): 1, (3, "D"): 2})
    check = collect.check_upload(store, path, it_task, REPORTER, name="f.xlsx")
    assert check.problems == []
    assert [(p.row, p.column) for p in check.refused] == [(3, "region")]
    assert "发现地区「九江市」，应为账号「it_nc」负责的地区之一：南昌市" in check.refused[0].message
    with pytest.raises(collect.CollectPermissionError):
        collect.submit(store, check, it_task, REPORTER, checksum="x")
    with pytest.raises(collect.CollectPermissionError, match="由「测试工信厅」报送"):
        collect.check_upload(store, path, it_task, RETAIL)
    for who in (REVIEWER, CITY_NC, None):
        with pytest.raises(collect.CollectPermissionError):
            collect.check_upload(store, path, it_task, who)
    assert _rows_in(store, "submissions") == 0 and _rows_in(store, "observations") == 0


def test_wrong_period_and_converted_unit(tmp_path, store, it_task):
    path = filled(tmp_path / "f.xlsx", it_task, {(2, "D"): 15000, (2, "E"): "万元", (4, "C"): "2021",
                                                  (4, "D"): 3})
    check = collect.check_upload(store, path, it_task, REPORTER)
    assert [str(p) for p in check.problems] == [
        "f.xlsx:数据:4:period: 发现时期「2021」，应为任务「测试信息通信业数据」的时期 2022"]
    assert check.rows[0]["value"] == pytest.approx(1.5) and check.rows[0]["unit"] == "亿元"


def _submit(store, tmp_path, task, who, values, name="f.xlsx"):
    check = collect.check_upload(store, filled(tmp_path / name, task, values), task, who)
    assert check.ok, [str(p) for p in check.problems + check.refused]
    return collect.submit(store, check, task, who, checksum="sha-" + name, address="10.0.0.5")


def test_submit_review_publish(tmp_path, store, it_task):
    sid = _submit(store, tmp_path, it_task, REPORTER, {(2, "D"): 123.4, (4, "D"): 56})
    assert _rows_in(store, "observations") == 0  # submitted is not published
    waiting = collect.in_review(store, "360100")
    assert [(r["indicator"], r["value"], r["status_zh"], r["submitted_by"]) for r in waiting] == [
        ("broadband_ports", 56.0, "待审核", "it_nc"),
        ("it_services_revenue", 123.4, "待审核", "it_nc")]
    assert waiting[0]["name_zh"] == "互联网宽带接入端口" and waiting[0]["department"] == "测试工信厅"
    assert collect.in_review(store, "360400") == []

    with pytest.raises(collect.CollectPermissionError):
        collect.approve(store, sid, REPORTER)
    with pytest.raises(collect.CollectPermissionError):
        collect.approve(store, sid, CITY_NC)
    assert _rows_in(store, "observations") == 0

    collect.return_submission(store, sid, REVIEWER, "宽带端口数偏低，请核实", address="10.0.0.9")
    assert [r["reason"] for r in collect.in_review(store, "360100")] == ["宽带端口数偏低，请核实"] * 2
    mine = collect.submissions(store, account="it_nc")
    assert (mine[0]["status_zh"], mine[0]["reason"]) == ("已退回", "宽带端口数偏低，请核实")
    with pytest.raises(collect.CollectError, match="应为待审核的报送"):
        collect.approve(store, sid, REVIEWER)

    sid2 = _submit(store, tmp_path, it_task, REPORTER, {(2, "D"): 123.4, (4, "D"): 65}, "g.xlsx")
    written = collect.approve(store, sid2, REVIEWER, vintage="2023-03-20", address="10.0.0.9")
    assert written == 2
    row = store.value("broadband_ports", "360100", "2022")
    assert (row["value"], row["status"], str(row["vintage"])) == (65.0, "published", "2023-03-20")
    assert row["source"] == "报送任务「测试信息通信业数据」（测试工信厅）"
    assert collect.in_review(store, "360100") == []
    actions = [(e["action"], e["account"], e["address"]) for e in entries(store)]
    assert actions == [("submit", "it_nc", "10.0.0.5"), ("return", "rev", "10.0.0.9"),
                       ("submit", "it_nc", "10.0.0.5"), ("approve", "rev", "10.0.0.9")]
    assert entries(store)[0]["checksum"] == "sha-f.xlsx"
    assert entries(store)[3]["detail"]["written"] == 2


def test_objection_revised_is_a_new_vintage_and_rejected_keeps_the_value(tmp_path, store, it_task):
    sid = _submit(store, tmp_path, it_task, REPORTER, {(2, "D"): 123.4})
    collect.approve(store, sid, ADMIN, vintage="2023-03-20")
    with pytest.raises(collect.CollectPermissionError):
        collect.raise_objection(store, CITY_JJ, "南昌市", "it_services_revenue", "2022", "偏高")
    with pytest.raises(collect.CollectError, match="没有「互联网宽带接入端口」的已发布数值"):
        collect.raise_objection(store, CITY_NC, "南昌市", "broadband_ports", "2022", "缺")
    oid = collect.raise_objection(store, CITY_NC, "南昌", "it_services_revenue", "2022",
                                  "应含软件园区，约 130 亿元")
    [obj] = collect.objections(store, "360100")
    assert (obj["value"], obj["vintage"], obj["status_zh"], obj["raised_by"]) == (
        123.4, "2023-03-20", "处理中", "nc")
    assert collect.objections(store, "360400") == []
    with pytest.raises(collect.CollectPermissionError):
        collect.resolve_objection(store, oid, CITY_NC, "revised", "自己改", value=1)
    with pytest.raises(collect.CollectError, match="应为不早于现有版本 2023-03-20 的日期"):
        collect.resolve_objection(store, oid, REVIEWER, "revised", "核实", value=130.2,
                                  vintage="2023-03-19")
    assert collect.resolve_objection(store, oid, REVIEWER, "revised", "核实后修订", value=130.2,
                                     vintage="2023-04-01") == 1
    row = store.value("it_services_revenue", "360100", "2022")
    assert (row["value"], str(row["vintage"])) == (130.2, "2023-04-01")
    old = store.value("it_services_revenue", "360100", "2022", as_of="2023-03-31")
    assert old["value"] == 123.4  # the first vintage stays
    [obj] = collect.objections(store, "360100")
    assert (obj["status_zh"], obj["revised_value"], obj["revised_vintage"]) == (
        "已修订", 130.2, "2023-04-01")
    second = collect.raise_objection(store, CITY_NC, "南昌市", "it_services_revenue", "2022", "再议")
    assert collect.resolve_objection(store, second, REVIEWER, "rejected", "已核实无误") == 0
    assert store.value("it_services_revenue", "360100", "2022")["value"] == 130.2
    assert [e["action"] for e in entries(store)] == [
        "submit", "approve", "object", "revision", "resolve_objection", "object",
        "resolve_objection"]


def test_status_board_and_missing_export(tmp_path, store, tasks, it_task):
    today = dt.date(2023, 3, 1)
    first = {s["task"]: s for s in collect.summary(collect.board(store, tasks, today))}
    assert {k: first["it-test"][k] for k in collect.STATES} == {
        "未报送": 2, "待审核": 0, "已退回": 0, "已通过": 0, "逾期": 0}
    assert first["retail-test"]["逾期"] == 2  # its deadline (2020-01-31) has passed
    sid = _submit(store, tmp_path, it_task, REPORTER_BOTH,
                  {(2, "D"): 1, (3, "D"): 2, (4, "D"): 3, (5, "D"): 4})
    rows = collect.board(store, tasks, today)
    assert {(r["task"], r["region"]): r["status"] for r in rows if r["task"] == "it-test"} == {
        ("it-test", "南昌市"): "待审核", ("it-test", "九江市"): "待审核"}
    collect.return_submission(store, sid, REVIEWER, "重填")
    assert collect.summary(collect.board(store, tasks, today))[0]["已退回"] == 2
    sid = _submit(store, tmp_path, it_task, REPORTER, {(2, "D"): 1, (4, "D"): 3}, "g.xlsx")
    collect.approve(store, sid, REVIEWER, vintage="2023-02-01")
    counts = collect.summary(collect.board(store, tasks, today))[0]
    assert (counts["已通过"], counts["已退回"]) == (1, 1)  # 南昌 approved, 九江 still returned
    late = collect.summary(collect.board(store, tasks, dt.date(2100, 1, 1)))[0]
    assert (late["已通过"], late["逾期"]) == (1, 1)

    cells = collect.missing(store, tasks, today)
    assert [(c["task"], c["region"], c["indicator"], c["status"]) for c in cells] == [
        ("it-test", "九江市", "it_services_revenue", "已退回"),
        ("it-test", "九江市", "broadband_ports", "已退回"),
        ("retail-test", "南昌市", "online_retail", "逾期"),
        ("retail-test", "九江市", "online_retail", "逾期")]
    text = collect.missing_csv(cells).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:5] == ["任务编号", "任务名称", "责任部门", "地区代码", "地区"]
    assert table[1][3:7] == ["360400", "九江市", "it_services_revenue", "信息传输、软件和信息技术服务业收入"]
    assert table[1][-2:] == ["已退回", "重填"]
    out = tmp_path / "missing.xlsx"
    collect.export_missing(cells, out)
    sheet = load_workbook(out)["未报送"]
    assert sheet.max_row == 5 and sheet["K1"].value == "状态" and sheet["K4"].value == "逾期"


def test_two_approvals_and_a_revision_of_one_cell_on_one_day(tmp_path, store, it_task):
    today = dt.date.today().isoformat()
    first = _submit(store, tmp_path, it_task, REPORTER, {(2, "D"): 10, (4, "D"): 7})
    other = _submit(store, tmp_path, it_task, REPORTER_BOTH, {(3, "D"): 30}, "o.xlsx")
    assert collect.approve(store, first, REVIEWER) >= 2  # default vintage: today
    assert collect.approve(store, other, REVIEWER) >= 1  # another batch the same day
    again = _submit(store, tmp_path, it_task, REPORTER, {(2, "D"): 11, (4, "D"): 7}, "g.xlsx")
    collect.approve(store, again, REVIEWER, vintage=today)  # a correction the same day
    row = store.value("it_services_revenue", "360100", "2022")
    assert (row["value"], str(row["vintage"]), row["ref"]) == (11.0, today, f"报送 #{again}")
    assert store.value("broadband_ports", "360100", "2022")["value"] == 7.0
    assert store.value("it_services_revenue", "360400", "2022")["value"] == 30.0
    decided = [e for e in entries(store) if e["action"] == "approve"]
    assert [e["detail"]["replaced"] for e in decided] == [0, 0, 1]
    assert decided[2]["detail"]["previous"] == [{
        "region": "360100", "indicator": "it_services_revenue", "period": "2022", "old": 10.0,
        "old_vintage": today, "old_source": "报送任务「测试信息通信业数据」（测试工信厅）",
        "new": 11.0}]
    # and a city's objection revised the same day
    oid = collect.raise_objection(store, CITY_NC, "南昌市", "it_services_revenue", "2022", "偏低")
    assert collect.resolve_objection(store, oid, REVIEWER, "revised", "核实", value=12.5,
                                     vintage=today) == 1
    assert store.value("it_services_revenue", "360100", "2022")["value"] == 12.5
    with pytest.raises(collect.CollectError, match="应为不早于现有版本"):
        collect.resolve_objection(store, collect.raise_objection(
            store, CITY_NC, "南昌市", "it_services_revenue", "2022", "再议"), REVIEWER,
            "revised", "x", value=1, vintage="2000-01-01")
    # nothing is lost: every approved value stays in the history, each with its own record
    history = store.query("it_services_revenue", region="360100", latest_only=False)
    assert sorted(history["value"]) == [10.0, 11.0, 12.5]
    subs = {s["submission_id"]: s for s in collect.submissions(store)}
    assert [subs[n]["status"] for n in (first, other, again)] == ["approved"] * 3
    assert {subs[n]["vintage"] for n in (first, other, again)} == {today}


def test_an_accounts_template_holds_only_its_regions_and_indicators(tmp_path, it_task):
    from digecon.accounts import Principal

    path = tmp_path / "nc.xlsx"
    assert collect.department_template(path, it_task, principal=REPORTER) == 2
    book = load_workbook(path)
    rows = list(book["数据"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert rows == [("南昌市", "it_services_revenue"), ("南昌市", "broadband_ports")]
    assert [c.value for c in book["_lists"]["A"] if c.value] == ["南昌市"]
    formulas = {str(dv.sqref)[0]: dv.formula1 for dv in book["数据"].data_validations.dataValidation}
    assert formulas["A"] == "_lists!$A$1:$A$1"
    assert "填报账号：it_nc" in book["说明"]["A2"].value
    # an account limited to one indicator, covering only 九江市 (a case the fix was not built on)
    narrow = Principal("jj_bb", "reporter", "宽带填报员", "测试工信厅", ("360400", "361100"),
                       ("broadband_ports",))
    assert collect.department_template(path, it_task, principal=narrow) == 1
    book = load_workbook(path)
    assert list(book["数据"].iter_rows(min_row=2, max_col=2, values_only=True)) == [
        ("九江市", "broadband_ports")]
    assert [c.value for c in book["_lists"]["B"] if c.value] == ["broadband_ports"]
    # the whole task for a province-wide account, and for no account
    assert collect.department_template(path, it_task, principal=ADMIN) == 4
    assert collect.department_template(path, it_task) == 4
    elsewhere = Principal("ganzhou", "reporter", "赣州填报员", "测试工信厅", ("360700",))
    (tmp_path / "none.xlsx").unlink(missing_ok=True)
    with pytest.raises(collect.TaskFileError, match="都不在任务「测试信息通信业数据」中，应为任务的地区之一：南昌市、九江市"):
        collect.department_template(tmp_path / "none.xlsx", it_task, principal=elsewhere)
    assert not (tmp_path / "none.xlsx").exists()
