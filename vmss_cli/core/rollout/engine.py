"""The rollout engine: batched OS image upgrades with health gating, rollback and stop rules.

One engine for every rollout (manual `rolling-upgrade start`, Platform-started automatic OS
upgrades). It is a set of event handlers on the world's queue, so world time, not wall time,
drives it. The seed's algorithm, step by step:
  1. before every batch: more than maxUnhealthyInstancePercent of all instances unhealthy ->
     stop (MaxUnhealthyInstancePercentExceeded{Before,In}RollingUpgrade);
  2. pick a batch (core.planner), replace each instance's OS disk with one built from the
     target version (extensions and custom data run again, data disks kept), old disk kept;
  3. wait up to five minutes for each instance to turn healthy; one that does not is restored
     to its previous OS disk when rollback is on;
  4. after the batch: more than maxUnhealthyUpgradedInstancePercent of the upgraded instances
     unhealthy -> stop (MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade);
  5. pauseTimeBetweenBatches, then the next batch, until none is left -> Completed.
The state machine stays in one module (a little over the usual ~500 lines) so every transition
of an instance's `upgrade.phase` (Upgrading -> WaitingForHealth -> RollingBack) reads in one place;
the read side is core.history, the batch choice core.planner, the policy core.policy.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Callable

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.core.world.events import Handler

    InstanceBody = Callable[[Sim, Document, Document, Document], None]

from vmss_cli.core.resources import instances, scaleset
from vmss_cli.core.rollout import eventlog, health, history, planner, policy, service_fabric, stops
from vmss_cli.core.world import rng, timeutil
from vmss_cli.errors import ConflictError, NotFoundError
from vmss_cli.core.world.events import Sim
from vmss_cli.core.rollout.history import progress
from vmss_cli.store import paths
from vmss_cli.store.state import Transaction
from vmss_cli.core.arm import ids
from vmss_cli.core.resources import model

# Simulated durations (seconds); README "Timing model" documents them.
REIMAGE_SECONDS = 90        # stop the VM, swap the OS disk, boot the new one
                            # then each extension and custom data run: core.extensions.EXTENSION_SECONDS
HEALTH_WAIT_SECONDS = 300   # the seed: "waits up to 5 minutes for the instance to become healthy"
ROLLBACK_SECONDS = 90       # restore the previous OS disk and boot it
RUNNING = "RollingForward"
ROLLING_BACK = "RollingBack"  # the operation puts failed instances back after a policy breach
ACTIVE = (RUNNING, ROLLING_BACK)
TERMINAL = ("Completed", "Faulted", "Cancelled")


# ---------------------------------------------------------------------------------------- start

def latest_operation(doc: Document) -> Document | None:
    return doc["rollingUpgrades"][-1] if doc["rollingUpgrades"] else None


def running_operation(doc: Document) -> Document | None:
    op = latest_operation(doc)
    return op if op and op["status"] in ACTIVE else None


def target_version(tx: Transaction, arm: Document) -> tuple[Document, Document]:
    """(image reference with the concrete target version, catalog version record)."""
    from vmss_cli.core.resources import catalog, gallery  # (lazy: `vmss update` loads the engine, not these)

    ref = model.image_reference(arm)
    if ref.get("id"):
        return gallery.target_version(tx, arm)  # {"id": <version id>, "version", "exactVersion"}
    entry = catalog.find_sku(ref.get("publisher", ""), ref.get("offer", ""), ref.get("sku", ""))
    if entry is None:
        raise NotFoundError("Artifact: VMImage was not found.", code="NotFound")
    info = catalog.resolve_version(tx, arm["location"], entry, "latest")
    return ({"publisher": entry["publisher"], "offer": entry["offer"], "sku": entry["sku"],
             "version": info["version"]}, info)


def start(sim: Sim, doc: Document, started_by: str) -> Document:
    """Begin an OS image rollout on the set; returns the new operation (maybe already Completed)."""
    from vmss_cli.core.resources import catalog, gallery

    arm = doc["scaleSet"]
    ref = model.image_reference(arm)
    if not gallery.tracks_latest(ref):
        raise ConflictError(
            "The OS Rolling Upgrade API cannot be used on a Virtual Machine Scale Set unless the Virtual Machine "
            "Scale Set has some unprotected instances which have imageReference.version set to latest.")
    if running_operation(doc):
        raise ConflictError(
            f"Rolling Upgrade operation is already in progress on Virtual Machine Scale Set '{arm['name']}'. "
            "Cancel it with 'rolling-upgrade cancel' or wait for it to finish before starting another.")
    now = sim.now
    target, info = target_version(sim.tx, arm)
    pending = [i["instanceId"] for i in doc["instances"]
               if i["osDisk"]["imageReference"].get("exactVersion") != target["version"]]
    op = _new_operation(sim, doc, "OSUpgrade", started_by, pending, target,
                        {k: info[k] for k in ("failInstances",) if k in info}
                        | {"bootSeconds": info.get("bootSeconds", catalog.DEFAULT_BOOT_SECONDS),
                           "failPercent": info.get("failPercent", 0)})
    # osRollingUpgradeDeferral holds automatic upgrades until approved; a manual start is the approval.
    op["deferral"] = started_by == "Platform" and bool(policy.auto_os_policy(arm).get("osRollingUpgradeDeferral"))
    _emit(sim, doc, op, now, "RolloutStarted", f"{started_by} started an OS image upgrade to "
          f"{target.get('id') or ':'.join(target[k] for k in ('publisher', 'offer', 'sku', 'version'))}; "
          f"{len(pending)} of {len(doc['instances'])} instances to upgrade")
    sim.schedule(now, "rollout.batch", *_names(sim, doc), op=op["operationId"])
    return op


def start_model_upgrade(sim: Sim, doc: Document) -> Document:
    """A Rolling-mode model change: instances not on the latest model are updated in batches,
    health-gated like an OS upgrade, without replacing OS disks and without rollback."""
    arm = doc["scaleSet"]
    now = sim.now
    pending = [i["instanceId"] for i in doc["instances"] if i["modelVersion"] != doc["modelVersion"]]
    ref = model.image_reference(arm)
    op = _new_operation(sim, doc, "ModelUpgrade", "User", pending,
                        {"version": "latest", **{k: ref[k] for k in ("publisher", "offer", "sku", "version", "id")
                                                 if k in ref}},
                        {"bootSeconds": _default_boot_seconds(), "failPercent": 0})
    op["rollback"] = False
    _emit(sim, doc, op, now, "RolloutStarted", f"model upgrade to model version {doc['modelVersion']}; "
          f"{len(pending)} of {len(doc['instances'])} instances to update")
    sim.schedule(now, "rollout.batch", *_names(sim, doc), op=op["operationId"])
    return op


def _default_boot_seconds() -> int:
    from vmss_cli.core.resources import catalog  # (lazy, as in target_version)

    return catalog.DEFAULT_BOOT_SECONDS


def _new_operation(sim: Sim, doc: Document, kind: str, started_by: str, pending: list[str], target: Document,
                   target_info: Document) -> Document:
    arm = doc["scaleSet"]
    now = sim.now
    # rollouts ever started on the set (its history is trimmed, history.trim): seeds the id as before
    started = doc.get("rolloutCount", len(doc["rollingUpgrades"]))
    doc["rolloutCount"] = started + 1
    op = {
        "operationId": rng.guid(sim.seed, arm["id"], "op", started, now),
        "kind": kind,
        "startedBy": started_by,
        "policy": policy.effective(arm, started_by),
        "rollback": policy.rollback_enabled(arm, started_by),
        "target": target,
        "targetInfo": target_info,
        "status": RUNNING,
        "startTime": now, "endTime": None, "lastAction": "Start", "lastActionTime": now,
        "total": len(doc["instances"]),
        "pending": pending, "inProgress": [], "succeeded": [], "failed": [],
        "rolledBack": 0, "rollbackFailed": 0,
        "batches": [], "batch": None, "cancelRequested": False, "error": None,
    }
    doc["rollingUpgrades"].append(op)
    return op


def cancel(sim: Sim, doc: Document) -> Document:
    op = running_operation(doc)
    if op is None:
        raise ConflictError("There is no ongoing Rolling Upgrade to cancel.")
    now = sim.now
    op["cancelRequested"] = True
    op["lastAction"] = "Cancel"
    op["lastActionTime"] = now
    _emit(sim, doc, op, now, "CancelRequested", "cancel requested; the current batch finishes first")
    if not op["inProgress"]:
        # Between batches (pausing): nothing to wait for.
        sim.schedule(now, "rollout.batch", *_names(sim, doc), op=op["operationId"])
    return op


def instances_removed(sim: Sim, doc: Document, removed: list[str]) -> None:
    """Scale-in took `removed` away mid-rollout: they leave the running operation's lists, and a
    batch left with nothing in flight ends now (else it would wait for events that never come)."""
    op = running_operation(doc)
    gone = set(removed)
    if op is None or not gone:
        return
    op["pending"] = [iid for iid in op["pending"] if iid not in gone]
    in_flight = [iid for iid in op["inProgress"] if iid not in gone]
    if len(in_flight) == len(op["inProgress"]):
        return
    dropped = [iid for iid in op["inProgress"] if iid in gone]
    op["inProgress"] = in_flight
    _emit(sim, doc, op, sim.now, "InstancesRemoved", f"instances {', '.join(dropped)} removed by scale-in while being "
          "upgraded", instances=dropped)
    if not in_flight:
        _maybe_end_batch(sim, doc, op)


# --------------------------------------------------------------------------------------- events

def _context(sim: Sim, event: Document) -> tuple[Document, Document] | None:
    doc = _scale_set(sim, event["rg"], event["name"])
    if doc is None:
        return None  # the set was deleted while its rollout was queued
    op = latest_operation(doc)
    if op is None or op["operationId"] != event["data"].get("op") or op["status"] not in ACTIVE:
        return None  # stale event (operation ended, or already handled before a crash)
    return doc, op


def _scale_set(sim: Sim, rg: str, name: str) -> Document | None:
    """The set an event is for (None once deleted). Its names are checked and its files found on its
    first event of the run (scaleset.load, Sim.set_files); a later one asks the transaction for the
    document it holds: the engine reads its set on every event it runs."""
    files = sim.set_files.get((rg, name))
    if files is None:
        try:
            doc = scaleset.load(sim.tx, rg, name)
        except NotFoundError:
            return None
        _set(sim, doc)
        return doc
    held: Document | None = sim.tx.load(files[0], "scaleSet")
    return held


class _Set:
    """A set as the engine works on it, worked out once a run for each document (Sim.sets): the resource
    group and name its events carry, its file and its event log, its instances as the planner sees them."""
    __slots__ = ("doc", "rg", "name", "file", "log", "candidates")

    def __init__(self, doc: Document, rg: str, name: str, file: Path, log: Path) -> None:
        self.doc, self.rg, self.name, self.file, self.log = doc, rg, name, file, log
        # {instanceId: (the instance, its planner.Candidate)}: see _candidate
        self.candidates: dict[str, tuple[Document, planner.Candidate]] = {}


def _set(sim: Sim, doc: Document) -> _Set:
    """The _Set of a document the engine has (loaded, so its names were checked), by the document's id:
    the entry holds the document, so no other one takes its id while the run lasts."""
    ref: _Set | None = sim.sets.get(id(doc))
    if ref is None:
        rg, name = ids.resource_group(doc["scaleSet"]["id"]), doc["scaleSet"]["name"]
        files = sim.set_files.get((rg, name))
        if files is None:
            root = sim.tx.root
            files = sim.set_files[(rg, name)] = (paths.scale_set_file(root, rg, name),
                                                 paths.scale_set_events_file(root, rg, name))
        ref = sim.sets[id(doc)] = _Set(doc, rg, name, *files)
    return ref


def _names(sim: Sim, doc: Document) -> tuple[str, str]:
    """(resource group, name) of the set, as its events name it."""
    ref = _set(sim, doc)
    return ref.rg, ref.name


def _save(sim: Sim, doc: Document) -> None:
    """The set an event changed: saved in the transaction when the world closes (Sim.changed), or at
    once by scaleset.save when its history has to be trimmed. (An old store's `events` left the document
    when a writer loaded it: scaleset.load.)"""
    if len(doc["rollingUpgrades"]) > history.HISTORY_LIMIT:
        return scaleset.save(sim.tx, doc)
    sim.changed[id(doc)] = (_set(sim, doc).file, "scaleSet", doc)


def _instance_ids(data: Document) -> list[str]:
    """The instances an instance event is for (Sim.schedule_instance), in order: `instances`, or the one
    `instance` of a queue saved by vmss before instance events were joined."""
    ids = data.get("instances")
    if not isinstance(ids, list):
        ids = [data.get("instance")]
    return [iid for iid in ids if isinstance(iid, str)]


def on_batch(sim: Sim, event: Document) -> None:
    found = _context(sim, event)
    if found is None:
        return
    doc, op = found
    now = sim.now
    arm = doc["scaleSet"]
    if op["cancelRequested"]:
        return _finish(sim, doc, op, now, "Cancelled")
    ref = _set(sim, doc)
    members = doc["instances"]
    unhealthy = health.unhealthy(arm, members, now)
    total = len(members)
    limit = op["policy"]["maxUnhealthyInstancePercent"]
    if total and len(unhealthy) * 100 > limit * total:
        return _fault_unhealthy(sim, doc, op, now, unhealthy, len(unhealthy) * 100 // total)
    present = {i["instanceId"]: i for i in members}
    op["pending"] = [iid for iid in op["pending"] if iid in present]  # scaled in meanwhile
    if not op["pending"]:
        return _finish(sim, doc, op, now, "Completed")
    if not op["batches"] and op["kind"] == "OSUpgrade":
        mismatch = service_fabric.durability_mismatch(doc)
        if mismatch:
            op["error"] = {"code": "ServiceFabricDurabilityMismatch", "message": mismatch}
            return _finish(sim, doc, op, now, "Faulted")
    unhealthy_ids = {i["instanceId"] for i in unhealthy}
    candidates = [_candidate(ref, present[iid], iid in unhealthy_ids) for iid in op["pending"]]
    # Service Fabric node types are upgraded update domain by update domain.
    by_domain = service_fabric.extension(arm) is not None
    batch = [c.instance_id for c in planner.next_batch(candidates, total, op["policy"], len(unhealthy), by_domain)]
    if not batch:
        # At the limit already: one more instance down (upgrading counts as unhealthy) would cross it.
        return _fault_unhealthy(sim, doc, op, now, unhealthy, (len(unhealthy) + 1) * 100 // total)
    op["batches"].append(batch)
    chosen = set(batch)
    op["pending"] = [iid for iid in op["pending"] if iid not in chosen]
    surge = bool(op["policy"].get("maxSurge")) and op["kind"] == "OSUpgrade"
    op["inProgress"] = []
    waiting = []
    for iid in batch:
        if surge:
            new = _surge_instance(sim, doc, op, present[iid])
            op["inProgress"].append(new["instanceId"])
            _begin_upgrade(sim, doc, op, new, surge_for=iid)
            continue
        op["inProgress"].append(iid)
        if op.get("deferral") and iid not in op.setdefault("approved", []):
            present[iid]["upgrade"] = {"op": op["operationId"], "phase": "AwaitingApproval", "since": now}
            waiting.append(iid)
            continue
        _begin_upgrade(sim, doc, op, present[iid])
    what = (f"creating instances {', '.join(op['inProgress'])} on the new image to replace {', '.join(batch)}"
            if surge else f"upgrading instances {', '.join(batch)}")
    _emit(sim, doc, op, now, "BatchStarted", f"batch {len(op['batches'])}: {what}", batch=len(op["batches"]),
          instances=batch)
    if waiting:
        _emit(sim, doc, op, now, "PendingOSUpgrade", f"instances {', '.join(waiting)} see Platform.PendingOSUpgrade "
              "and wait for approve-rolling-upgrade", instances=waiting)
    _save(sim, doc)


def _candidate(ref: _Set, inst: Document, unhealthy: bool) -> planner.Candidate:
    """The planner's view of a pending instance, made once a run (every batch walks all pending instances):
    its zone and update domain do not change while the run lasts, its health is the batch's."""
    kept = ref.candidates.get(inst["instanceId"])
    if kept is None or kept[0] is not inst:  # (a new instance under the same id: made again)
        kept = ref.candidates[inst["instanceId"]] = (inst, planner.Candidate(
            inst["instanceId"], inst.get("zone"), inst["platformUpdateDomain"], unhealthy))
    candidate = kept[1]
    candidate.unhealthy = unhealthy
    return candidate


