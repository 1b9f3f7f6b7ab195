"""`digecon collect`: tasks, a department's template, the status board and its missing export."""
from __future__ import annotations

import csv
import io

from conftest import run_cli
from openpyxl import load_workbook

from digecon import collect

from .conftest import REPORTER, REVIEWER, TASKS, filled


def test_template_and_wrong_department(tmp_path):
    out = tmp_path / "填报.xlsx"
    r = run_cli("collect", "template", "--tasks", str(TASKS), "--task", "it-test",
                "--department", "测试工信厅", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "4 行（2 个指标 × 2 个地区）" in r.stdout
    assert load_workbook(out)["数据"]["B5"].value == "broadband_ports"
    r = run_cli("collect", "template", "--tasks", str(TASKS), "--task", "it-test",
                "--department", "测试商务厅", "-o", str(tmp_path / "x.xlsx"))
    assert r.returncode == 2 and "应为任务「测试信息通信业数据」的责任部门「测试工信厅」" in r.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_status_counts_and_missing_csv(tmp_path, store, it_task):
    path = filled(tmp_path / "f.xlsx", it_task, {(2, "D"): 1, (4, "D"): 2})
    check = collect.check_upload(store, path, it_task, REPORTER)
    collect.approve(store, collect.submit(store, check, it_task, REPORTER, checksum="c"),
                    REVIEWER, vintage="2023-01-10")
    out = tmp_path / "缺报.csv"
    r = run_cli("collect", "status", "--tasks", str(TASKS), "--db", str(store.path),
                "--today", "2023-02-01", "--regions", "--missing", str(out))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "任务\t责任部门\t截止日期\t未报送\t待审核\t已退回\t已通过\t逾期"
    assert lines[1] == "it-test\t测试工信厅\t2099-12-31\t1\t0\t0\t1\t0"
    assert lines[2] == "retail-test\t测试商务厅\t2020-01-31\t0\t0\t0\t0\t2"
    assert "it-test\t测试工信厅\t南昌市\t已通过" in lines
    assert "已导出 4 个未报送单元格" in lines[-1]
    table = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [row[4] + row[5] for row in table[1:]] == [
        "九江市it_services_revenue", "九江市broadband_ports", "南昌市online_retail",
        "九江市online_retail"]


def test_status_needs_an_existing_store(tmp_path):
    r = run_cli("collect", "status", "--tasks", str(TASKS), "--db", str(tmp_path / "none.duckdb"))
    assert r.returncode == 2 and "不存在" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_submit_and_review_from_the_command_line(tmp_path, store, it_task):
    from digecon.accounts import create_account, entries

    create_account(store, "it_nc", "reporter", password=None, department="测试工信厅",
                   regions=["南昌市"])
    create_account(store, "rev", "reviewer", password=None)
    bad = filled(tmp_path / "bad.xlsx", it_task, {(2, "D"): "x", (3, "D"): 5})
    r = run_cli("collect", "submit", str(bad), "--tasks", str(TASKS), "--task", "it-test",
                "--as", "it_nc", "--db", str(store.path))
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        f"{bad}:数据:3:region: 发现地区「九江市」，应为账号「it_nc」负责的地区之一：南昌市",
        f"{bad}:数据:2:value: 发现「x」，应为数值", "共 2 个问题；未写入任何数据。"]
    good = filled(tmp_path / "good.xlsx", it_task, {(2, "D"): 12.5})
    r = run_cli("collect", "submit", str(good), "--tasks", str(TASKS), "--task", "it-test",
                "--as", "it_nc", "--db", str(store.path))
    assert r.returncode == 0 and "已提交报送 #1：1 个数值，待审核" in r.stdout, r.stderr
    r = run_cli("collect", "approve", "1", "--as", "it_nc", "--db", str(store.path))
    assert r.returncode == 2 and "不能审核报送" in r.stderr
    r = run_cli("collect", "approve", "1", "--as", "rev", "--vintage", "2023-02-02",
                "--db", str(store.path))
    assert r.returncode == 0 and "写入 1 条观测值" in r.stdout, r.stderr
    assert store.value("it_services_revenue", "360100", "2022")["value"] == 12.5
    r = run_cli("collect", "submissions", "--db", str(store.path))
    assert r.stdout.startswith("#1\tit-test\t测试工信厅\tit_nc\t") and "已通过" in r.stdout
    r = run_cli("collect", "return", "1", "--as", "it_nc", "--reason", "x", "--db", str(store.path))
    assert r.returncode == 2 and "不能审核报送" in r.stderr
    # each refusal is logged as on the web, with the account and where it came from
    log = entries(store)
    assert [(e["action"], e["account"]) for e in log] == [
        ("refused_403", "it_nc"), ("submit", "it_nc"), ("refused_403", "it_nc"),
        ("approve", "rev"), ("refused_403", "it_nc")]
    assert all(e["address"].startswith("cli") for e in log)
    assert [e["detail"].get("command") for e in log if e["action"] == "refused_403"] == [
        "collect submit", "collect approve", "collect return"]
    assert log[0]["detail"]["refused_rows"] == 1 and log[2]["detail"]["submission"] == 1


def test_template_as_an_account_holds_its_own_regions(tmp_path, store):
    from digecon.accounts import create_account, entries

    create_account(store, "it_jj", "reporter", password=None, department="测试工信厅",
                   regions=["九江市"])
    create_account(store, "shop", "reporter", password=None, department="测试商务厅",
                   regions=["九江市"])
    out = tmp_path / "jj.xlsx"
    r = run_cli("collect", "template", "--tasks", str(TASKS), "--task", "it-test",
                "--as", "it_jj", "--db", str(store.path), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "2 行（2 个指标 × 1 个地区，账号 it_jj）" in r.stdout
    ws = load_workbook(out)["数据"]
    assert [ws[f"A{n}"].value for n in (2, 3)] == ["九江市", "九江市"] and ws["A4"].value is None
    r = run_cli("collect", "template", "--tasks", str(TASKS), "--task", "it-test",
                "--as", "shop", "--db", str(store.path), "-o", str(tmp_path / "x.xlsx"))
    assert r.returncode == 2 and "任务「测试信息通信业数据」由「测试工信厅」报送" in r.stderr
    assert not (tmp_path / "x.xlsx").exists()
    assert [(e["action"], e["account"], e["detail"]["command"]) for e in entries(store)] == [
        ("refused_403", "shop", "collect template")]


def test_a_second_approval_the_same_day_says_what_it_replaced(tmp_path, store, it_task):
    from digecon.accounts import create_account

    create_account(store, "it_nc", "reporter", password=None, department="测试工信厅",
                   regions=["南昌市"])
    create_account(store, "rev", "reviewer", password=None)
    said = []
    for n, value in ((1, 12.5), (2, 13.0)):
        path = filled(tmp_path / f"{n}.xlsx", it_task, {(2, "D"): value, (4, "D"): 8})
        r = run_cli("collect", "submit", str(path), "--tasks", str(TASKS), "--task", "it-test",
                    "--as", "it_nc", "--db", str(store.path))
        assert r.returncode == 0, r.stderr
        r = run_cli("collect", "approve", str(n), "--as", "rev", "--db", str(store.path))
        assert r.returncode == 0, r.stderr
        said.append(r.stdout.strip())
    assert said[0].startswith("报送 #1 已通过：写入 ") and "替换" not in said[0]
    assert said[1].endswith("；替换了 1 个已发布的数值（原值保留在历史中）")  # the 8 is unchanged
    assert store.value("it_services_revenue", "360100", "2022")["value"] == 13.0
