"""Shared fixtures: a demo store built once per test session, and the repository paths."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DIGECON = [sys.executable, "-m", "digecon.cli"]


def run_cli(*args: str, db: Path | None = None, check: bool = False,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if db is not None:
        env["DIGECON_DB"] = str(db)
    return subprocess.run([*DIGECON, *args], capture_output=True, text=True, env=env,
                          cwd=cwd or REPO, check=check)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium per session, shared: Playwright's sync API allows one
    driver per thread, so two test folders each starting their own would collide."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (scripts/setup.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A store with `digecon load-demo` applied; tests must not write to it (copy it first)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    result = run_cli("load-demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo store that a test may write to."""
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target