def _fault_unhealthy(sim: Sim, doc: Document, op: Document, now: int, unhealthy: list[Document], percent: int) -> None:
    """maxUnhealthyInstancePercent breached before a batch: Faulted, in the words Azure uses."""
    op["error"] = stops.unhealthy_before_batch(doc["scaleSet"], op, unhealthy, percent)
    return _finish(sim, doc, op, now, "Faulted")


def _begin_upgrade(sim: Sim, doc: Document, op: Document, inst: Document, surge_for: str | None = None) -> None:
    """The instance goes down for its new OS disk (or, with maxSurge, a new instance is being built)."""
    now = sim.now
    inst["upgrade"] = {"op": op["operationId"], "phase": "Upgrading", "since": now}
    if surge_for is not None:
        inst["upgrade"]["surgeFor"] = surge_for
    ref = _set(sim, doc)
    sim.schedule_instance(now + REIMAGE_SECONDS, "rollout.upgraded", ref.rg, ref.name, op["operationId"],
                          inst["instanceId"])


def _surge_instance(sim: Sim, doc: Document, op: Document, old: Document) -> Document:
    """MaxSurge: a new instance, built on the target version, that will replace `old`."""
    arm = doc["scaleSet"]
    vmp = arm["properties"]["virtualMachineProfile"]
    index = doc["nextInstanceIndex"]
    doc["nextInstanceIndex"] = index + 1
    info = dict(op["targetInfo"], version=op["target"]["version"])
    inst = instances.new_instance(arm, index, [old["zone"]] if old.get("zone") else None,
                                  arm["properties"]["platformFaultDomainCount"], op["target"], info,
                                  vmp["extensionProfile"].get("extensions", []), vmp["storageProfile"].get("dataDisks") or [],
                                  sim.now, sim.seed, doc["modelVersion"])
    inst["platformUpdateDomain"] = old["platformUpdateDomain"]
    inst["healthyAt"] = None
    doc["instances"].append(inst)
    arm["sku"]["capacity"] = len(doc["instances"])
    return inst


