"""A scale set's full rollout event log, oldest first (what `vmss sim events` prints and draws).

Every reader goes through `read`, so where the log is kept (today the scale set file's `events`
list, written by core.engine) can change in this one place.
"""

from __future__ import annotations

from vmss_cli.store.state import Transaction


def read(tx: Transaction, rg: str, name: str) -> list[dict]:
    from vmss_cli.core import scaleset

    return scaleset.load(tx, rg, name).get("events", [])
