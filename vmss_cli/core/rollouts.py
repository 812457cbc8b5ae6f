"""Rollout operations as the REST API exposes them: start (osRollingUpgrade), cancel,
rollingUpgrades/latest, osUpgradeHistory — and advancing the world clock."""

from __future__ import annotations

from vmss_cli.core import engine, scaleset, timeutil
from vmss_cli.core.errors import NotFoundError
from vmss_cli.core.events import Sim
from vmss_cli.store.state import Transaction

HISTORY_LIMIT = 5
HISTORY_WINDOW_SECONDS = 60 * 86400  # "the last five OS upgrade attempts within the past two months"
RESOURCE_TYPE = "Microsoft.Compute/virtualMachineScaleSets/rollingUpgrades"


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
    sim.run(until=sim.now + seconds, stop=interrupted)
    sim.close()
    return sim.now


def latest_status(doc: dict) -> dict:
    """RollingUpgradeStatusInfo (ARM form) of the last rollout started on the set."""
    op = engine.latest_operation(doc)
    if op is None:
        raise NotFoundError("The entity was not found in this Azure location.", code="NotFound")
    props = {
        "policy": op["policy"],
        "runningStatus": {"code": op["status"], "startTime": timeutil.format_time(op["startTime"]),
                          "lastAction": op["lastAction"],
                          "lastActionTime": timeutil.format_time(op["lastActionTime"])},
        "progress": engine.progress(op),
    }
    if op.get("error"):
        props["error"] = op["error"]
    return {"location": doc["scaleSet"]["location"], "properties": props, "tags": {}, "type": RESOURCE_TYPE}


def history_entry(doc: dict, op: dict) -> dict:
    """UpgradeOperationHistoricalStatusInfo (ARM form) of one rollout."""
    target = dict(op["target"])
    props = {
        "runningStatus": {"code": op["status"], "startTime": timeutil.format_time(op["startTime"]),
                          "endTime": timeutil.format_time(op["endTime"]) if op["endTime"] is not None else None},
        "progress": engine.progress(op),
        "startedBy": op["startedBy"],
        "targetImageReference": target,
        "rollbackInfo": {"successfullyRolledbackInstanceCount": op["rolledBack"],
                         "failedRolledbackInstanceCount": op["rollbackFailed"]},
    }
    if op.get("error"):
        props["error"] = op["error"]
    return {"location": doc["scaleSet"]["location"], "properties": props, "type": RESOURCE_TYPE}


def history(doc: dict, now: int, limit: int | None = HISTORY_LIMIT) -> list[dict]:
    """The last five OS upgrade attempts within two months of world time, newest first.
    Every operation stays in the store; only this view is limited."""
    ops = [op for op in doc["rollingUpgrades"]
           if op.get("kind") == "OSUpgrade" and now - op["startTime"] <= HISTORY_WINDOW_SECONDS]
    ops.reverse()
    return [history_entry(doc, op) for op in (ops[:limit] if limit else ops)]


def approve(tx: Transaction, rg: str, name: str, instance_ids: list[str] | None) -> list[str]:
    """POST approveRollingUpgrade (osRollingUpgradeDeferral): release deferred instances."""
    sim = Sim(tx)
    doc = scaleset.load(tx, rg, name)
    released = engine.approve(sim, doc, instance_ids)
    scaleset.save(tx, doc)
    sim.close()
    return released