def approve(sim: Sim, doc: Document, instance_ids: list[str] | None) -> list[str]:
    """approveRollingUpgrade: deferred instances (osRollingUpgradeDeferral) may now upgrade."""
    op = running_operation(doc)
    if op is None or not op.get("deferral"):
        raise ConflictError("There is no OS rolling upgrade waiting for approval on this Virtual Machine Scale Set.")
    ids = instance_ids or [i["instanceId"] for i in doc["instances"]]
    for iid in ids:
        if _instance(sim, doc, iid) is None:
            scaleset.find_instance(doc, iid)  # raises Azure's not-found error
    released = []
    for iid in ids:
        if iid not in op.setdefault("approved", []):
            op["approved"].append(iid)
        inst = _instance(sim, doc, iid)
        if inst is not None and (inst.get("upgrade") or {}).get("phase") == "AwaitingApproval":
            _begin_upgrade(sim, doc, op, inst)
            released.append(iid)
    if released:
        _emit(sim, doc, op, sim.now, "UpgradeApproved", f"instances {', '.join(released)} approved; upgrading",
              instances=released)
    return released


def _instance_handler(phase: str) -> Callable[[InstanceBody], Handler]:
    """An instance event's handler from its body: the body runs with (sim, doc, operation, instance) for
    each of the event's instances in turn, while its operation runs and the instance is in the phase the
    event was scheduled for (an event replayed after a crash finds it moved on); stale ones are dropped.
    One by one, as the separate events they stand for (Sim.schedule_instance) would have run."""
    def wrap(body: InstanceBody) -> Handler:
        def handler(sim: Sim, event: Document) -> None:
            found = _context(sim, event)
            if found is None:
                return
            doc, op = found
            ids = _instance_ids(event["data"])
            for n, iid in enumerate(ids):
                if latest_operation(doc) is not op or op["status"] not in ACTIVE:
                    # an earlier instance of the event ended the operation: the rest are stale, and stay
                    # queued if the run stops now, as their own events did
                    return sim.put_back(event, ids[n:])
                inst = _instance(sim, doc, iid)
                if inst is not None and (inst.get("upgrade") or {}).get("phase") == phase:
                    body(sim, doc, op, inst)
        handler.__name__, handler.__doc__ = body.__name__, body.__doc__
        return handler
    return wrap


