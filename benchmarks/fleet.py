#!/usr/bin/env python3
"""Fleet and history costs, each a ratio from one interleaved run (A B A B ...).

    python benchmarks/fleet.py --baseline /path/to/other/venv/bin/vmss [--sets 100 400] [--big 500] [--runs 3] [--copy]
    python benchmarks/fleet.py --phases [--big 500]     where one advance of the --big fleet spends its time

- fleet: N scale sets x 100 instances with automatic OS upgrades, one release published, then
  `vmss sim clock advance 4h` (every set upgraded): this checkout's `vmss` (A) against --baseline (B)
  at --big sets, and A at the largest --sets size against A at the smallest (linear cost: the time
  ratio follows the size ratio).
- history: a 100-instance set after 100 rollouts against a fresh one: `vmss show` and
  `get-os-upgrade-history` read times, and the cost of one more rollout against the first one.

Stores are built in-process with this checkout (set-up, not measured); every measured command is a
real process, CPU time (user + sys) and peak RSS from os.wait4, on a fresh store whose state files
are hard links to the built one (--copy: full copies; see fresh_store).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
URN = "Canonical:UbuntuServer:18.04-LTS"


def in_process(home: Path, *args: str) -> None:
    import contextlib
    import io

    from vmss_cli.cli.main import main

    os.environ["VMSS_HOME"] = str(home)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        code = main([*args, "--only-show-errors"])
    if code != 0:
        raise SystemExit(f"set-up `vmss {' '.join(args)}` failed ({code}): {err.getvalue()}")


def publish(home: Path, version: str) -> None:
    in_process(home, "sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s",
               "18.04-LTS", "--version", version, "-o", "none")


def build_fleet(home: Path, sets: int, instances: int) -> None:
    in_process(home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
    for i in range(sets):
        in_process(home, "create", "-g", "rg", "-n", f"ss{i:03d}", "--orchestration-mode", "Uniform",
                   "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true", "--image",
                   f"{URN}:latest", "--instance-count", str(instances), "-o", "none")
    publish(home, "18.04.202406110")


COPY_STORES = False  # --copy: every run's store a full copy, deleted after the run (see fresh_store)
RUNS: Path | None = None  # where the runs' stores stay until the measurement ends (see fresh_store)


def fresh_store(home: Path, to: Path) -> None:
    """The store at `home`, as each run starts from it. Its state files (*.json), which vmss only ever
    replaces whole (a new file renamed over the old one), are hard links; event logs (appended in place)
    and the lock file are copied; and the runs' stores are deleted only when the measurement ends.
    Copying the whole store and deleting it after the run created and freed a thousand files or more
    around every run, and ext4 without a journal (as this machine has it; with one it does not) makes
    each new file skip, one by one, the inodes freed in the last minutes: a run's own file creations
    paid for the runs before it, the more files it creates the more, in a measure that drifted run
    after run (README "Performance"). --copy measures that way still."""
    def link_or_copy(source: str, target: str) -> str:
        name = os.path.basename(source)
        if not COPY_STORES and name.endswith(".json") and not name.startswith("."):
            os.link(source, target)
            return target
        return shutil.copy2(source, target)

    shutil.copytree(home, to, copy_function=link_or_copy)


def as_version_1(home: Path, to: Path) -> Path:
    """The fleet at `home` as a vmss from before world.json's version 2 reads it (main refuses a newer
    file): the same files, world.json saying version 1. Its queue holds the platform's pick-up of the
    release and no joined instance event, the one thing version 2 adds, so version 1 is what it is."""
    import json

    fresh_store(home, to)
    path = to / "world.json"
    world = json.loads(path.read_bytes())
    if any("instances" in (event.get("data") or {}) for event in world.get("queue", [])):
        raise SystemExit("the fleet's queue holds joined instance events: a version 1 vmss cannot read it")
    path.unlink()  # (a hard link to the fleet's own world.json)
    path.write_text(json.dumps(dict(world, schemaVersion=1)))
    return to


def _state_files(home: Path) -> dict[str, tuple[int, int, int]]:
    return {str(p): (p.stat().st_ino, p.stat().st_size, p.stat().st_mtime_ns) for p in home.rglob("*.json")}


def timed(vmss: list[str], home: Path, *args: str) -> tuple[float, float, float]:
    """(user CPU seconds, system CPU seconds, peak RSS MiB) of one `vmss ARGS` process on a fresh store
    made from `home` (which the run must leave as it was: its state files are shared by hard links)."""
    import subprocess

    work = Path(tempfile.mkdtemp(prefix="vmss-run-", dir=None if COPY_STORES else RUNS))
    before = _state_files(home)
    try:
        fresh_store(home, work / "store")
        env = dict(os.environ, VMSS_HOME=str(work / "store"), NO_COLOR="1")
        proc = subprocess.Popen([*vmss, *args], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        err = proc.stderr.read().decode()
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"vmss {' '.join(args)} failed: {err}")
        if _state_files(home) != before:
            raise SystemExit(f"vmss {' '.join(args)} changed a state file in place: the measure is void")
        return usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024
    finally:
        if COPY_STORES or RUNS is None:
            shutil.rmtree(work, ignore_errors=True)


def interleaved(runs: int, cases: dict[str, tuple[list[str], Path, tuple[str, ...]]],
                split: dict[str, list[tuple[float, float]]] | None = None) -> dict[str, list[float]]:
    """Each case's CPU times (user + system), the cases run in turn `runs` times; `split` gets the
    (user, system) of each run."""
    times: dict[str, list[float]] = {label: [] for label in cases}
    for _ in range(runs):
        for label, (vmss, home, args) in cases.items():
            user, system, _ = timed(vmss, home, *args)
            times[label].append(user + system)
            if split is not None:
                split.setdefault(label, []).append((user, system))
    return times


def phases(home: Path, runs: int) -> None:
    """Where one `sim clock advance 4h` of the fleet at `home` spends its CPU time, in this process (the
    thread's CPU clock around each phase; the best of `runs`): what the README's breakdown says."""
    import time

    from vmss_cli.core.world import events
    from vmss_cli.store import files, state

    spent: dict[str, float] = {}

    def timed(label, function):
        def wrapper(*args, **kwargs):
            start = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.thread_time() - start
        return wrapper

    patched = [(events.Sim, "run"), (files, "parse"), (files, "encode"), (state.Transaction, "commit")]
    originals = [getattr(owner, name) for owner, name in patched]
    for (owner, name), original in zip(patched, originals):
        setattr(owner, name, timed(name, original))
    best: dict[str, float] = {}
    try:
        for _ in range(runs):
            work = Path(tempfile.mkdtemp(prefix="vmss-phases-", dir=None if COPY_STORES else RUNS))
            try:
                fresh_store(home, work / "store")
                spent.clear()
                start = time.thread_time()
                in_process(work / "store", "sim", "clock", "advance", "4h", "-o", "none")
                total = time.thread_time() - start
            finally:
                if COPY_STORES or RUNS is None:
                    shutil.rmtree(work, ignore_errors=True)
            row = {"whole command (in-process, no start-up)": total,
                   "engine (events, without parsing)": spent["run"] - spent["parse"],
                   "parsing the set files": spent["parse"], "encoding the new files": spent["encode"],
                   "commit without encoding (writes, fsync, renames)": spent["commit"] - spent["encode"]}
            best = row if not best or total < best["whole command (in-process, no start-up)"] else best
    finally:
        for (owner, name), original in zip(patched, originals):
            setattr(owner, name, original)
    print(f"phases of one advance, thread CPU time, the fastest of {runs} runs:")
    for label, seconds in best.items():
        print(f"  {label:<52} {seconds:6.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", help="the vmss to compare with (e.g. main's venv/bin/vmss)")
    parser.add_argument("--sets", type=int, nargs=2, default=[100, 400], help="sizes for the linearity ratio")
    parser.add_argument("--big", type=int, default=500, help="fleet size compared with --baseline")
    parser.add_argument("--instances", type=int, default=100)
    parser.add_argument("--rollouts", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phases", action="store_true",
                        help="only where the --big fleet's advance spends its time, in this process")
    parser.add_argument("--copy", action="store_true",
                        help="start each run from a full copy of the store, not hard links (see fresh_store)")
    args = parser.parse_args()
    global COPY_STORES, RUNS
    COPY_STORES = args.copy
    os.environ.setdefault("VMSS_START_TIME", "2026-01-01T00:00:00Z")
    here = [sys.executable, "-m", "vmss_cli"]
    baseline = [args.baseline] if args.baseline else None
    root = Path(tempfile.mkdtemp(prefix="vmss-fleet-"))
    RUNS = root / "runs"  # (a run leaves the files it wrote, up to ~110 MB: ~1.6 GB for 5 runs, removed at the end)
    RUNS.mkdir()
    advance = ("sim", "clock", "advance", "4h", "--only-show-errors", "-o", "none")
    try:
        if args.phases:
            build_fleet(root / "fleet", args.big, args.instances)
            phases(root / "fleet", args.runs)
            return 0
        homes = {}
        for size in sorted({*args.sets, args.big}):
            homes[size] = root / f"fleet{size}"
            build_fleet(homes[size], size, args.instances)
        cases = {f"{size} sets": (here, homes[size], advance) for size in args.sets}
        if baseline:
            cases[f"{args.big} sets"] = (here, homes[args.big], advance)
            main_store = as_version_1(homes[args.big], root / "fleet-v1")
            cases[f"{args.big} sets (baseline)"] = (baseline, main_store, advance)
        split: dict[str, list[tuple[float, float]]] = {}
        times = {k: statistics.median(v) for k, v in interleaved(args.runs, cases, split).items()}
        small, large = args.sets
        print(f"fleet: sim clock advance 4h after one release, {args.instances} instances per set, "
              f"CPU medians of {args.runs} interleaved runs, stores {'copied' if args.copy else 'hard-linked'}")
        for label, value in times.items():
            # (system time is mostly the file system creating ~2 files a set; it varies from run to run)
            user, system = (statistics.median(run[i] for run in split[label]) for i in (0, 1))
            print(f"  {label:<28} {value:8.2f} s   (user {user:.2f} s, system {system:.2f} s)")
        print(f"  {large} sets / {small} sets: {times[f'{large} sets'] / times[f'{small} sets']:.2f}x "
              f"(size ratio {large / small:g}x; goal <= {large / small * 1.05:.2f}x)")
        if baseline:
            ratio = times[f"{args.big} sets"] / times[f"{args.big} sets (baseline)"]
            print(f"  {args.big} sets, this / baseline: {ratio:.2f}x (goal <= 0.4x)")

        # history: one set after many rollouts against a fresh one
        fresh, old = root / "fresh", root / "old"
        for home in (fresh, old):
            in_process(home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
            in_process(home, "create", "-g", "rg", "-n", "web", "--orchestration-mode", "Uniform",
                       "--upgrade-policy-mode", "Rolling", "--image", f"{URN}:latest", "--instance-count",
                       str(args.instances), "-o", "none")
        for n in range(args.rollouts):
            publish(old, f"18.04.2031{n // 100:02d}{n % 100:02d}0")
            in_process(old, "rolling-upgrade", "start", "-g", "rg", "-n", "web")
        publish(fresh, "18.04.203199990")
        publish(old, "18.04.203199990")
        ss = ("-g", "rg", "-n", "web")
        start = ("rolling-upgrade", "start", *ss, "--only-show-errors")
        cases = {"show, fresh": (here, fresh, ("show", *ss)), f"show, {args.rollouts} rollouts": (here, old, ("show", *ss)),
                 "history, fresh": (here, fresh, ("get-os-upgrade-history", *ss)),
                 f"history, {args.rollouts} rollouts": (here, old, ("get-os-upgrade-history", *ss)),
                 "first rollout": (here, fresh, start), f"rollout {args.rollouts + 1}": (here, old, start)}
        times = {k: statistics.median(v) for k, v in interleaved(args.runs * 3, cases).items()}
        size = (old / "resourceGroups/rg/virtualMachineScaleSets/web.json").stat().st_size
        fresh_size = (fresh / "resourceGroups/rg/virtualMachineScaleSets/web.json").stat().st_size
        print(f"history: a {args.instances}-instance set after {args.rollouts} rollouts against a fresh one "
              f"(set file {size / 1024:.0f} KiB against {fresh_size / 1024:.0f} KiB), CPU medians")
        for what in ("show", "history"):
            ratio = times[f"{what}, {args.rollouts} rollouts"] / times[f"{what}, fresh"]
            print(f"  {what:<8} after / fresh: {ratio:.2f}x (goal <= 1.1x)")
        ratio = times[f"rollout {args.rollouts + 1}"] / times["first rollout"]
        print(f"  rollout {args.rollouts + 1} / first rollout: {ratio:.2f}x (goal ~1.0x)")
        return 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
