#!/usr/bin/env python3
"""Crash safety: seeded random kill -9 trials during commands that move the world.

    python benchmarks/crash.py [--trials 200] [--seed 7] [--exhaustive]
    python benchmarks/crash.py --faults


Each trial copies a store with rollouts in flight, runs one command (rolling-upgrade start, update,
sim clock advance, deployment group create when it exists) and kills it: two trials in three at a
random store write step (VMSS_TEST_CRASH_AT), the others with SIGKILL after a random delay. Then it
checks the invariants, lets the next command recover and the world run 6 h, and checks again
(tests/reliability/harness.py). --exhaustive also kills every command at every write step.
Prints the figures; exits 1 if any trial broke an invariant.

--faults instead fails every write step of every command with ENOSPC (VMSS_TEST_FAULT_AT) and with
Ctrl-C (VMSS_TEST_CRASH_SIGNAL=SIGINT), on the busy store and on a store mid-rollback, and checks
the exit rule each time (README "The state store"): exit 0 and the command's result; or a failure
and an unchanged store; or a failure that says the change was applied, and the command's result.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reliability import harness  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--exhaustive", action="store_true")
    parser.add_argument("--faults", action="store_true")
    args = parser.parse_args()
    if args.faults:
        return faults()
    rng = random.Random(args.seed)
    commands = harness.crash_commands()
    results = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="vmss-crash-") as tmp:
        template, home = Path(tmp) / "busy", Path(tmp) / "home"
        harness.build_busy_store(template)
        profile = {name: harness.measure(template, home, argv) for name, argv in commands.items()}
        steps = {name: measured[0] for name, measured in profile.items()}
        for _ in range(args.trials):
            results.append(harness.random_trial(rng, template, home, commands, profile))
        if args.exhaustive:
            for name, argv in sorted(commands.items()):
                for step in range(1, steps[name] + 1):
                    results.append(harness.crash_trial(template, home, argv, step=step, name=name))
    elapsed = time.monotonic() - started
    killed = sum(r["killed"] for r in results)
    mid_commit = sum(r["journal"] for r in results)
    bad = [r for r in results if r["problems"]]
    print(f"commands: {', '.join(f'{n} ({steps[n]} write steps)' for n in sorted(commands))}")
    print(f"{len(results)} trials (seed {args.seed}{', plus every write step' if args.exhaustive else ''}) in "
          f"{elapsed:.1f} s: {killed} killed ({mid_commit} inside a multi-file commit, finished from the journal by "
          f"the next command), {len(results) - killed} finished before the kill")
    by_command = Counter(r["command"] for r in results)
    print("per command: " + ", ".join(f"{c} {n}" for c, n in sorted(by_command.items())))
    print(f"trials with a broken invariant, a lost or doubled rollout, or a traceback: {len(bad)}")
    for r in bad[:10]:
        print(f"  {r['command']} killed {r['point']}: {r['problems'][:3]}")
    return 1 if bad else 0


def faults() -> int:
    started = time.monotonic()
    results = []
    with tempfile.TemporaryDirectory(prefix="vmss-faults-") as tmp:
        busy, rollback, home = Path(tmp) / "busy", Path(tmp) / "rollback", Path(tmp) / "home"
        harness.build_busy_store(busy)
        harness.build_rollback_store(rollback)
        cases = [(busy, name, argv) for name, argv in sorted(harness.crash_commands().items())]
        cases.append((rollback, "sim clock advance 10m (mid-rollback)", ("sim", "clock", "advance", "10m", "-o", "none")))
        for template, name, argv in cases:
            for fault in ("ENOSPC", "SIGINT"):
                results += [dict(r, fault=fault) for r in harness.fault_sweep(template, home, argv, fault, name)]
    elapsed = time.monotonic() - started
    bad = [r for r in results if r["problems"]]
    for fault in ("ENOSPC", "SIGINT"):
        mine = [r for r in results if r["fault"] == fault]
        applied = sum(r["applied"] for r in mine)
        kept = sum(r["exit"] != 0 and not r["applied"] for r in mine)
        print(f"{fault}: {len(mine)} trials (every write step of {len(cases)} commands): {kept} failed and changed "
              f"nothing, {applied} failed saying the change was applied (and it was), "
              f"{len(mine) - kept - applied} succeeded")
    print(f"in {elapsed:.1f} s; trials breaking the exit rule or an invariant, or reporting a bug: {len(bad)}")
    for r in bad[:10]:
        print(f"  {r['command']} {r['point']}: {r['problems'][:3]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
