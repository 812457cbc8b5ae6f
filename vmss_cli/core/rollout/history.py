"""Rollout status as the REST API reports it: rollingUpgrades/latest (RollingUpgradeStatusInfo)
and osUpgradeHistory (UpgradeOperationHistoricalStatusInfo), in ARM form.

Kept apart from the engine so reading commands stay cheap to start.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.document_types import RollingUpgradeStatus, UpgradeHistoryEntry
    from vmss_cli.core.arm.documents import Document

from vmss_cli.core.world import timeutil
from vmss_cli.errors import NotFoundError

HISTORY_LIMIT = 5
HISTORY_WINDOW_SECONDS = 60 * 86400  # "the last five OS upgrade attempts within the past two months"
RESOURCE_TYPE = "Microsoft.Compute/virtualMachineScaleSets/rollingUpgrades"


def progress(op: Document) -> Document:
    # A failed instance being rolled back is still in flight, but it is counted once: as failed.
    # Every engine event carries a progress: set operations in C, not a Python loop over the batch.
    failed, in_progress = op["failed"], op["inProgress"]
    if failed:
        failed_set = set(failed)
        failed_count = len(failed_set)
        in_progress_count = len(in_progress) - len(failed_set.intersection(in_progress))
    else:
        failed_count, in_progress_count = 0, len(in_progress)
    return {"successfulInstanceCount": len(op["succeeded"]), "failedInstanceCount": failed_count,
            "inProgressInstanceCount": in_progress_count, "pendingInstanceCount": len(op["pending"])}


def latest_status(doc: Document) -> RollingUpgradeStatus:
    """RollingUpgradeStatusInfo (ARM form) of the last rollout started on the set."""
    op = (doc["rollingUpgrades"][-1] if doc["rollingUpgrades"] else None)
    if op is None:
        raise NotFoundError("The entity was not found in this Azure location.", code="NotFound")
    props = {
        "policy": op["policy"],
        "runningStatus": {"code": op["status"], "startTime": timeutil.format_time(op["startTime"]),
                          "lastAction": op["lastAction"],
                          "lastActionTime": timeutil.format_time(op["lastActionTime"])},
        "progress": progress(op),
    }
    if op.get("error"):
        props["error"] = op["error"]
    return {"location": doc["scaleSet"]["location"], "properties": props, "tags": {}, "type": RESOURCE_TYPE}


def history_entry(doc: Document, op: Document) -> UpgradeHistoryEntry:
    """UpgradeOperationHistoricalStatusInfo (ARM form) of one rollout."""
    target = dict(op["target"])
    props = {
        "runningStatus": {"code": op["status"], "startTime": timeutil.format_time(op["startTime"]),
                          "endTime": timeutil.format_time(op["endTime"]) if op["endTime"] is not None else None},
        "progress": progress(op),
        "startedBy": op["startedBy"],
        "targetImageReference": target,
        "rollbackInfo": {"successfullyRolledbackInstanceCount": op["rolledBack"],
                         "failedRolledbackInstanceCount": op["rollbackFailed"]},
    }
    if op.get("error"):
        props["error"] = op["error"]
    return {"location": doc["scaleSet"]["location"], "properties": props, "type": RESOURCE_TYPE}


def trim(doc: Document) -> None:
    """Keep what Azure shows: the last five OS upgrade attempts (history() never lists an older one,
    whatever the date) and the latest rollout (get-latest). The set's file stays the size of the set,
    not of its past; its event log keeps every rollout's story. `rolloutCount` keeps counting."""
    ops = doc["rollingUpgrades"]
    if len(ops) <= HISTORY_LIMIT:
        return
    keep = {id(op) for op in [op for op in ops if op.get("kind") == "OSUpgrade"][-HISTORY_LIMIT:]} | {id(ops[-1])}
    if len(keep) < len(ops):
        doc.setdefault("rolloutCount", len(ops))
        doc["rollingUpgrades"] = [op for op in ops if id(op) in keep]


def history(doc: Document, now: int, limit: int | None = HISTORY_LIMIT) -> list[UpgradeHistoryEntry]:
    """The last five OS upgrade attempts within two months of world time, newest first.
    The store keeps only these and the latest rollout (trim)."""
    ops = [op for op in doc["rollingUpgrades"]
           if op.get("kind") == "OSUpgrade" and now - op["startTime"] <= HISTORY_WINDOW_SECONDS]
    ops.reverse()
    return [history_entry(doc, op) for op in (ops[:limit] if limit else ops)]
