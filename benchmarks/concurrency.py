#!/usr/bin/env python3
"""Concurrency: W writer processes x U `vmss update --set tags.kN=vN` each on one scale set, while R
readers run `vmss show` / `vmss rolling-upgrade get-latest` until the writers are done.

    python benchmarks/concurrency.py [--writers 16] [--updates 50] [--readers 2]
    python benchmarks/concurrency.py --churn [--writers 6] [--updates 50] [--seed 14]

Prints the wall time, updates per second, reads done, and lost or wrong updates (must be 0), and
exits 1 on any lost update or unreadable read. Each update and read is a whole `vmss` process (the
installed console script), as parallel CI jobs run it. tests/reliability/test_concurrency.py runs
the same code at 8 x 10.

--churn instead runs W workers x U random commands that delete and re-create scale sets under the
same name, scale them in and out (`scale`, `update --set sku.capacity`), publish images, start
rollouts and move the clock (tests/reliability/harness.py churn; the suite runs 3 x 20), then lets
6 h of world time pass: every rollout must end and nothing may be left queued for a deleted set.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.reliability.harness import VMSS, check_invariants  # noqa: E402
from tests.reliability.test_concurrency import parallel_updates, prepare_update_target  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--updates", type=int, default=50)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--churn", action="store_true")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    if args.churn:
        return churn_run(args.writers if args.writers != 16 else 6, args.updates, args.seed)
    with tempfile.TemporaryDirectory(prefix="vmss-concurrency-") as tmp:
        home = Path(tmp) / "home"
        prepare_update_target(home)
        figures = parallel_updates(home, args.writers, args.updates, args.readers)
        problems = check_invariants(home)
    total = figures["updates"]
    print(f"command: {' '.join(VMSS)}")
    print(f"{args.writers} writers x {args.updates} updates = {total} updates in {figures['seconds']:.1f} s "
          f"({total / figures['seconds']:.1f} updates/s), {figures['reads']} reads by {args.readers} readers meanwhile")
    print(f"lost updates: {len(figures['lost'])}, wrong values: {len(figures['wrong'])}, "
          f"failed commands or unreadable reads: {len(figures['failures'])}, store invariants broken: {len(problems)}")
    for failure in figures["failures"][:5] + problems[:5]:
        print("  " + failure)
    return 1 if figures["lost"] or figures["wrong"] or figures["failures"] or problems else 0


def churn_run(workers: int, commands: int, seed: int) -> int:
    from tests.reliability.harness import churn

    with tempfile.TemporaryDirectory(prefix="vmss-churn-") as tmp:
        figures = churn(Path(tmp) / "home", workers, commands, seed)
    print(f"command: {' '.join(VMSS)}")
    print(f"{workers} workers x {commands} commands = {figures['commands']} commands in {figures['seconds']:.1f} s "
          f"(seed {seed})")
    print("outcomes: " + ", ".join(f"{k} {n}" for k, n in sorted(figures["outcomes"].items())))
    print(f"commands failing other than by an expected refusal, or reporting a bug: {len(figures['failures'])}; "
          f"broken invariants, unfinished rollouts or orphaned events: {len(figures['problems'])}")
    for line in figures["failures"][:5] + figures["problems"][:5]:
        print("  " + line)
    return 1 if figures["failures"] or figures["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
