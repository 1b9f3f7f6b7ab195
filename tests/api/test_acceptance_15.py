"""Issue 15 acceptance 3, the second half: no interface edits the audit log — every route that
names it only reads, the `digecon audit` commands only show, export and verify, and no code in
digecon updates, deletes, truncates or drops its rows (test_collect_flow.py checks the entries
of a whole collection round and that `digecon audit verify` passes after it)."""
from __future__ import annotations

import re

from conftest import REPO

from digecon.accounts.cli import audit as audit_group
from digecon.api import Settings, create_app
from digecon.store import Store

EDIT = re.compile(r"\b(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?|DROP\s+TABLE(\s+IF\s+EXISTS)?|"
                  r"ALTER\s+TABLE|INSERT\s+OR\s+REPLACE\s+INTO)\s+\"?audit_log\b", re.IGNORECASE)


def test_the_pattern_finds_an_edit():
    assert EDIT.search('con.execute("DELETE FROM audit_log WHERE seq = 3")')
    assert EDIT.search("update AUDIT_LOG set account = 'x'")
    assert not EDIT.search("SELECT * FROM audit_log ORDER BY seq")


def test_no_code_edits_the_audit_log():
    found = [f"{path.relative_to(REPO)}:{n}" for path in sorted((REPO / "src").rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if EDIT.search(line)]
    assert found == []


def _flat(routes) -> list:
    """Every route with a path, also those of included routers (prefixes are not used)."""
    out = []
    for r in routes:
        inner = getattr(r, "original_router", None)
        out.extend(_flat(inner.routes) if inner is not None else
                   [r] if hasattr(r, "path") else [])
    return out


def test_every_audit_route_only_reads(tmp_path):
    db = tmp_path / "a.duckdb"
    Store(db).init()
    app = create_app(Settings(db=db))
    routes = [(r.path, getattr(r, "methods", None) or set()) for r in _flat(app.routes)
              if "audit" in r.path]
    assert {p for p, _ in routes} >= {"/audit", "/api/v1/audit"}
    for path, methods in routes:
        assert methods <= {"GET", "HEAD"}, (path, methods)


def test_the_audit_commands_only_read():
    assert sorted(audit_group.commands) == ["export", "show", "verify"]

