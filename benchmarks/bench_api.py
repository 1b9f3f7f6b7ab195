"""Bounded loopback load test of /api/v1/observations: requests/s, p50/p99 latency, errors.

Starts `digecon serve` on a free 127.0.0.1 port over a demo store (or uses --url of a running
server on 127.0.0.1), then drives it with Debian's `wrk` (a C load generator: it leaves the CPU
to the server, which an in-process client does not) for two cases in turn, each N concurrent
connections for S seconds: `plain` (the dashboard's mix of queries, newest vintages) and
`as_of` (the same queries read at a vintage date) and `city` (a city page and its observations). `--tool httpx` is an asyncio fallback for a
machine without wrk; it measures its own client as much as the server, and says so.
Writes the result to --out (default benchmarks/results/api.json; any path, e.g. outside the
repository) with the previous result of that file beside it, for the ratio.

    python benchmarks/bench_api.py [--clients 50 --seconds 10] [--out /tmp/api.json]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "results" / "api.json"
# A mix a dashboard produces: one indicator, one region, a page, a filter by status.
QUERIES = [
    "/api/v1/observations?indicator=de_va",
    "/api/v1/observations?indicator=de_va&region=360100",
    "/api/v1/observations?region=360000&period=2021&limit=50",
    "/api/v1/observations?indicator=de_share_gdp&status=illustrative",
    "/api/v1/observations?limit=100&offset=200",
    "/api/v1/observations?indicator=gdp&region=%E5%8D%97%E6%98%8C",
]
AS_OF = "2022-07-31"  # the bundled report's vintage: older rows than the newest are chosen
# A city official's mix (issue 15): the city's 数据回流 page and the observations behind it.
CITY = ["/city/360100", "/city/361100", "/api/v1/observations?indicator=de_va&region=360100",
        "/api/v1/observations?region=360100&period=2021&limit=50"]
CASES = {"plain": QUERIES, "as_of": [f"{q}&as_of={AS_OF}" for q in QUERIES], "city": CITY}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "digecon.cli", "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--db", str(db)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + QUERIES[0], timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start: " + proc.stderr.read().decode()[-2000:])


def run_wrk(base: str, clients: int, seconds: int, queries: list[str],
            rate: float | None = None) -> dict:
    """wrk over `queries` in turn. Without `rate` every connection sends its next request as soon
    as the last is answered (a saturating, closed-loop load: latency is mostly queueing). With
    `rate` (requests per second over all connections) each connection waits clients/rate seconds
    before each request: a bounded load whose latency is the server's own answer time."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115 - wrk reads it by name
    paths = ", ".join(json.dumps(q) for q in queries)
    pause = f"delay = function() return {clients * 1000.0 / rate:.3f} end" if rate else ""
    script.write(f"""
{pause}
local paths = {{{paths}}}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("JSON %d %d %d %d %d %d %f %f %f\\n", summary.requests,
    summary.duration, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, summary.errors.status, summary.errors.timeout, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max))
end
""")
    script.close()
    threads = min(2, clients)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s",
                          "--timeout", "5s", "-s", script.name, base], capture_output=True,
                         text=True, check=True).stdout
    os.unlink(script.name)
    m = re.search(r"JSON (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    reqs, dur_us, sock_err, status_err, _timeouts, nbytes, p50, p99, pmax = m.groups()
    dur = int(dur_us) / 1e6
    return {"tool": "wrk", "requests": int(reqs), "seconds": round(dur, 2),
            **({"target_requests_per_s": rate} if rate else {}),
            "requests_per_s": round(int(reqs) / dur, 1), "p50_ms": round(float(p50) / 1000, 2),
            "p99_ms": round(float(p99) / 1000, 2), "max_ms": round(float(pmax) / 1000, 2),
            "errors": int(sock_err) + int(status_err), "bytes": int(nbytes)}


async def _httpx_load(base: str, clients: int, seconds: int, queries: list[str]) -> dict:
    import httpx

    lat: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=5) as client:
        async def worker(k: int) -> None:
            nonlocal errors
            rnd = random.Random(k)
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                try:
                    r = await client.get(rnd.choice(queries))
                    if r.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                lat.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(clients)))
        dur = time.perf_counter() - t0
    lat.sort()

    def pct(p: float) -> float:
        return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 2) if lat else 0.0

    return {"tool": "httpx (measures its own client too)", "requests": len(lat), "seconds": round(dur, 2),
            "requests_per_s": round(len(lat) / dur, 1), "p50_ms": pct(0.50),
            "p99_ms": pct(0.99), "max_ms": pct(1.0), "errors": errors}


def warm(base: str, queries: list[str]) -> None:
    """Ask each question once before timing: the steady state is measured, not the first
    render of a page (a city page computes its index's uncertainty once per store version)."""
    import httpx

    for q in queries:
        httpx.get(base + q, timeout=300).raise_for_status()


