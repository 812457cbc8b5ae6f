"""Rollout operations as the REST API exposes them: start (osRollingUpgrade), cancel,
approveRollingUpgrade — and advancing the world clock. The read side (rollingUpgrades/latest,
osUpgradeHistory) is core.history, re-exported here."""

from __future__ import annotations

from vmss_cli.core import engine, scaleset, timeutil
from vmss_cli.core.errors import InvalidParameterError
from vmss_cli.core.history import history, latest_status  # noqa: F401  (re-exported; readers import core.history)
from vmss_cli.core.events import Sim
from vmss_cli.store.state import Transaction


def start(tx: Transaction, rg: str, name: str, wait: bool, started_by: str = "User",
          interrupted=lambda: False) -> dict:
    """POST osRollingUpgrade. With `wait`, the world runs until the rollout ends (az blocks).
    `interrupted()` is checked between events: the wait stops, and what ran so far is kept."""
    sim = Sim(tx)
    doc = scaleset.load(tx, rg, name)
    op = engine.start(sim, doc, started_by)
    scaleset.save(tx, doc)
    if wait:
        sim.run(until=None, stop=lambda: op["status"] in engine.TERMINAL or interrupted())
    sim.close()
    return op


def cancel(tx: Transaction, rg: str, name: str, wait: bool, interrupted=lambda: False) -> dict:
    sim = Sim(tx)
    doc = scaleset.load(tx, rg, name)
    op = engine.cancel(sim, doc)
    scaleset.save(tx, doc)
    if wait:
        sim.run(until=None, stop=lambda: op["status"] in engine.TERMINAL or interrupted())
    sim.close()
    return op


def advance(tx: Transaction, seconds: int, interrupted=lambda: False) -> int:
    """Run everything due in the next `seconds` of world time. When interrupted, the clock stays
    at the last event that ran; the rest is still queued."""
    sim = Sim(tx)
    if sim.now + seconds > timeutil.MAX_EPOCH:  # the range a start time may have: events must stay printable
        raise InvalidParameterError(
            f"Advancing the world clock by {seconds} seconds would move it past "
            f"{timeutil.format_time(timeutil.MAX_EPOCH)}, the end of the years 1970-2199 it covers.",
            target="duration")
    sim.run(until=sim.now + seconds, stop=interrupted)
    sim.close()
    return sim.now


def approve(tx: Transaction, rg: str, name: str, instance_ids: list[str] | None) -> list[str]:
    """POST approveRollingUpgrade (osRollingUpgradeDeferral): release deferred instances."""
    sim = Sim(tx)
    doc = scaleset.load(tx, rg, name)
    released = engine.approve(sim, doc, instance_ids)
    scaleset.save(tx, doc)
    sim.close()
    return released
