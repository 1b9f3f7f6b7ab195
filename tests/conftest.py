"""Shared fixtures: a demo store built once per test session, and the repository paths."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digecon.ingest import write_frame

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DIGECON = [sys.executable, "-m", "digecon.cli"]
ALLOW_MISSING_SHARED = "DIGECON_ALLOW_MISSING_SHARED"


def require_shared(*paths: Path) -> None:
    """Fail when reference files under ../shared are missing, so those checks never silently
    stop running; skip instead (with the reason) only when DIGECON_ALLOW_MISSING_SHARED=1."""
    missing = [p for p in paths if not p.exists()]
    if not missing:
        return
    names = ", ".join(str(p) for p in missing)
    if os.environ.get(ALLOW_MISSING_SHARED) == "1":
        pytest.skip(f"shared reference files missing ({names}); {ALLOW_MISSING_SHARED}=1")
    pytest.fail(f"shared reference files missing: {names}. These tests check results against "
                f"the shared folder {SHARED} (beside the repository); restore it, or set "
                f"{ALLOW_MISSING_SHARED}=1 to skip them.", pytrace=False)


def require_part(available: bool, what: str) -> None:
    """A real part (chromium, pyspark, schemathesis) the test needs: skip when it is missing on a
    developer's machine, but fail under CI=true, where scripts/setup.sh must have installed it."""
    if available:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} is missing under CI=true; scripts/setup.sh installs it", pytrace=False)
    pytest.skip(f"{what} is not installed (scripts/setup.sh installs it)")


def run_cli(*args: str, db: Path | None = None, check: bool = False,
            cwd: Path | None = None, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess:
    env = dict(os.environ, **(env or {}))
    if db is not None:
        env["DIGECON_DB"] = str(db)
    return subprocess.run([*DIGECON, *args], capture_output=True, text=True, env=env,
                          cwd=cwd or REPO, check=check)


BUNDLED_SPEC = REPO / "datasets" / "jiangxi-2022" / "report.yaml"


def spec_variant(tmp_path: Path, mutate) -> Path:
    """A copy of the bundled report spec (with the text/, geo/, seedfacts/ and index/ folders it
    points to), passed through `mutate(raw_yaml_dict)` before it is written."""
    import yaml

    base = tmp_path / "spec"
    for sub in ("text", "geo", "seedfacts", "index", "narrative"):
        shutil.copytree(BUNDLED_SPEC.parent / sub, base / sub)
    raw = yaml.safe_load(BUNDLED_SPEC.read_text(encoding="utf-8"))
    mutate(raw)
    path = base / "report.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _process_settings_put_back():
    """A command invoked in-process (CliRunner on a subcommand) may choose the active dataset
    or refuse new stores for the rest of the process; each test starts from the defaults."""
    from digecon.dataset_paths import chosen_dataset, use_dataset
    from digecon.store.connection import allow_new_stores, new_stores_allowed

    before = (chosen_dataset(), new_stores_allowed())
    yield
    use_dataset(before[0])
    allow_new_stores(before[1])


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium per session, shared: Playwright's sync API allows one
    driver per thread, so two test folders each starting their own would collide."""
    require_part(Path(CHROMIUM).exists(), f"Debian chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory):
    """The bundled observations without the index tables or synthetic accounts (narrative and
    fact-check tests): the paper's numbers, GDP, estimates and illustrative city values."""
    import pandas as pd

    from digecon.store import Store

    folder = REPO / "datasets" / "jiangxi-2022" / "observations"
    st = Store(tmp_path_factory.mktemp("db") / "demo.duckdb")
    st.init()
    for name in ("01_gdp.csv", "02_white_paper_facts.csv", "04_estimated_from_paper.csv",
                 "05_illustrative.csv"):
        write_frame(st, pd.read_csv(folder / name, dtype=str), origin=name)
    return st


REPORT_FIXTURE = REPO / "tests" / "publish" / "fixtures" / "observations.csv"


def make_report_store(path: Path):
    """A store from the small observations fixture that figure and report tests share."""
    import pandas as pd

    from digecon.store import Store

    store = Store(path)
    store.init()
    write_frame(store, pd.read_csv(REPORT_FIXTURE, dtype=str), vintage="2022-07-01",
                origin=REPORT_FIXTURE.name)
    return store


@pytest.fixture(scope="session")
def report_store(tmp_path_factory):
    return make_report_store(tmp_path_factory.mktemp("report_store") / "fixture.duckdb")


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
