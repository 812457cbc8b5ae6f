"""`vmss rolling-upgrade plan`: what a rollout would do, without changing anything.

The preview runs the real engine (same planner, same health rules, same stop rules) on the
stored state inside a transaction that is never committed, so the preview cannot disagree with
the rollout it describes. Failures are assumed either as a share of instances that never turn
healthy on the target version (the release's fault profile) or as N named-by-order instances.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Callable

    from vmss_cli.core.arm.documents import Document

from vmss_cli.core.resources import catalog, scaleset
from vmss_cli.core.rollout import engine, history, planner, policy
from vmss_cli.core.world import timeutil
from vmss_cli.errors import CliError, InvalidParameterError
from vmss_cli.core.rollout.handlers import open_world
from vmss_cli.store import paths
from vmss_cli.store.state import Transaction
from vmss_cli.core.resources import model


def plan(root: Path, rg: str, name: str, target_version: str | None = None, assume_unhealthy: int | None = None,
         fail_percent: int | None = None, started_by: str | None = None,
         warn: Callable[[str], None] = lambda message: None, events: list[Document] | None = None) -> Document:
    """`warn` is told when Azure would refuse the set's model (one imported with --skip-validation);
    `events`, when given, receives the rollout's engine events (for `--svg`)."""
    tx = Transaction(root, writable=True)  # never committed: nothing reaches the store
    doc = scaleset.load(tx, rg, name)
    arm = doc["scaleSet"]
    if policy.auto_os_policy(arm).get("enableAutomaticOSUpgrade"):
        from vmss_cli.core.resources import validation
        from vmss_cli.errors import VmssError

        try:
            validation.check_auto_os_upgrade_requirements(arm)
        except VmssError as exc:
            warn(f"Azure would refuse this scale set's model: ({exc.code}) {exc.message}")
    ref = model.image_reference(arm)
    if fail_percent is not None and not 0 <= fail_percent <= 100:
        raise InvalidParameterError("--fail-percent must be between 0 and 100.", target="--fail-percent")
    if assume_unhealthy is not None and assume_unhealthy < 0:
        raise InvalidParameterError("--assume-unhealthy must be 0 or more.", target="--assume-unhealthy")
    by = started_by or ("Platform" if policy.auto_os_policy(arm).get("enableAutomaticOSUpgrade") else "User")
    if by not in ("User", "Platform"):
        raise CliError(f"'{started_by}' is not a valid value for '--started-by'. Allowed values: Platform, User.")
    seen: list[Document] = []
    sim = open_world(tx, [seen.append])
    entry = catalog.find_sku(ref.get("publisher", ""), ref.get("offer", ""), ref.get("sku", ""))
    if entry is None:
        raise CliError("The plan preview needs a platform image; this scale set's image is not in the catalog.")
    current = catalog.resolve_version(tx, arm["location"], entry, "latest")
    record = None
    if target_version is not None:
        if catalog.version_key(target_version) <= catalog.version_key(current["version"]):
            raise InvalidParameterError(f"--target-version {target_version} is not newer than the latest version "
                                        f"{current['version']} in {arm['location']}.", target="--target-version")
        record = {"publisher": entry["publisher"], "offer": entry["offer"], "sku": entry["sku"],
                  "location": arm["location"], "version": target_version, "bootSeconds": catalog.DEFAULT_BOOT_SECONDS,
                  "failPercent": 0, "publishedAt": sim.now}
        images = tx.load(paths.images_file(tx.root), "images") or {"versions": []}
        images["versions"].append(record)
        tx.save(paths.images_file(tx.root), images)
    else:
        record = current
    if fail_percent is not None:
        record["failPercent"] = fail_percent
    if assume_unhealthy:
        pending = [i for i in doc["instances"] if i["osDisk"]["imageReference"].get("exactVersion")
                   != record["version"]]
        order = planner.order([planner.Candidate(i["instanceId"], i.get("zone"), i["platformUpdateDomain"], False)
                               for i in pending], False)
        record["failInstances"] = [c.instance_id for c in order[:assume_unhealthy]]
    op = engine.start(sim, doc, by)
    sim.run(until=None, stop=lambda: op["status"] in engine.TERMINAL)
    ours = [e for e in seen if e["operationId"] == op["operationId"]]
    if events is not None:
        events.extend(ours)
    return _describe(doc, op, ours, record)


def _describe(doc: Document, op: Document, events: list[Document], record: Document) -> Document:
    by_id = {i["instanceId"]: i for i in doc["instances"]}
    starts = [e for e in events if e["type"] == "BatchStarted"]
    ends = [e for e in events if e["type"] == "BatchCompleted"]
    batches = []
    for n, ids in enumerate(op["batches"]):
        failed = [i for i in ids if i in op["failed"]]
        batches.append({
            "batch": n + 1,
            "instanceIds": ids,
            "zones": sorted({by_id[i].get("zone") or "" for i in ids if i in by_id} - {""}),
            "updateDomains": sorted({by_id[i]["platformUpdateDomain"] for i in ids if i in by_id}),
            "startTime": starts[n]["time"] if n < len(starts) else None,
            "endTime": ends[n]["time"] if n < len(ends) else None,
            "failedInstanceIds": failed,
        })
    return {
        "startedBy": op["startedBy"],
        "targetImageReference": op["target"],
        "policy": op["policy"],
        "automaticRollback": op["rollback"],
        "assumedFailures": {"failPercent": record.get("failPercent", 0),
                            "instanceIds": record.get("failInstances", [])},
        "batches": batches,
        "result": {"code": op["status"], "startTime": timeutil.format_time(op["startTime"]),
                   "endTime": timeutil.format_time(op["endTime"]) if op["endTime"] is not None else None,
                   "error": (op.get("error") or {}).get("code"),
                   "progress": history.progress(op),
                   "rolledBack": op["rolledBack"]},
        "timeline": [{"time": e["time"], "type": e["type"], "message": e["message"]} for e in events],
    }
