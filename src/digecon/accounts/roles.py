"""Roles, actions and the Principal a request acts as: who may do what, for which region."""
from __future__ import annotations

from dataclasses import dataclass

ROLE_ZH = {
    "admin": "省级管理员",
    "reviewer": "审核员",
    "reporter": "部门填报员",
    "city": "市级用户",
}
# The deprecated shared write token ($DIGECON_API_TOKEN) acts as this role: raw ingest only.
LEGACY_ROLE = "legacy_token"
LEGACY_ROLE_ZH = "环境变量写入令牌（已弃用）"

ACTION_ZH = {
    "ingest": "导入原始数据文件",
    "submit": "报送数据",
    "review": "审核报送数据",
    "object": "提出异议",
    "view_unpublished": "查看未发布数据",
    "manage_accounts": "管理账号与令牌",
    "view_audit": "查看审计日志",
}

# Actions a role may take anywhere; the regional ones below are limited to the account's regions.
_EVERYWHERE = {
    "admin": set(ACTION_ZH),
    "reviewer": {"review", "view_unpublished"},
    "reporter": set(),
    "city": set(),
    LEGACY_ROLE: {"ingest"},
}
_IN_OWN_REGIONS = {
    "reporter": {"submit", "view_unpublished"},
    "city": {"object", "view_unpublished"},
}


@dataclass(frozen=True)
class Principal:
    """Who a request acts as. `regions` are region codes: a city user's one region, the regions
    a reporter covers; () for admin and reviewer. `indicators`, when not empty, are the only
    indicator codes a reporter may submit (else its department's tasks decide, which the
    collection code checks)."""

    account: str
    role: str
    display_name: str
    department: str | None = None
    regions: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()

    @property
    def role_zh(self) -> str:
        return LEGACY_ROLE_ZH if self.role == LEGACY_ROLE else ROLE_ZH.get(self.role, self.role)

    def may(self, action: str, region: str | None = None, indicator: str | None = None) -> bool:
        """Whether this principal may take `action` (for `region` / `indicator` when given).

        Without a region a regional action asks whether the role may ever take it. An unknown
        action is a bug in the caller, not a refusal: ValueError."""
        if action not in ACTION_ZH:
            raise ValueError(f"未知的操作 {action!r}；应为 {', '.join(ACTION_ZH)} 之一")
        if action in _EVERYWHERE.get(self.role, set()):
            return True
        if action not in _IN_OWN_REGIONS.get(self.role, set()):
            return False
        if region is not None and str(region) not in self.regions:
            return False
        limited = action == "submit" and indicator is not None and bool(self.indicators)
        return not limited or indicator in self.indicators


def refusal(principal: Principal, action: str, region: str | None = None,
            indicator: str | None = None) -> str:
    """The Chinese sentence saying why `principal` may not take `action`."""
    who = f"账号 {principal.account}（{principal.role_zh}）"
    what = ACTION_ZH.get(action, action)
    if action in _IN_OWN_REGIONS.get(principal.role, set()):
        if region is not None and str(region) not in principal.regions:
            mine = "、".join(principal.regions) or "无"
            return f"{who}无权为地区 {region} {what}：该账号只负责地区 {mine}"
        if indicator is not None and principal.indicators and indicator not in principal.indicators:
            return f"{who}无权{what}指标 {indicator}：该账号只负责 {'、'.join(principal.indicators)}"
    return f"{who}无权{what}"
