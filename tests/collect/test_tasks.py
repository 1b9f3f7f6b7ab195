"""Task files: what they hold, and the file:line:key message for each kind of mistake."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import REPO

from digecon.collect import TaskFileError, find_task, load_tasks

from .conftest import FIXTURES, TASKS


def test_tasks_resolve_names_and_codes():
    it, retail = load_tasks(TASKS)
    assert (it.id, it.department, it.period) == ("it-test", "测试工信厅", "2022")
    assert it.indicators == ("it_services_revenue", "broadband_ports")
    assert it.regions == ("360100", "360400")
    assert it.deadline == dt.date(2099, 12, 31)
    assert retail.indicators == ("online_retail",)  # given by its Chinese name
    assert retail.regions == ("360100", "360400")  # given by code
    assert retail.source == "报送任务「测试网络零售数据」（测试商务厅）"


def test_the_bundled_round_loads():
    tasks = load_tasks(REPO / "datasets" / "jiangxi-2022" / "collection" / "tasks.yaml")
    assert [t.id for t in tasks] == ["it-2022", "commerce-2022", "stats-2022"]
    assert all(len(t.regions) == 11 for t in tasks)


def test_unknown_indicator_names_its_line():
    with pytest.raises(TaskFileError) as exc:
        load_tasks(FIXTURES / "bad_indicator.yaml")
    msg = str(exc.value)
    assert msg.startswith(f"{FIXTURES / 'bad_indicator.yaml'}:7:indicators: 发现「it_servics_revenue」")
    assert "it_services_revenue" in msg  # the nearest name is suggested


@pytest.mark.parametrize("text, where, found", [
    ("tasks: []\n", ":1:tasks:", "发现空列表"),
    ("tasks:\n  - id: a\n    name: 甲\n", ":2:department:", "发现缺少键 department"),
    (("tasks:\n  - {id: a, name: 甲, department: 厅, indicators: [gdp], regions: [南昌市],"
     " period: '2022', deadline: 2023-02-30}\n"), ":2:deadline:", "发现「2023-02-30」"),
    (("tasks:\n  - {id: a, name: 甲, department: 厅, indicators: [gdp], regions: [南昌],"
     " period: 22, deadline: 2023-02-01}\n"), ":2:period:", "发现「22」"),
    (("tasks:\n  - {id: a, name: 甲, department: 厅, indicators: [gdp], regions: [火星],"
     " period: '2022', deadline: 2023-02-01}\n"), ":2:regions:", "发现「火星」"),
    (("tasks:\n  - {id: a, name: 甲, department: 厅, indicators: gdp, regions: [南昌],"
     " period: '2022', deadline: 2023-02-01}\n"), ":2:indicators:", "发现「gdp」"),
    (("tasks:\n  - {id: a, name: 甲, department: 厅, indicators: [gdp], regions: [南昌],"
     " period: '2022', deadline: 2023-02-01, owner: x}\n"), ":2:owner:", "发现未知的键 owner"),
    (("tasks:\n  - {id: a, name: 甲, department: 厅, indicators: [gdp], regions: [南昌],"
     " period: '2022', deadline: 2023-02-01}\n  - {id: a, name: 乙, department: 厅,"
     " indicators: [gdp], regions: [南昌], period: '2022', deadline: 2023-02-01}\n"),
     ":3:id:", "发现重复的任务编号「a」"),
    ("tasks: [\n", ":2", "YAML 语法错误"),
])
def test_each_mistake_is_named(tmp_path, text, where, found):
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TaskFileError) as exc:
        load_tasks(path)
    msg = str(exc.value)
    assert msg.startswith(f"{path}{where}"), msg
    assert found in msg and "应为" in msg


def test_unknown_task_lists_the_known():
    with pytest.raises(TaskFileError, match="it-test、retail-test"):
        find_task(load_tasks(TASKS), "nope")
