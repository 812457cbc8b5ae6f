"""The documents of a scale set's virtual machines in ARM form: VirtualMachineScaleSetVM, its instance
view, and the scale set's instance view (status summaries). Built from the scale set file; the service
(service.instances) answers with them, the CLI prints their az form."""

from __future__ import annotations

from vmss_cli.core.arm.documents import clone
from vmss_cli.core.rollout import health
from vmss_cli.core.world import timeutil

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document


def instance_arm(doc: Document, inst: Document) -> Document:
    """VirtualMachineScaleSetVM in ARM shape."""
    arm = doc["scaleSet"]
    vmp = arm["properties"]["virtualMachineProfile"]
    os_disk = inst["osDisk"]
    os_profile = {"computerName": inst["computerName"], "adminUsername": vmp["osProfile"].get("adminUsername")}
    for key in ("linuxConfiguration", "windowsConfiguration"):
        if key in vmp["osProfile"]:
            os_profile[key] = clone(vmp["osProfile"][key])
    image = {k: v for k, v in os_disk["imageReference"].items()}
    out = {
        "id": f"{arm['id']}/virtualMachines/{inst['instanceId']}",
        "instanceId": inst["instanceId"],
        "name": inst["name"],
        "type": "Microsoft.Compute/virtualMachineScaleSets/virtualMachines",
        "location": arm["location"],
        "sku": {"name": arm["sku"]["name"], "tier": arm["sku"].get("tier", "Standard")},
        "tags": {},
        "properties": {
            "latestModelApplied": inst["modelVersion"] == doc["modelVersion"],
            "modelDefinitionApplied": "VirtualMachineScaleSet",
            "vmId": inst["vmId"],
            "provisioningState": inst["provisioningState"],
            # optional in a state file (store/shapes.py): a hand-edited disk without it shows null
            "timeCreated": timeutil.format_time(os_disk["timeCreated"]) if "timeCreated" in os_disk else None,
            "hardwareProfile": {"vmSize": arm["sku"]["name"]},
            "osProfile": os_profile,
            "storageProfile": {
                "imageReference": image,
                "osDisk": {"name": os_disk["name"], "osType": vmp["storageProfile"]["osDisk"].get("osType"),
                           "createOption": "FromImage", "caching": "ReadWrite", "diskSizeGB": 30,
                           "managedDisk": {"id": os_disk["id"], "storageAccountType": "Premium_LRS"}},
                "dataDisks": [{"lun": d["lun"], "name": d["name"], "createOption": "Empty",
                               "caching": d.get("caching", "None"), "diskSizeGB": d.get("diskSizeGB"),
                               "managedDisk": {"id": os_disk["id"].rsplit("/", 1)[0] + "/" + d["name"],
                                               "storageAccountType": "Premium_LRS"}}
                              for d in inst["dataDisks"]],
            },
            "networkProfileConfiguration": {"networkInterfaceConfigurations": clone(
                vmp["networkProfile"].get("networkInterfaceConfigurations", []))},
        },
    }
    if inst.get("zone"):
        out["zones"] = [inst["zone"]]
    return out


_POWER_TEXT = {"running": "VM running", "stopped": "VM stopped", "deallocated": "VM deallocated",
               "starting": "VM starting", "stopping": "VM stopping"}


def instance_view(doc: Document, inst: Document, now: int) -> Document:
    """VirtualMachineScaleSetVMInstanceView, as `az vmss get-instance-view --instance-id N` prints it."""
    arm = doc["scaleSet"]
    # The extensions the instance has run: a model extension not yet applied to it (Manual mode before
    # update-instances, a rolling model upgrade that has not reached it) is not on the VM yet.
    applied = {e["name"] for e in inst.get("extensions", [])}
    exts = [e for e in arm["properties"]["virtualMachineProfile"].get("extensionProfile", {}).get("extensions", [])
            if e["name"] in applied]
    provisioning = "updating" if inst.get("upgrade") else inst["provisioningState"].lower()
    view = {
        "platformUpdateDomain": inst["platformUpdateDomain"],
        "platformFaultDomain": inst["platformFaultDomain"],
        "computerName": inst["computerName"],
        "osName": inst["osDisk"]["imageReference"].get("offer"),
        "osVersion": inst["osDisk"]["imageReference"].get("exactVersion"),
        "disks": [{"name": inst["osDisk"]["name"], "statuses": [_status("ProvisioningState/succeeded",
                                                                         "Provisioning succeeded", now)]}]
                 + [{"name": d["name"], "statuses": [_status("ProvisioningState/succeeded",
                                                             "Provisioning succeeded", now)]}
                    for d in inst["dataDisks"]],
        "extensions": [{"name": e["name"], "type": f"{(e.get('properties') or {}).get('publisher')}."
                        f"{(e.get('properties') or {}).get('type')}",
                        "typeHandlerVersion": (e.get("properties") or {}).get("typeHandlerVersion"),
                        "statuses": [_status(f"ProvisioningState/{health.extension_status(inst, e['name'], now).lower()}",
                                             f"Provisioning {health.extension_status(inst, e['name'], now).lower()}",
                                             now)]}
                       for e in exts],
        "statuses": [_status(f"ProvisioningState/{provisioning}", f"Provisioning {provisioning}", now),
                     {"code": f"PowerState/{inst['powerState']}", "level": "Info",
                      "displayStatus": _POWER_TEXT.get(inst["powerState"], inst["powerState"])}],
    }
    src = health.source(arm)
    if src[0] != "default":
        state = health.state(arm, inst, now, src)
        view["vmHealth"] = {"status": {"code": f"HealthState/{state.lower()}", "level": "Info",
                                       "displayStatus": f"The VM is {state.lower()}" if state in (
                                           health.HEALTHY, health.UNHEALTHY) else f"The VM health is {state.lower()}"}}
    return view


def scale_set_instance_view(doc: Document, now: int) -> Document:
    """VirtualMachineScaleSetInstanceView: status summaries over all instances."""
    counts: dict[str, int] = {}
    for inst in doc["instances"]:
        for code in ("ProvisioningState/" + ("updating" if inst.get("upgrade") else inst["provisioningState"].lower()),
                     f"PowerState/{inst['powerState']}"):
            counts[code] = counts.get(code, 0) + 1
    exts = doc["scaleSet"]["properties"]["virtualMachineProfile"].get("extensionProfile", {}).get("extensions", [])
    ext_summaries = []
    for e in exts:
        tally: dict[str, int] = {}
        for inst in doc["instances"]:
            code = f"ProvisioningState/{health.extension_status(inst, e['name'], now).lower()}"
            tally[code] = tally.get(code, 0) + 1
        ext_summaries.append({"name": e["name"], "statusesSummary": [{"code": c, "count": n}
                                                                     for c, n in sorted(tally.items())]})
    return {"virtualMachine": {"statusesSummary": [{"code": c, "count": n} for c, n in sorted(counts.items())]},
            "extensions": ext_summaries,
            "statuses": [_status("ProvisioningState/succeeded", "Provisioning succeeded", now)],
            "orchestrationServices": [{"serviceName": "AutomaticRepairs", "serviceState": "NotRunning"}]}


def _status(code: str, display: str, now: int) -> Document:
    return {"code": code, "level": "Info", "displayStatus": display, "time": timeutil.format_time(now)}
