"""API fixtures: one live uvicorn server per session on a free loopback port, and in-process apps."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import httpx
import pytest
from conftest import REPO

TOKEN = "test-token-7f3a"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db, env: dict, *args: str) -> tuple[subprocess.Popen, str]:
    """`digecon serve` on a free loopback port over `db`; (process, base URL) once it answers."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "digecon.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--db", str(db), *args],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/api/v1/regions", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"server did not start: {proc.communicate()[1].decode()[-2000:]}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def reports_dir(tmp_path_factory):
    """A small 'built report' directory, with a symlink that must never be served."""
    root = tmp_path_factory.mktemp("reports")
    (root / "data").mkdir()
    (root / "index.html").write_text("<h1>白皮书</h1>", encoding="utf-8")
    (root / "data" / "fig_de_va.csv").write_text("region,value\n江西省,10378\n", encoding="utf-8")
    (root / ".hidden").write_text("secret", encoding="utf-8")
    outside = tmp_path_factory.mktemp("outside") / "passwd.txt"
    outside.write_text("not for the web", encoding="utf-8")
    (root / "link.txt").symlink_to(outside)
    return root


@pytest.fixture(scope="session")
def live_server(demo_db, tmp_path_factory, reports_dir):
    """`digecon serve` on a private copy of the demo store; yields its base URL."""
    db = tmp_path_factory.mktemp("live") / "live.duckdb"
    shutil.copy(demo_db, db)
    proc, base = start_server(db, dict(os.environ, DIGECON_API_TOKEN=TOKEN),
                              "--reports", str(reports_dir))
    # warm the index cache (Monte Carlo) once so page tests measure pages, not the first build
    httpx.get(base + "/api/v1/indices/city_de", timeout=120)
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def client(live_server):
    with httpx.Client(base_url=live_server, timeout=60) as c:
        yield c
