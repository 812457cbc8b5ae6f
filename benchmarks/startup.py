#!/usr/bin/env python3
"""Start-up time of whole `vmss` commands, measured against the bare interpreter in the same run.

    python benchmarks/startup.py [-n 15] [--check]

Runs each command as a subprocess against a prepared temporary store (VMSS_HOME), N times,
interleaved (one run of every command per round, so drift in machine load hits all of them alike),
and prints the median wall time and its ratios to `python -c pass`, to the stdlib floor of each read
(benchmarks/floor.py: read the same state file with json, print the same bytes) and, when az 2.91 is
installed at /work/az291 (or --az PATH), to the same az command (az exits at its login check: its
start-up, the floor of any az call). Then runs `python -X importtime`
on `vmss show` and lists the slowest imports by cumulative time, and reports which heavy
libraries each read command imports (none should: DESIGN.md "Start-up budget").

Targets (issue 16): hot reads <= 2.0x their stdlib floor and >= 12x faster than az 2.91.
`--check` exits 1 when a target is missed. Timing is for people, not for the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEAVY = ("rich", "pydantic", "yaml", "jmespath", "platformdirs", "filelock", "typer.rich_utils")
TARGETS = {"vmss show": 2.0, "vmss list-instances": 2.0, "vmss get-os-upgrade-history": 2.0,
           "vmss rolling-upgrade get-latest": 2.0, "vmss image list": 2.0}  # x the stdlib floor
AZ = "/work/az291/bin/az"
FLOOR = Path(__file__).resolve().parent / "floor.py"


def vmss_command(python: str) -> list[str]:
    """The console script installed beside `python` (what users run), else `python -m vmss_cli`."""
    script = Path(python).parent / "vmss"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which("vmss")
    if found and Path(found).parent == Path(python).parent:
        return [found]
    return [python, "-m", "vmss_cli"]


def run(cmd: list[str], env: dict, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise SystemExit(f"setup command failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr}")
    return result


def prepare_store(vmss: list[str], env: dict) -> None:
    run([*vmss, "group", "create", "-n", "rg1", "-l", "eastus"], env)
    run([*vmss, "create", "-g", "rg1", "-n", "web", "--instance-count", "10", "--orchestration-mode", "Uniform",
         "--upgrade-policy-mode", "Rolling", "--image", "Canonical:UbuntuServer:18.04-LTS:latest"], env)


def imported_modules(cmd: list[str], env: dict) -> list[tuple[int, str]]:
    """(cumulative microseconds, module name indented by nesting) for every import of `cmd`."""
    result = subprocess.run(cmd, env=dict(env, PYTHONPROFILEIMPORTTIME="1"), stdin=subprocess.DEVNULL,
                            capture_output=True, text=True)
    rows = []
    for line in result.stderr.splitlines():
        fields = line[len("import time:"):].split("|") if line.startswith("import time:") else []
        if len(fields) == 3 and fields[1].strip().isdigit():  # skips the header line
            rows.append((int(fields[1]), fields[2][1:].rstrip()))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=15, help="runs per command (default 15)")
    parser.add_argument("--python", default=sys.executable, help="interpreter of the environment to measure")
    parser.add_argument("--top", type=int, default=15, help="imports to list from -X importtime (default 15)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a start-up target is missed")
    parser.add_argument("--baseline", help="another vmss (e.g. main's) whose --help and reads to compare with")
    parser.add_argument("--az", default=AZ, help=f"az 2.91 to compare with (default {AZ}, skipped when absent)")
    args = parser.parse_args()

    python = args.python
    vmss = vmss_command(python)
    home = tempfile.mkdtemp(prefix="vmss-bench-")
    env = dict(os.environ, VMSS_HOME=os.path.join(home, "store"), VMSS_START_TIME="2026-01-01T00:00:00Z",
               VMSS_SEED="1", NO_COLOR="1", COLUMNS="120")
    try:
        prepare_store(vmss, env)
        run([*vmss, "rolling-upgrade", "start", "-g", "rg1", "-n", "web", "--only-show-errors"], env)
        ss = ["-g", "rg1", "-n", "web"]
        reads = {
            "vmss show": ["show", *ss],
            "vmss list-instances": ["list-instances", *ss],
            "vmss get-os-upgrade-history": ["get-os-upgrade-history", *ss],
            "vmss rolling-upgrade get-latest": ["rolling-upgrade", "get-latest", *ss],
            "vmss image list": ["image", "list", "--only-show-errors"],
        }
        candidates = {"python -c pass": [python, "-c", "pass"], "vmss --help": [*vmss, "--help"]}
        state_file = Path(env["VMSS_HOME"], "resourceGroups", "rg1", "virtualMachineScaleSets", "web.json")
        floors, az_of = {}, {}
        for label, argv in reads.items():
            candidates[label] = [*vmss, *argv]
            expected = Path(home, label.replace(" ", "_") + ".json")
            expected.write_text(run([*vmss, *argv], env).stdout)
            floors[label] = f"floor of {label[5:]}"
            candidates[floors[label]] = [python, str(FLOOR), str(state_file), str(expected)]
            if Path(args.az).is_file():
                az_of[label] = f"az {label[5:]}"
                az_argv = ["vm", *argv] if argv[0] == "image" else ["vmss", *argv]
                candidates[az_of[label]] = [args.az, *az_argv]
        if args.baseline:
            for label in ("vmss --help", *reads):
                candidates[f"baseline {label}"] = [args.baseline, *candidates[label][len(vmss):]]
        update = ["update", *ss, "--set", "tags.team=bench", "-o", "none"]  # a write: lock, journal, fsync
        candidates["vmss update --set"] = [*vmss, *update]
        if Path(args.az).is_file():
            az_of["vmss --help"] = "az vmss --help"
            candidates["az vmss --help"] = [args.az, "vmss", "--help"]
            az_of["vmss update --set"] = "az vmss update --set"
            candidates["az vmss update --set"] = [args.az, "vmss", *update]
        commands, notes = {}, []
        for label, cmd in candidates.items():
            # one untimed run each: proves the command exists here and warms the bytecode cache
            result = run(cmd, env, check=False)
            if result.returncode == 0 or label.startswith("az "):  # az stops at its login check
                commands[label] = cmd
            else:
                first = (result.stderr.strip().splitlines() or ["?"])[0]
                notes.append(f"skipped {label!r}: exit {result.returncode} ({first}) - not built in this checkout yet?")

        times: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(args.runs):
            for label, cmd in commands.items():
                start = time.perf_counter()
                subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                times[label].append(time.perf_counter() - start)

        base = statistics.median(times["python -c pass"])
        print(f"vmss start-up: {args.runs} interleaved runs per command, medians "
              f"(python {sys.version.split()[0]}, {' '.join(vmss)})\n")
        print(f"{'command':<34} {'median':>9} {'x pass':>7} {'x floor':>8} {'az / it':>8}  target (x floor)")
        missed = []
        for label, samples in times.items():
            if label.startswith(("floor of", "az ", "baseline ")):
                continue
            median = statistics.median(samples)
            floor = statistics.median(times[floors[label]]) if label in floors and floors[label] in times else None
            az = statistics.median(times[az_of[label]]) if label in az_of and az_of[label] in times else None
            ratio = median / floor if floor else None
            target = TARGETS.get(label)
            verdict = "" if target is None or ratio is None else \
                f"<= {target:g}x " + ("ok" if ratio <= target else "MISSED")
            if target is not None and ratio is not None and ratio > target:
                missed.append(label)
            print(f"{label:<34} {median * 1000:>7.1f}ms {median / base:>6.2f}x "
                  f"{'' if ratio is None else f'{ratio:.2f}x':>8} {'' if az is None else f'{az / median:.1f}x':>8}  "
                  f"{verdict}")
        for label in times:
            if label.startswith("baseline "):
                ratio = statistics.median(times[label[len("baseline "):]]) / statistics.median(times[label])
                print(f"{label[len('baseline '):]:<34} this / baseline: {ratio:.2f}x")
        for note in notes:
            print(f"note: {note}")

        print("\nslowest imports of `vmss show` (python -X importtime, cumulative):")
        for cumulative, name in sorted(imported_modules(candidates["vmss show"], env), reverse=True)[: args.top]:
            print(f"  {cumulative / 1000:>7.1f}ms  {name}")

        print("\nheavy libraries imported by read commands:")
        for label in reads:
            if label in commands:
                modules = {name.strip() for _, name in imported_modules(commands[label], env)}
                heavy = [h for h in HEAVY if h in modules]
                print(f"  {label:<30} {', '.join(heavy) if heavy else 'none'}")
        if missed:
            print(f"\nmissed targets: {', '.join(missed)}")
        return 1 if (args.check and missed) else 0
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
