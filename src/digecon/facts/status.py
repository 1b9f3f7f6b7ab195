"""One status vocabulary for every surface: what each status is called in Chinese and how it
is marked where a number is shown."""
from __future__ import annotations

from digecon.store.schema import MARKED_STATUSES, STATUSES

# The label under a chart, in a table's note, on the dashboard and in the annex.
STATUS_ZH = {
    "published": "公开发布值",
    "estimated": "估算值",
    "derived": "推算值",
    "illustrative": "示意值",
    "synthetic": "合成值",
}
# The compact mark beside a number or a category label (（示意）, （估）, （推）).
STATUS_MARK = {
    "published": "",
    "estimated": "估",
    "derived": "推",
    "illustrative": "示意",
    "synthetic": "示意",
}

assert set(STATUS_ZH) == set(STATUSES) == set(STATUS_MARK)


def status_zh(status: str) -> str:
    return STATUS_ZH.get(status, status)


def is_marked(status: str) -> bool:
    """Illustrative and synthetic values only show a method; every surface marks them."""
    return status in MARKED_STATUSES


__all__ = ["MARKED_STATUSES", "STATUSES", "STATUS_MARK", "STATUS_ZH", "is_marked", "status_zh"]
