"""Collection rounds (报送任务): tasks, per-department templates, submissions held for review,
approval into published values, returns with a reason, and objections (异议)."""
from __future__ import annotations

from .board import STATES, board, export_missing, missing, missing_csv, missing_xlsx, summary
from .rounds import (
    OBJECTION_ZH,
    STATUS_ZH,
    CollectError,
    approve,
    in_review,
    objections,
    published_values,
    raise_objection,
    resolve_objection,
    return_submission,
    submission,
    submissions,
    submit,
)
from .tasks import Task, TaskFileError, find_task, load_tasks
from .template import account_scope, department_template
from .upload import Check, CollectPermissionError, check_upload, require_submitter

__all__ = [
    "OBJECTION_ZH", "STATES", "STATUS_ZH", "Check", "CollectError", "CollectPermissionError",
    "Task", "TaskFileError", "account_scope", "approve", "board", "check_upload",
    "department_template", "export_missing", "find_task", "in_review", "load_tasks", "missing",
    "missing_csv", "missing_xlsx", "objections", "published_values", "raise_objection",
    "require_submitter", "resolve_objection", "return_submission", "submission", "submissions",
    "submit", "summary",
]