@_instance_handler("Upgrading")
def on_upgraded(sim: Sim, doc: Document, op: Document, inst: Document) -> None:
    """The new OS disk is in place, booted, extensions and custom data have run."""
    now = sim.now
    arm = doc["scaleSet"]
    iid = inst["instanceId"]
    seed = sim.seed
    inst["bootedAt"] = now
    inst["powerState"] = "running"
    # An instance failed by an extension (an expired credential) has a working app on its disk: the
    # model upgrade judges it from this run of the extensions, not from the failed state it had.
    was_healthy_app = inst.get("healthyAt") is not None or inst.get("provisioningState") == "Failed"
    surge_for = (inst.get("upgrade") or {}).get("surgeFor")
    if surge_for is not None:
        what = f"created on image {op['target']['version']} to replace instance {surge_for}"
        kind = "SurgeInstanceCreated"
    elif op["kind"] == "OSUpgrade":
        old = inst["osDisk"]
        disk = instances.build_os_disk(arm, iid, old.get("generation", 1) + 1, op["target"],
                                       op["target"]["version"], now, seed)
        inst["previousOsDisk"] = old
        inst["osDisk"] = disk
        if inst.get("healthOverrideUntil") == "upgrade":  # `sim health set --until upgrade`: the new image fixes it
            inst["healthOverride"] = inst["healthOverrideUntil"] = None
        what = f"OS disk replaced with {disk['name']} (image {op['target']['version']})"
        kind = "OSDiskReplaced"
    else:
        what = f"model version {doc['modelVersion']} applied"
        kind = "ModelApplied"
    # Extensions and custom data run on the new disk, in sequence; the app answers after that.
    ready, failures = instances.apply_model(doc, inst, now, seed)
    if failures:
        inst["healthyAt"] = None
    elif op["kind"] == "OSUpgrade":
        inst["healthyAt"] = instances.healthy_at(arm, iid, inst["osDisk"], op["targetInfo"], ready, seed)
    else:
        # Same OS disk: the app restarts and answers as it did before.
        inst["healthyAt"] = ready + _default_boot_seconds() if was_healthy_app else None
    inst["upgrade"] = {"op": op["operationId"], "phase": "WaitingForHealth", "since": now,
                       "deadline": ready + HEALTH_WAIT_SECONDS}
    if surge_for is not None:
        inst["upgrade"]["surgeFor"] = surge_for
    order = " -> ".join([e["name"] for e in inst["extensions"]])
    _emit(sim, doc, op, now, kind, f"instance {iid}: {what}; extensions run in order: {order or 'none'}; "
          "waiting up to 5 minutes for health", instances=[iid])
    for failure in failures:
        _emit(sim, doc, op, now, "ExtensionFailed", f"instance {iid}: {failure['message']}", instances=[iid])
    _schedule_health_check(sim, doc, op, inst)
    _save(sim, doc)


