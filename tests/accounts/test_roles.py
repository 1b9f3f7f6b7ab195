"""Principal.may: every role × action, and the regional limits of reporters and city users."""
from __future__ import annotations

import pytest

from digecon.accounts import ACTION_ZH, Principal
from digecon.accounts.roles import LEGACY_ROLE, refusal

ADMIN = Principal("a", "admin", "管理员")
REVIEWER = Principal("r", "reviewer", "审核员")
REPORTER = Principal("p", "reporter", "填报员", department="tjj", regions=("360100", "360400"))
CITY = Principal("c", "city", "南昌用户", regions=("360100",))
LEGACY = Principal("DIGECON_API_TOKEN", LEGACY_ROLE, "环境变量令牌")

# action → the principals that may take it when no region is named
ALLOWED = {
    "ingest": {"a", "DIGECON_API_TOKEN"},
    "submit": {"a", "p"},
    "review": {"a", "r"},
    "object": {"a", "c"},
    "view_unpublished": {"a", "r", "p", "c"},
    "manage_accounts": {"a"},
    "view_audit": {"a"},
}


@pytest.mark.parametrize("principal", [ADMIN, REVIEWER, REPORTER, CITY, LEGACY],
                         ids=lambda p: p.role)
@pytest.mark.parametrize("action", sorted(ACTION_ZH))
def test_role_by_action(principal, action):
    assert principal.may(action) is (principal.account in ALLOWED[action])


def test_the_matrix_names_every_action():
    assert set(ALLOWED) == set(ACTION_ZH)


def test_a_city_user_sees_and_objects_only_for_its_region():
    assert CITY.may("view_unpublished", "360100")
    assert not CITY.may("view_unpublished", "360400")
    assert CITY.may("object", "360100")
    assert not CITY.may("object", "360200")
    assert not CITY.may("submit", "360100")


def test_a_reporter_submits_for_its_regions_and_listed_indicators_only():
    assert REPORTER.may("submit", "360400")
    assert not REPORTER.may("submit", "360700")
    limited = Principal("q", "reporter", "填报员", department="gxt", regions=("360100",),
                        indicators=("di_va",))
    assert limited.may("submit", "360100", "di_va")
    assert not limited.may("submit", "360100", "gdp")
    # without a list, indicator ownership is the collection task's (its caller checks)
    assert REPORTER.may("submit", "360100", "gdp")


def test_admin_and_reviewer_are_not_limited_by_region():
    assert ADMIN.may("submit", "360700", "gdp")
    assert REVIEWER.may("view_unpublished", "360700")
    assert not REVIEWER.may("submit", "360100")


def test_unknown_action_is_a_bug_not_a_refusal():
    with pytest.raises(ValueError, match="未知的操作"):
        ADMIN.may("delete_everything")


def test_refusal_says_who_and_why_in_chinese():
    assert refusal(CITY, "view_audit") == "账号 c（市级用户）无权查看审计日志"
    assert refusal(CITY, "view_unpublished", "360400") == (
        "账号 c（市级用户）无权为地区 360400 查看未发布数据：该账号只负责地区 360100")
