"""Scale set instances (Uniform-style ids "0".."N-1") and their OS disks.

An instance's OS disk records the image version it was built from; replacing the disk (an OS
upgrade) keeps the old one as `previousOsDisk` so a failed upgrade can be rolled back. Whether
and when an instance turns healthy on a disk is drawn at build time from the version's fault
profile and the world's seed: `healthyAt` is a world time, or None for "never".
"""

from __future__ import annotations

from vmss_cli.core.world import rng
# (modules, not the package: what runs on every upgraded instance is bound once, here)
from vmss_cli.core.resources.catalog import DEFAULT_BOOT_SECONDS
from vmss_cli.core.resources.extensions import run as run_extensions

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

UPDATE_DOMAINS = 5  # Azure spreads Uniform instances over 5 update domains


def build_os_disk(scale_set: Document, instance_id: str, generation: int, image_ref: Document, exact_version: str,
                  now: int, seed: int) -> Document:
    rid = scale_set["id"]
    disk_name = f"{scale_set['name']}_{instance_id}_OsDisk_{generation}_" \
                f"{rng.guid_hex(seed, rid, instance_id, 'osdisk', generation)}"
    parts = rid.split("/", 5)  # ['', 'subscriptions', sub, 'resourceGroups', rg, ...]: an id the store wrote
    ref = {k: image_ref[k] for k in ("publisher", "offer", "sku", "version", "id") if image_ref.get(k)}
    ref["exactVersion"] = exact_version
    return {
        "name": disk_name,
        "id": f"/subscriptions/{parts[2]}/resourceGroups/{parts[4].upper()}/providers/Microsoft.Compute/disks/{disk_name}",
        "imageReference": ref,
        "generation": generation,
        "timeCreated": now,
    }


def healthy_at(scale_set: Document, instance_id: str, disk: Document, version_info: Document, ready_at: int, seed: int) -> int | None:
    """When the app on this disk answers healthy; None when it never will (the version's fail share)."""
    if instance_id in version_info.get("failInstances", ()):  # a plan preview's assumed failures
        return None
    fail = version_info.get("failPercent", 0) or 0
    if fail and rng.unit(seed, scale_set["id"], instance_id, disk["name"], "fail") * 100 < fail:
        return None
    return ready_at + int(version_info.get("bootSeconds", 60))


def new_instance(scale_set: Document, index: int, zones: list[str] | None, fault_domains: int, image_ref: Document,
                 version_info: Document, extensions: list[Document], data_disks: list[Document], now: int, seed: int,
                 model_version: int) -> Document:
    instance_id = str(index)
    disk = build_os_disk(scale_set, instance_id, 1, image_ref, version_info["version"], now, seed)
    prefix = scale_set["properties"]["virtualMachineProfile"]["osProfile"]["computerNamePrefix"]
    return {
        "instanceId": instance_id,
        "name": f"{scale_set['name']}_{instance_id}",
        "vmId": rng.guid(seed, scale_set["id"], instance_id, "vmId"),
        "computerName": f"{prefix}{index:06X}",
        "zone": zones[index % len(zones)] if zones else None,
        "platformUpdateDomain": index % UPDATE_DOMAINS,
        "platformFaultDomain": index % max(fault_domains, 1),
        "osDisk": disk,
        "previousOsDisk": None,
        "dataDisks": [dict(d, name=f"{scale_set['name']}_{instance_id}_disk{d['lun'] + 2}_"
                              f"{rng.guid_hex(seed, scale_set['id'], instance_id, 'data', d['lun'])}")
                      for d in data_disks],
        "powerState": "running",
        "provisioningState": "Succeeded",
        "extensions": [{"name": e["name"], "status": "Succeeded", "lastRun": now} for e in extensions],
        "bootedAt": now,
        # A fresh deployment waits for its instances, so they start healthy unless the version never is.
        "healthyAt": now if healthy_at(scale_set, instance_id, disk, version_info, now, seed) is not None else None,
        "healthOverride": None,
        "modelVersion": model_version,
    }


def apply_model(doc: Document, inst: Document, now: int, seed: int) -> tuple[int, list[Document]]:
    """Bring an instance to the scale set's latest model: extensions (and custom data) run again in
    sequence, data disks follow the model's list by LUN (existing disks are kept as they are).
    Returns (when the extensions finished, extension failures)."""
    arm = doc["scaleSet"]
    vmp = arm["properties"]["virtualMachineProfile"]
    kept = {d["lun"]: d for d in inst["dataDisks"]}
    disks = []
    for spec in vmp["storageProfile"].get("dataDisks") or []:
        lun = spec.get("lun")
        if lun in kept:
            disks.append(kept[lun])
        else:
            suffix = rng.guid_hex(seed, arm["id"], inst["instanceId"], "data", lun, now)
            disks.append(dict(spec, name=f"{arm['name']}_{inst['instanceId']}_disk{int(lun) + 2}_{suffix}"))
    inst["dataDisks"] = disks
    ready, failures = run_extensions(doc, inst, now)
    if failures:
        inst["provisioningState"] = "Failed"
        inst["healthyAt"] = None
    elif inst.get("provisioningState") == "Failed":
        # The model fix (e.g. a fresh token) lets the failed instance come back.
        inst["provisioningState"] = "Succeeded"
        inst["healthyAt"] = ready + DEFAULT_BOOT_SECONDS
    inst["modelVersion"] = doc["modelVersion"]
    return ready, failures
