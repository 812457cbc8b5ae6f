#!/usr/bin/env python3
"""Scale: N scale sets x 100 instances with automatic OS upgrades, one publish of a newer image,
then `vmss sim clock advance 3h` -> every set upgraded. Wall time and peak memory per command.

    python benchmarks/scale.py [--sets 50 100 200] [--instances 100] [--advance 3h] [--profile FILE]

The store is built in-process (it is set-up, not what is measured); the measured commands run as
real processes (the installed `vmss`), and each one's peak RSS comes from os.wait4. The growth ratio
compares the largest size with the smallest: linear cost means time ratio ~ size ratio.
--profile runs the advance of the largest size under cProfile in-process and prints the hot spots.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reliability.harness import NEW_VERSION, REPO, URN, VMSS, env_for, must  # noqa: E402


def build(home: Path, sets: int, instances: int) -> None:
    must(home, "group", "create", "-n", "rg", "-l", "eastus", "-o", "none")
    for i in range(sets):
        must(home, "create", "-g", "rg", "-n", f"ss{i:03d}", "--orchestration-mode", "Uniform",
             "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true", "--image", f"{URN}:latest",
             "--instance-count", str(instances), "-o", "none")


def timed(home: Path, *args: str) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB, stderr) of one `vmss ARGS` process."""
    started = time.perf_counter()
    proc = subprocess.Popen([*VMSS, *args], env=env_for(home), cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"vmss {' '.join(args)} failed ({proc.returncode}): {err}")
    return wall, usage.ru_maxrss / 1024, err


def upgraded(home: Path) -> tuple[int, int, int]:
    """(sets whose every instance runs NEW_VERSION, sets with a Completed rollout, sets)."""
    done = completed = total = 0
    for path in sorted((home / "resourceGroups/rg/virtualMachineScaleSets").glob("*.json")):
        doc = json.loads(path.read_bytes())
        total += 1
        done += all(i["osDisk"]["imageReference"]["exactVersion"] == NEW_VERSION for i in doc["instances"])
        completed += bool(doc["rollingUpgrades"]) and doc["rollingUpgrades"][-1]["status"] == "Completed"
    return done, completed, total


def store_mib(home: Path) -> float:
    return sum(p.stat().st_size for p in home.rglob("*") if p.is_file()) / 2**20


def run(sets: int, instances: int, advance: str, work: Path) -> dict:
    home = work / f"home-{sets}"
    started = time.perf_counter()
    build(home, sets, instances)
    setup = time.perf_counter() - started
    publish = timed(home, "sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s",
                    "18.04-LTS", "--version", NEW_VERSION, "-o", "none")
    clock = timed(home, "sim", "clock", "advance", advance, "-o", "none", "--only-show-errors")
    done, completed, total = upgraded(home)
    show = timed(home, "show", "-g", "rg", "-n", "ss000", "-o", "none")
    # The first automatic rollout after a set is configured may start up to 3 h after the release (the
    # seed), so a set picked up near the end of 3 h is still rolling: one more hour finishes it.
    late = timed(home, "sim", "clock", "advance", "1h", "-o", "none", "--only-show-errors") if done < total else None
    final, _, _ = upgraded(home)
    return {"sets": sets, "instances": sets * instances, "setup_s": setup, "publish_s": publish[0],
            "publish_mib": publish[1], "advance_s": clock[0], "advance_mib": clock[1], "show_s": show[0],
            "upgraded": done, "completed": completed, "total": total, "store_mib": store_mib(home),
            "after_4h": final, "late_s": late[0] if late else 0.0}


def profile(sets: int, instances: int, advance: str, work: Path, out: str) -> None:
    import cProfile
    import pstats

    home = work / "profile"
    build(home, sets, instances)
    must(home, "sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
         "--version", NEW_VERSION, "-o", "none")
    profiler = cProfile.Profile()
    profiler.enable()
    must(home, "sim", "clock", "advance", advance, "-o", "none", "--only-show-errors")
    profiler.disable()
    profiler.dump_stats(out)
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--instances", type=int, default=100)
    parser.add_argument("--advance", default="3h")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the largest advance in-process into FILE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vmss-scale-") as tmp:
        work = Path(tmp)
        if args.profile:
            profile(max(args.sets), args.instances, args.advance, work, args.profile)
            return 0
        rows = [run(n, args.instances, args.advance, work) for n in args.sets]
    print(f"{'sets':>5} {'VMs':>6} {'publish s':>9} {'MiB':>6} {'advance s':>9} {'MiB':>6} {'show s':>6} "
          f"{'store MiB':>9}  upgraded")
    for r in rows:
        print(f"{r['sets']:>5} {r['instances']:>6} {r['publish_s']:>9.2f} {r['publish_mib']:>6.0f} "
              f"{r['advance_s']:>9.2f} {r['advance_mib']:>6.0f} {r['show_s']:>6.2f} {r['store_mib']:>9.1f}  "
              f"{r['upgraded']}/{r['total']} on {NEW_VERSION} after {args.advance} ({r['completed']} rollouts "
              f"Completed); {r['after_4h']}/{r['total']} after 1h more ({r['late_s']:.2f} s)")
    small, large = rows[0], rows[-1]
    size = large["sets"] / small["sets"]
    print(f"growth {small['sets']} -> {large['sets']} sets (x{size:g}): advance time x"
          f"{large['advance_s'] / small['advance_s']:.2f}, advance memory x{large['advance_mib'] / small['advance_mib']:.2f}, "
          f"publish time x{large['publish_s'] / small['publish_s']:.2f}")
    missing = [r for r in rows if r["after_4h"] != r["total"]]
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