def _schedule_health_check(sim: Sim, doc: Document, op: Document, inst: Document) -> None:
    deadline = inst["upgrade"]["deadline"]
    at = deadline
    if inst.get("provisioningState") == "Failed":
        at = deadline - HEALTH_WAIT_SECONDS  # the extensions' end: a failed one is judged at once
    if inst.get("healthyAt") is not None and inst["healthyAt"] < deadline:
        at = max(sim.now, inst["healthyAt"])
    ref = _set(sim, doc)
    sim.schedule_instance(at, "rollout.health", ref.rg, ref.name, op["operationId"], inst["instanceId"])


def recheck(sim: Sim, doc: Document, instance_ids: list[str]) -> None:
    """Health of instances changed from outside (sim health set): re-evaluate those waiting on it."""
    op = running_operation(doc)
    if op is None:
        return
    for iid in instance_ids:
        inst = _instance(sim, doc, iid)
        if inst and (inst.get("upgrade") or {}).get("phase") == "WaitingForHealth":
            sim.schedule_instance(sim.now, "rollout.health", *_names(sim, doc), op["operationId"], iid)


@_instance_handler("WaitingForHealth")
def on_health(sim: Sim, doc: Document, op: Document, inst: Document) -> None:
    """The instance's health is judged: at its deadline, or as soon as it answers."""
    now = sim.now
    arm = doc["scaleSet"]
    iid = inst["instanceId"]
    waiting = dict(inst["upgrade"])
    inst["upgrade"] = None  # health is judged on the instance itself, not "being upgraded"
    state = health.state(arm, inst, now)
    surge_for = waiting.get("surgeFor")
    if state == health.HEALTHY:
        op["succeeded"].append(iid)
        op["inProgress"].remove(iid)
        if surge_for is not None:
            _delete_instance(doc, surge_for)
            _emit(sim, doc, op, now, "InstanceDeleted", f"instance {surge_for}: deleted, replaced by instance {iid}",
                  instances=[surge_for])
        _emit(sim, doc, op, now, "InstanceHealthy", f"instance {iid}: healthy on {op['target']['version']}",
              instances=[iid])
        return _maybe_end_batch(sim, doc, op)
    # Rich health states: an instance still Initializing inside its grace period is waited for (the
    # grace period bounds Initializing); the 5-minute limit applies to Healthy, Unhealthy and Unknown.
    # An extension that failed (provisioning state Failed) fails the instance as soon as the extensions
    # have run: the seed's 5-minute wait is for the app's health, and a failed provisioning is final.
    extension_failed = inst.get("provisioningState") == "Failed"
    grace_end = health.grace_end(arm, inst) if state == health.INITIALIZING else None
    if not extension_failed and (now < waiting["deadline"] or (grace_end is not None and now < grace_end)):
        inst["upgrade"] = waiting  # not yet: look again at the deadline (or when the grace period ends)
        at = waiting["deadline"] if now < waiting["deadline"] or grace_end is None else grace_end
        if now >= waiting["deadline"] and inst.get("healthyAt") is not None and now <= inst["healthyAt"] < at:
            at = inst["healthyAt"]
        sim.schedule_instance(at, "rollout.health", *_names(sim, doc), op["operationId"], iid)
        return _save(sim, doc)
    op["failed"].append(iid)
    seconds = now - (waiting["deadline"] - HEALTH_WAIT_SECONDS)  # from the end of the extension runs
    waited = f"{seconds // 60} minutes" if seconds % 60 == 0 else f"{seconds} s"
    judged = f"{state}: an extension failed" if extension_failed else f"still {state} after {waited}"
    if surge_for is not None:
        # The old instance never stopped serving; the failed new one is removed.
        op["inProgress"].remove(iid)
        _delete_instance(doc, iid)
        _emit(sim, doc, op, now, "InstanceFailed", f"instance {iid}: {judged}; deleted, instance "
              f"{surge_for} keeps the previous image", instances=[iid])
        return _maybe_end_batch(sim, doc, op)
    if op["rollback"] and inst.get("previousOsDisk") and not extension_failed:
        inst["upgrade"] = {"op": op["operationId"], "phase": "RollingBack", "since": now}
        _emit(sim, doc, op, now, "InstanceUnhealthy", f"instance {iid}: {judged}; restoring the "
              "previous OS disk", instances=[iid])
        sim.schedule_instance(now + ROLLBACK_SECONDS, "rollout.rolledback", *_names(sim, doc), op["operationId"],
                              iid)
        return _save(sim, doc)
    op["inProgress"].remove(iid)
    if op["rollback"] and not extension_failed:
        op["rollbackFailed"] += 1
    fix = "update the model and the instances"
    if op["kind"] != "OSUpgrade":  # a model upgrade replaced no disk and has no rollback
        left = f"the model stays applied ({fix})" if extension_failed else "the model stays applied (no rollback)"
    else:
        why = (f"the previous OS disk would fail the same way; {fix}" if extension_failed
               else "rollback is off for this upgrade" if not op["rollback"] else "no previous OS disk to restore")
        left = f"left on the new OS disk ({why})"
    _emit(sim, doc, op, now, "InstanceFailed", f"instance {iid}: {judged}; {left}", instances=[iid])
    _maybe_end_batch(sim, doc, op)


