"""Collection rounds (报送任务): tasks, per-department templates, submissions held for review,
approval into published values, returns with a reason, and objections (异议)."""

__all__: list[str] = []
