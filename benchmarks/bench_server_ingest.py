"""A running server while a large upload is written: latency of /api/v1/observations and the
server's memory, before (the baseline, same run), during and after a POST /api/v1/ingest of
N rows (default 2 million).

Starts `digecon serve` on a free 127.0.0.1 port over a fresh demo store (load-demo), drives it
with C concurrent clients — Debian's `wrk` when installed (a C client leaves the CPU to the
server; during the upload it runs in 3-second windows until the upload returns), else asyncio +
httpx — samples the server's RSS from /proc every 0.1 s, and writes the result to --out
(default benchmarks/results/server_ingest.json).

    python benchmarks/bench_server_ingest.py [--rows 2000000] [--clients 20] [--rate R] [--out FILE]

Without --rate the load saturates the server (every client asks again the moment it is
answered), so its latency is mostly the queue on two shared cores. With --rate R the clients
together ask R times a second: a bounded load, whose latency is how long the server takes to
answer while the upload is written.
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "results" / "server_ingest.json"
TOKEN = "bench-token"
QUERIES = [
    "/api/v1/observations?indicator=de_va",
    "/api/v1/observations?indicator=de_va&region=360100",
    "/api/v1/observations?region=360000&period=2021&limit=50",
    "/api/v1/observations?indicator=gdp&region=360000&as_of=2022-07-31",
    "/api/v1/facts?region=360000&period=2021",
]


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _make_csv():
    return _bench("bench_ingest").make_csv


def wrk_phase(base: str, clients: int, seconds: int, rate: float | None = None) -> dict:
    return _bench("bench_api").run_wrk(base, clients, seconds, QUERIES, rate)


def wrk_until(base: str, clients: int, done: threading.Event, rate: float | None = None) -> dict:
    """wrk in 3-second windows until `done`: each window's figures and the worst p99."""
    windows = []
    while not done.is_set():
        windows.append(wrk_phase(base, clients, 3, rate))
    if not windows:
        return {}
    reqs = sum(w["requests"] for w in windows)
    secs = sum(w["seconds"] for w in windows)
    return {"tool": "wrk", "windows": windows, "requests": reqs, "seconds": round(secs, 2),
            "requests_per_s": round(reqs / secs, 1) if secs else None,
            "p99_ms": max(w["p99_ms"] for w in windows),
            "p50_ms": statistics.median(w["p50_ms"] for w in windows),
            "errors": sum(w["errors"] for w in windows)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def load(base: str, clients: int, stop: threading.Event, seconds: float | None,
               rate: float | None = None) -> tuple[list[float], int]:
    """Latencies (ms) of every request until `stop` is set (or `seconds` pass); errors. With
    `rate` each client waits clients/rate seconds before each request."""
    lat: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds if seconds else None

    async def client(i: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:
            n = i
            while not stop.is_set() and (deadline is None or time.monotonic() < deadline):
                if rate:
                    await asyncio.sleep(clients / rate)
                t = time.perf_counter()
                try:
                    r = await c.get(QUERIES[n % len(QUERIES)])
                    if r.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                lat.append((time.perf_counter() - t) * 1000)
                n += 1

    await asyncio.gather(*(client(i) for i in range(clients)))
    return lat, errors


def summary(lat: list[float], errors: int, seconds: float) -> dict:
    lat = sorted(lat)
    q = (lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]) if lat else (lambda p: None)
    return {"requests": len(lat), "errors": errors, "seconds": round(seconds, 2),
            "rps": round(len(lat) / seconds, 1) if seconds else None,
            "p50_ms": round(q(0.50), 1) if lat else None,
            "p99_ms": round(q(0.99), 1) if lat else None,
            "max_ms": round(lat[-1], 1) if lat else None,
            "mean_ms": round(statistics.fmean(lat), 1) if lat else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=10.0, help="baseline and after phases")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--rate", type=float, default=None,
                    help="requests per second over all clients (a bounded load); "
                         "default: saturating, each client asks again as soon as it is answered")
    ap.add_argument("--tool", choices=["auto", "httpx"], default="auto",
                    help="load generator: wrk when installed (auto), or asyncio + httpx")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db, upload = tmp / "bench.duckdb", tmp / "upload.csv"
        t0 = time.perf_counter()
        _make_csv()(upload, args.rows, seed=7)
        print(f"{args.rows} rows written to {upload} ({upload.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)
        subprocess.run([sys.executable, "-m", "digecon.cli", "load-demo", "--db", str(db)],
                       check=True, capture_output=True, cwd=REPO)
        port = free_port()
        env = dict(os.environ, DIGECON_API_TOKEN=TOKEN,
                   DIGECON_API_MAX_UPLOAD_BYTES=str(upload.stat().st_size + (1 << 20)),
                   DIGECON_API_MAX_UPLOAD_ROWS=str(args.rows + 10))
        server = subprocess.Popen([sys.executable, "-m", "digecon.cli", "serve", "--port",
                                   str(port), "--db", str(db)], cwd=REPO, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(base + "/api/v1/regions", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            peak = {"rss_mb": rss_mb(server.pid)}
            sampling = threading.Event()

            def sample() -> None:
                while not sampling.is_set():
                    peak["rss_mb"] = max(peak["rss_mb"], rss_mb(server.pid))
                    time.sleep(0.1)

            threading.Thread(target=sample, daemon=True).start()
            never = threading.Event()
            use_wrk = shutil.which("wrk") is not None and args.tool != "httpx"

            def phase(seconds: float) -> dict:
                if use_wrk:
                    return wrk_phase(base, args.clients, int(seconds), args.rate)
                t = time.perf_counter()
                return summary(*asyncio.run(load(base, args.clients, never, seconds, args.rate)),
                               time.perf_counter() - t)

            # The steady state before the upload: every question asked once, and a city page,
            # which waits for the indices the server builds in the background after it starts.
            api = _bench("bench_api")
            api.warm(base, QUERIES + api.CITY[:1])
            before = phase(args.seconds)
            print("before:", before, flush=True)

            done = threading.Event()
            result: dict = {}

            def post() -> None:
                t1 = time.perf_counter()
                with open(upload, "rb") as fh:
                    r = httpx.post(base + "/api/v1/ingest", timeout=3600,
                                   headers={"Authorization": f"Bearer {TOKEN}"},
                                   files={"files": ("upload.csv", fh, "text/csv")})
                result.update(status=r.status_code, body=r.text[:300],
                              seconds=round(time.perf_counter() - t1, 2))
                done.set()

            threading.Thread(target=post, daemon=True).start()
            if use_wrk:
                during = wrk_until(base, args.clients, done, args.rate)
            else:
                t = time.perf_counter()
                during = summary(*asyncio.run(load(base, args.clients, done, None, args.rate)),
                                 time.perf_counter() - t)
            done.wait()
            print("during:", {k: v for k, v in during.items() if k != "windows"},
                  "ingest:", result, flush=True)
            after = phase(args.seconds)
            print("after:", after, flush=True)
            sampling.set()
        finally:
            server.terminate()
            server.wait(timeout=30)
        out = {
            "what": "GET /api/v1/observations and /api/v1/facts while POST /api/v1/ingest writes "
                    f"{args.rows} rows; {args.clients} clients ({'wrk' if use_wrk else 'httpx'}) "
                    "on the same CPUs as the server, "
                    + (f"bounded at {args.rate:g} requests/s in all" if args.rate
                       else "saturating (each client asks again as soon as it is answered)"),
            "baseline": "the same query mix on the same server before the upload (same run)",
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
            "before": before, "during": during, "after": after, "ingest": result,
            "p99_during_over_before": round(during["p99_ms"] / before["p99_ms"], 2)
            if during["p99_ms"] and before["p99_ms"] else None,
            "peak_rss_mb": round(peak["rss_mb"], 1),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