@_instance_handler("RollingBack")
def on_rolled_back(sim: Sim, doc: Document, op: Document, inst: Document) -> None:
    """The previous OS disk is back and booted."""
    now = sim.now
    iid = inst["instanceId"]
    failed_disk = inst["osDisk"]
    inst["osDisk"] = inst["previousOsDisk"]
    inst["previousOsDisk"] = failed_disk
    inst["bootedAt"] = now
    # The previous disk ran healthy before the upgrade; it answers again once booted.
    inst["healthyAt"] = now
    inst["upgrade"] = None
    op["rolledBack"] += 1
    op["inProgress"].remove(iid)
    breach = op["status"] == ROLLING_BACK
    if breach:
        inst["provisioningState"] = "Succeeded"
    _emit(sim, doc, op, now, "InstanceRolledBack", f"instance {iid}: previous OS disk {inst['osDisk']['name']} "
          f"restored (image {inst['osDisk']['imageReference'].get('exactVersion')})"
          + (" (rollbackFailedInstancesOnPolicyBreach)" if breach else ""), instances=[iid])
    if not breach:
        return _maybe_end_batch(sim, doc, op)
    if op["inProgress"]:
        return _save(sim, doc)
    _finish(sim, doc, op, now, "Faulted")


def _maybe_end_batch(sim: Sim, doc: Document, op: Document) -> None:
    if op["inProgress"]:
        return _save(sim, doc)
    now = sim.now
    arm = doc["scaleSet"]
    # An upgraded instance found unhealthy now counts as failed, so that progress.failedInstanceCount
    # and the error's percentage speak of the same instances.
    present = {i["instanceId"]: i for i in doc["instances"]}
    bad_ids = {i["instanceId"] for i in health.unhealthy(arm, [present[iid] for iid in op["succeeded"]
                                                              if iid in present], now)}
    for iid in [iid for iid in op["succeeded"] if iid not in present or iid in bad_ids]:
        op["succeeded"].remove(iid)
        op["failed"].append(iid)
    upgraded = op["succeeded"] + op["failed"]
    bad = list(op["failed"])
    limit = op["policy"]["maxUnhealthyUpgradedInstancePercent"]
    _emit(sim, doc, op, now, "BatchCompleted", f"batch {len(op['batches'])} done: {len(op['succeeded'])} succeeded, "
          f"{len(op['failed'])} failed, {len(op['pending'])} pending", batch=len(op["batches"]))
    if upgraded and len(bad) * 100 > limit * len(upgraded):
        op["error"] = stops.upgraded_unhealthy([_unhealthy_detail(sim, doc, iid) for iid in bad], bad, len(upgraded), limit)
        return _finish(sim, doc, op, now, "Faulted")
    if bad:
        op["error"] = stops.failed_within_limits([_unhealthy_detail(sim, doc, iid) for iid in bad], bad, len(upgraded),
                                                 limit)
    if op["cancelRequested"]:
        return _finish(sim, doc, op, now, "Cancelled")
    if not op["pending"]:
        return _finish(sim, doc, op, now, "Completed")
    pause = timeutil.parse_iso_duration(op["policy"]["pauseTimeBetweenBatches"], "pauseTimeBetweenBatches")
    sim.schedule(now + pause, "rollout.batch", *_names(sim, doc), op=op["operationId"])
    _save(sim, doc)


