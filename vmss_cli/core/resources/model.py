"""Read-only accessors of a scale set document (the file core.resources.scaleset stores): what the
rollout engine, health and validation need to know about a set, without its CRUD (which imports
image resolution, validation and the world, and would tie them all in a circle)."""

from __future__ import annotations

from vmss_cli.errors import NotFoundError
from vmss_cli.core.arm import ids

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

RESOURCE_TYPE = "Microsoft.Compute/virtualMachineScaleSets"
HEALTH_EXTENSION_TYPES = ("ApplicationHealthLinux", "ApplicationHealthWindows")


def scale_set_id(subscription: str, rg: str, name: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{rg}/providers/{RESOURCE_TYPE}/{name}"


def find_instance(doc: Document, instance_id: str) -> Document:
    inst: Document
    for inst in doc["instances"]:
        if inst["instanceId"] == str(instance_id):
            return inst
    arm = doc["scaleSet"]
    rg = ids.resource_group(arm["id"])
    raise NotFoundError(
        f"The Resource '{RESOURCE_TYPE}/{arm['name']}/virtualMachines/{instance_id}' under resource group "
        f"'{rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix")


def health_source(arm: Document) -> str:
    """'probe', 'extension' or 'default' (power state + extension provisioning state)."""
    vmp = arm["properties"]["virtualMachineProfile"]
    if (vmp.get("networkProfile") or {}).get("healthProbe"):
        return "probe"
    if health_extension(arm):
        return "extension"
    return "default"


def health_extension(arm: Document) -> Document | None:
    vmp = arm["properties"]["virtualMachineProfile"]
    ext: Document
    for ext in ((vmp.get("extensionProfile") or {}).get("extensions") or []):
        props = ext.get("properties") or {}
        if props.get("type") in HEALTH_EXTENSION_TYPES and props.get("publisher") == "Microsoft.ManagedServices":
            return ext
    return None


def resource_group(arm: Document) -> str:
    """The resource group a stored resource belongs to, as its id spells it."""
    return ids.resource_group(str(arm["id"]))


def image_reference(arm: Document) -> Document:
    """The scale set model's imageReference ({} when the model has none)."""
    ref: Document = arm["properties"]["virtualMachineProfile"]["storageProfile"].get("imageReference") or {}
    return ref


def as_returned(arm: Document) -> Document:
    """The scale set as ARM's GET returns it: osProfile.customData is write-only (it may hold
    secrets, and ARM never returns it), so it is kept in the store but never sent back."""
    os_profile = ((arm.get("properties") or {}).get("virtualMachineProfile") or {}).get("osProfile")
    if not isinstance(os_profile, dict) or "customData" not in os_profile:
        return arm
    props = dict(arm["properties"])
    props["virtualMachineProfile"] = dict(props["virtualMachineProfile"],
                                          osProfile={k: v for k, v in os_profile.items() if k != "customData"})
    return dict(arm, properties=props)
