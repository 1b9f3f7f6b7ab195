"""Imports flow one way: the import-linter layers contract in pyproject.toml holds."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_layers_contract_is_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    r = subprocess.run([str(lint), "--no-cache"], cwd=REPO, capture_output=True, text=True,
                       check=False)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "1 kept, 0 broken" in r.stdout


def test_every_package_states_its_public_names():
    for init in sorted((REPO / "src" / "digecon").glob("*/__init__.py")):
        assert "__all__" in init.read_text(encoding="utf-8"), init