def _unhealthy_detail(sim: Sim, doc: Document, iid: str) -> Document:
    return stops.instance_detail(doc["scaleSet"]["id"], iid, _instance(sim, doc, iid))


def _rollback_on_policy_breach(sim: Sim, doc: Document, op: Document, now: int) -> bool:
    """rollbackFailedInstancesOnPolicyBreach: failed instances left on the new OS disk go back to
    the previous one when the rollout stops on a policy breach. The operation reports RollingBack
    while they do (the same 90 s as any rollback), then Faulted. True when a rollback started."""
    back = []
    for iid in op["failed"]:
        inst = _instance(sim, doc, iid)
        if inst is None or not inst.get("previousOsDisk") or \
                inst["osDisk"]["imageReference"].get("exactVersion") != op["target"].get("version"):
            continue
        inst["upgrade"] = {"op": op["operationId"], "phase": "RollingBack", "since": now}
        op["inProgress"].append(iid)
        back.append(iid)
        sim.schedule_instance(now + ROLLBACK_SECONDS, "rollout.rolledback", *_names(sim, doc), op["operationId"],
                              iid)
    if not back:
        return False
    op["status"] = ROLLING_BACK
    _emit(sim, doc, op, now, "RollbackStarted", f"rollout stopped: {op['error']['code']}; restoring the previous OS "
          f"disk of instances {', '.join(back)} (rollbackFailedInstancesOnPolicyBreach)", instances=back)
    _save(sim, doc)
    return True


