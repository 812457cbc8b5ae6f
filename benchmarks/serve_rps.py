#!/usr/bin/env python3
"""Requests per second of `vmss serve` with keep-alive HTTPS clients.

    python benchmarks/serve_rps.py [--seconds 5] [--clients 1 8] [--writer]

Starts `vmss serve --port 0` (its own process, as users run it) on a temporary store holding one scale set
of 10 instances, then for each client count runs that many threads, each with one keep-alive
connection, doing `GET` of the scale set (what `az vmss show` sends) for --seconds. With --writer, one
more connection advances the world clock by a minute in a loop meanwhile (a locked read-modify-write):
reads go on, because readers take no lock. Prints requests/s and the median and 99th-percentile latency,
and exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.serve.conftest import RG_PATH, Client, api, create_seed_set  # noqa: E402


def start_server(home: Path) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, VMSS_HOME=str(home), VMSS_START_TIME="2026-01-01T00:00:00Z", VMSS_SEED="1")
    proc = subprocess.Popen([sys.executable, "-m", "vmss_cli", "serve", "--port", "0"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    endpoint = home / "serve" / "endpoint"
    deadline = time.monotonic() + 60
    while not endpoint.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"vmss serve did not start: {proc.stderr.read()}")
        time.sleep(0.05)
    return proc, endpoint.read_text().strip()


def run(url: str, ca: Path, clients: int, seconds: float, writer: bool) -> dict:
    path = api(RG_PATH + "/providers/Microsoft.Compute/virtualMachineScaleSets/web", "2026-04-01")
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[str] = []
    stop = threading.Event()

    def reader(i: int) -> None:
        c = Client(url, ca)
        try:
            while not stop.is_set():
                t0 = time.perf_counter()
                reply = c.get(path)
                latencies[i].append(time.perf_counter() - t0)
                if reply.status != 200:
                    failures.append(str(reply.status))
        finally:
            c.close()

    writes = [0]

    def write_loop() -> None:
        c = Client(url, ca)
        try:
            while not stop.is_set():
                if c.request("POST", "/_vmss/clock/advance", {"seconds": 60}).status != 200:
                    failures.append("advance")
                writes[0] += 1
        finally:
            c.close()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(clients)]
    if writer:
        threads.append(threading.Thread(target=write_loop))
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    flat = sorted(x for per in latencies for x in per)
    return {"clients": clients, "requests": len(flat), "rps": len(flat) / seconds,
            "p50_ms": statistics.median(flat) * 1000 if flat else 0.0,
            "p99_ms": flat[int(len(flat) * 0.99) - 1] * 1000 if flat else 0.0,
            "writes": writes[0], "failures": len(failures)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--writer", action="store_true", help="advance the clock in a loop meanwhile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vmss-serve-bench-") as tmp:
        home = Path(tmp) / "home"
        proc, url = start_server(home)
        try:
            ca = home / "serve" / "ca.pem"
            setup = Client(url, ca)
            create_seed_set(setup, capacity=10)
            setup.close()
            failed = False
            for n in args.clients:
                figures = run(url, ca, n, args.seconds, args.writer)
                failed |= figures["failures"] > 0
                print(json.dumps(figures))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
