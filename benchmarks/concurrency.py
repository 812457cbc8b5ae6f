#!/usr/bin/env python3
"""Concurrency: W writer processes x U `vmss update --set tags.kN=vN` each on one scale set, while R
readers run `vmss show` / `vmss rolling-upgrade get-latest` until the writers are done.

    python benchmarks/concurrency.py [--writers 16] [--updates 50] [--readers 2]

Prints the wall time, updates per second, reads done, and lost or wrong updates (must be 0), and
exits 1 on any lost update or unreadable read. Each update and read is a whole `vmss` process (the
installed console script), as parallel CI jobs run it. tests/reliability/test_concurrency.py runs
the same code at 8 x 10.
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
    args = parser.parse_args()
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


if __name__ == "__main__":
    sys.exit(main())