def _finish(sim: Sim, doc: Document, op: Document, now: int, status: str) -> None:
    if status == "Faulted" and op["status"] == RUNNING and op["kind"] == "OSUpgrade" \
            and op["policy"].get("rollbackFailedInstancesOnPolicyBreach") and _rollback_on_policy_breach(sim, doc, op, now):
        return  # Faulted once the instances are back (on_rolled_back)
    op["status"] = status
    op["endTime"] = now
    op["batch"] = None
    message = {"Completed": "rollout completed", "Cancelled": "rollout cancelled",
               "Faulted": f"rollout stopped: {(op.get('error') or {}).get('code')}"}[status]
    _emit(sim, doc, op, now, f"Rollout{status}", f"{message}: {len(op['succeeded'])} succeeded, "
          f"{len(op['failed'])} failed, {op['rolledBack']} rolled back, {len(op['pending'])} not attempted")
    _save(sim, doc)


# -------------------------------------------------------------------------------------- helpers

def _delete_instance(doc: Document, iid: str) -> None:
    doc["instances"] = [i for i in doc["instances"] if i["instanceId"] != iid]
    doc["scaleSet"]["sku"]["capacity"] = len(doc["instances"])


def _instance(sim: Sim, doc: Document, iid: str) -> Document | None:
    """The instance `iid` of the set, through the run's index of each set's instances (Sim.instance_index):
    a rollout looks instances up by id on every event, and a scan made that 33 % of a 1,000-instance rollout."""
    members = doc["instances"]
    cached = sim.instance_index.get(id(members))
    if cached is not None:
        at = cached[1].get(iid)
        if at is not None and at < len(members) and members[at]["instanceId"] == iid:
            found: Document = members[at]  # the index still holds for this instance
            return found
    # not indexed yet, or the list changed in place since (or the instance is gone): index it again
    index = {i["instanceId"]: n for n, i in enumerate(members)}
    sim.instance_index[id(members)] = (members, index)
    at = index.get(iid)
    if at is None:
        return None
    member: Document = members[at]
    return member


_TIME_TEXT: dict[int, str] = {}  # {world time: its text} of the last event: events come in bunches


def _time_text(now: int) -> str:
    text = _TIME_TEXT.get(now)
    if text is None:
        _TIME_TEXT.clear()
        text = _TIME_TEXT[now] = timeutil.format_time(now)
    return text


def _emit(sim: Sim, doc: Document, op: Document, now: int, kind: str, message: str, *, batch: int | None = None,
          instances: list[str] | None = None) -> None:
    """An event of the rollout: a line of the set's log (handed to the transaction when the world
    closes), and a record to the listeners (progress on stderr, a preview's timeline)."""
    ref = _set(sim, doc)
    rg, name, time, counts = ref.rg, ref.name, _time_text(now), progress(op)
    pending = sim.log_lines.get(ref.log)
    if pending is None or pending[2] is not doc:  # (another document of the set since: the lines go with it)
        pending = sim.log_lines[ref.log] = (ref.file, "scaleSet", doc, pending[3] if pending else [])
    pending[3].append(eventlog.line(time, kind, rg, name, op["operationId"], message, counts, batch, instances))
    if sim.listeners:
        record = {"time": time, "type": kind, "resourceGroup": rg, "scaleSet": name,
                  "operationId": op["operationId"], "message": message, "progress": counts}
        if batch is not None:
            record["batch"] = batch
        if instances is not None:
            record["instances"] = instances
        sim.tell(record)
