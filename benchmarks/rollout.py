"""Rollout engine speed: a 1,000-instance rollout in-process, the whole `vmss rolling-upgrade start`
on 1,000 instances, and `vmss get-os-upgrade-history` against bare interpreter start-up.

Run: python benchmarks/rollout.py [--runs N]   (prints medians; figures are ratios from one run)
     python benchmarks/rollout.py --vs /path/to/other/checkout [--runs N]
        engine time of this checkout against another one (e.g. main), interleaved run by run, each in a
        fresh process importing its own vmss_cli (PYTHONPATH); prints the ratio of the medians
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

IMAGE = "Canonical:UbuntuServer:18.04-LTS:latest"


def _api():
    """The modules of the checkout on the path: this layout, or the one before the service layer
    (commit fc86555 and older, where every module sat in core/), so --vs can compare with either."""
    from types import SimpleNamespace

    from vmss_cli.store.state import Transaction, transaction

    try:
        from vmss_cli.core.resources import catalog, groups, scaleset
        from vmss_cli.core.rollout import engine
        from vmss_cli.core.rollout.handlers import open_world
        from vmss_cli.core.world import clock as world
    except ImportError:
        from vmss_cli.core import catalog, engine, groups, scaleset, world  # type: ignore[no-redef]
        from vmss_cli.core.events import Sim as open_world  # type: ignore[no-redef]
    return SimpleNamespace(catalog=catalog, groups=groups, scaleset=scaleset, engine=engine, open_world=open_world,
                           world=world, Transaction=Transaction, transaction=transaction)


def prepare(home: Path, count: int, version: str) -> None:
    os.environ["VMSS_HOME"] = str(home)
    os.environ.setdefault("VMSS_START_TIME", "2026-01-01T00:00:00Z")
    api = _api()
    with api.transaction(home) as tx:
        api.groups.create(tx, "rg", "eastus")
        api.scaleset.create(tx, resource_group="rg", name="big", image=IMAGE, instance_count=count,
                            orchestration_mode="Uniform", upgrade_policy_mode="Rolling")
        api.catalog.publish(tx, "eastus", "Canonical", "UbuntuServer", "18.04-LTS", version, 60, 0, api.world.now(tx))


def in_process(count: int, runs: int, commit: bool = True) -> tuple[list[float], list[float]]:
    """(engine only, engine + commit) seconds per run; without `commit`, the engine only."""
    api = _api()
    engine, scaleset, open_world, Transaction = api.engine, api.scaleset, api.open_world, api.Transaction
    engine_only, with_commit = [], []
    for run in range(runs):
        home = Path(tempfile.mkdtemp(prefix="vmss-bench-"))
        prepare(home, count, "18.04.202406010")
        tx = Transaction(home, writable=True)
        t0 = time.perf_counter()
        sim = open_world(tx)
        doc = scaleset.load(tx, "rg", "big")
        op = engine.start(sim, doc, "User")
        sim.run(until=None, stop=lambda: op["status"] in engine.TERMINAL)
        engine_only.append(time.perf_counter() - t0)
        assert op["status"] == "Completed" and len(op["succeeded"]) == count
        if not commit:
            continue
        t0 = time.perf_counter()
        from vmss_cli.core.rollout import rollouts
        with api.transaction(home) as tx2:
            rollouts.start(tx2, "rg", "big", wait=True)
        with_commit.append(time.perf_counter() - t0)
    return engine_only, with_commit


def engine_vs(count: int, runs: int, other: str) -> None:
    this = str(Path(__file__).resolve().parent.parent)
    times: dict[str, list[float]] = {this: [], other: []}
    for _ in range(runs):
        for repo in times:
            # -S: no site processing, so an editable install's import hook cannot put its own checkout first;
            # the site-packages directory comes after the checkout for the dependencies
            path = os.pathsep.join([repo, sysconfig.get_paths()["purelib"]])
            out = subprocess.run([sys.executable, "-S", __file__, "--engine-once", "--instances", str(count)],
                                 env=dict(os.environ, PYTHONPATH=path), check=True, capture_output=True, text=True)
            times[repo].append(float(out.stdout))
    a, b = statistics.median(times[this]), statistics.median(times[other])
    print(f"engine time of a {count}-instance rollout, medians of {runs} interleaved runs:")
    print(f"  this checkout {a * 1000:8.1f} ms   {other} {b * 1000:8.1f} ms   ratio {a / b:.2f}x (goal <= 0.6x)")


def whole_commands(count: int, runs: int) -> dict[str, list[float]]:
    vmss = [sys.executable, "-m", "vmss_cli"]
    times: dict[str, list[float]] = {"python -c pass": [], "vmss rolling-upgrade start (1,000 instances)": [],
                                     "vmss get-os-upgrade-history": []}
    for run in range(runs):
        home = Path(tempfile.mkdtemp(prefix="vmss-bench-"))
        prepare(home, count, "18.04.202406010")
        env = dict(os.environ, VMSS_HOME=str(home))
        for label, argv in (("python -c pass", [sys.executable, "-c", "pass"]),
                            ("vmss rolling-upgrade start (1,000 instances)",
                             vmss + ["rolling-upgrade", "start", "-g", "rg", "-n", "big", "--only-show-errors"]),
                            ("vmss get-os-upgrade-history", vmss + ["get-os-upgrade-history", "-g", "rg", "-n", "big"])):
            t0 = time.perf_counter()
            subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
            times[label].append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--instances", type=int, default=1000)
    parser.add_argument("--vs", help="another checkout to compare the engine time with")
    parser.add_argument("--engine-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_once:
        in_process(5, 1, commit=False)  # warm-up: imports and first-use caches are start-up, not engine time
        print(in_process(args.instances, 1, commit=False)[0][0])
        return
    if args.vs:
        engine_vs(args.instances, args.runs, args.vs)
        return
    engine_only, with_commit = in_process(args.instances, args.runs)
    print(f"in-process rollout, {args.instances} instances, median of {args.runs}:")
    print(f"  engine only             {statistics.median(engine_only) * 1000:8.1f} ms")
    print(f"  engine + store commit   {statistics.median(with_commit) * 1000:8.1f} ms")
    times = whole_commands(args.instances, args.runs)
    base = statistics.median(times["python -c pass"])
    print(f"whole commands, median of {args.runs} (ratio to python -c pass):")
    for label, values in times.items():
        median = statistics.median(values)
        print(f"  {label:45s} {median * 1000:8.1f} ms  {median / base:5.1f}x")


if __name__ == "__main__":
    main()