def _previous(path: Path) -> dict | None:
    """The result the file held before this run, without its own `previous`."""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    old.pop("previous", None)
    return old


def _ratios(cases: dict, previous: dict | None) -> dict:
    """This run over the previous one, case by case (a previous single result is `plain`)."""
    if not previous:
        return {}
    before = previous.get("cases") or {"plain": previous}
    out = {}
    for name, now in cases.items():
        old = before.get(name)
        if not old or not old.get("requests_per_s"):
            continue
        out[name] = {"requests_per_s": round(now["requests_per_s"] / old["requests_per_s"], 2),
                     "p50_ms": round(now["p50_ms"] / old["p50_ms"], 2) if old.get("p50_ms") else None,
                     "p99_ms": round(now["p99_ms"] / old["p99_ms"], 2) if old.get("p99_ms") else None,
                     "previous_clients": old.get("clients", previous.get("clients"))}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=10, help="per case")
    ap.add_argument("--cases", default="plain,as_of,city",
                    help="comma-separated: plain, as_of, city")
    ap.add_argument("--tool", choices=("wrk", "httpx"), default="wrk")
    ap.add_argument("--rate", type=float, default=None,
                    help="requests per second over all clients (a bounded load, wrk only); "
                         "default: saturating, each client asks again as soon as it is answered")
    ap.add_argument("--url", help="a running server on 127.0.0.1 (default: start one)")
    ap.add_argument("--db", type=Path, help="store to serve (default: a fresh demo store)")
    ap.add_argument("--out", type=Path, default=OUT, help=f"result JSON (default {OUT})")
    args = ap.parse_args()
    if not (1 <= args.clients <= 1000 and 1 <= args.seconds <= 300):
        raise SystemExit("bounded test: 1–1000 clients, 1–300 seconds")
    names = [c.strip() for c in args.cases.split(",") if c.strip()]
    if not names or any(n not in CASES for n in names):
        raise SystemExit(f"--cases: one or more of {', '.join(CASES)}")
    if args.rate is not None and (args.tool != "wrk" or args.rate <= 0):
        raise SystemExit("--rate: a positive number of requests per second, with --tool wrk")
    if args.tool == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk; scripts/setup.sh "
                         "installs it); --tool httpx measures with a Python client instead")
    proc = None
    tmp = Path(tempfile.mkdtemp(prefix="digecon-bench-"))
    cases: dict[str, dict] = {}
    try:
        if args.url:
            if urlparse(args.url).hostname not in ("127.0.0.1", "localhost"):
                raise SystemExit("loopback only: --url must be on 127.0.0.1")
            base = args.url.rstrip("/")
        else:
            db = args.db
            if db is None:
                db = tmp / "bench.duckdb"
                subprocess.run([sys.executable, "-m", "digecon.cli", "load-demo", "--db", str(db)],
                               cwd=REPO, check=True, capture_output=True)
            proc, base = start_server(db)
        # Every case's questions once before any timing (a city page waits for the indices the
        # server builds in the background after start-up, so no case is timed while they build).
        warm(base, [q for name in names for q in CASES[name]] + CITY)
        for name in names:
            queries = CASES[name]
            cases[name] = (run_wrk(base, args.clients, args.seconds, queries, args.rate)
                           if args.tool == "wrk"
                           else asyncio.run(_httpx_load(base, args.clients, args.seconds, queries)))
            cases[name]["queries"] = queries
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(60)
        shutil.rmtree(tmp, ignore_errors=True)
    previous = _previous(args.out)
    result = {"tool": args.tool, "endpoint": "/api/v1/observations (city: and /city/{code})", "clients": args.clients,
              "load": (f"bounded: {args.rate:g} requests/s over all clients" if args.rate
                       else "saturating: each client asks again as soon as it is answered"),
              "seconds_per_case": args.seconds, "cases": cases,
              "server": "digecon serve (uvicorn + uvloop + httptools, 1 process)",
              "goal": {"p99_ms": 100, "errors": 0},
              "meets_goal": all(c["p99_ms"] < 100 and c["errors"] == 0 for c in cases.values()),
              "ratio_to_previous": _ratios(cases, previous),
              "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                          "platform": platform.platform(),
                          "load_avg_at_end": [round(x, 2) for x in os.getloadavg()]},
              "date": time.strftime("%Y-%m-%d %H:%M:%S"), "previous": previous}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for name, c in cases.items():
        ratio = result["ratio_to_previous"].get(name)
        vs = f"  ({ratio['requests_per_s']}x req/s of the previous)" if ratio else ""
        print(f"{name}: {c['tool']}: {args.clients} clients × {c['seconds']} s → "
              f"{c['requests_per_s']} req/s, p50 {c['p50_ms']} ms, p99 {c['p99_ms']} ms, "
              f"errors {c['errors']}{vs}")
    print(f"→ {args.out}")


if __name__ == "__main__":
    main()
