"""A scale set resource of an ARM template, deployed as a PUT of its model would be (core.template).

The template's properties are put in the model's shape: names in the schema's spelling ("Id" ->
"id"), values of the schema's types ("true" -> true, "3" -> 3, as Azure reads them), unknown and
read-only properties dropped; then the service's defaults and server-owned values are added,
secrets (adminPassword, extension protectedSettings) kept apart, the model validated as `vmss update`
validates it (with the template's api-version), and instances made as `vmss create` makes them.
The legacy `upgradePolicy.automaticOSUpgrade` (api-version 2017-03-30) is today's
`automaticOSUpgradePolicy.enableAutomaticOSUpgrade`.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from vmss_cli.store import names
from vmss_cli.core.resources import scaleset
from vmss_cli.core.world import timeutil, clock as world
from vmss_cli.core.templates import expressions as tex
from vmss_cli.errors import CliError, InvalidParameterError, NotFoundError, VmssError
from vmss_cli.store import paths
from vmss_cli.store.state import Transaction

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from collections.abc import Callable

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.core.arm.schema import Node


# ---- scale sets --------------------------------------------------------------------------------------

def deploy_scale_set(tx: Transaction, group: Document, res: Document, subscription: str) -> Document:
    """PUT of a scale set from a template: the model translated to the stored ARM shape, validated as
    `vmss update` validates, then instances as `vmss create` makes them."""
    from vmss_cli.core.resources import catalog

    rg, name = group["name"], res["name"]
    names.validate_scale_set_name(name)
    if tx.load(paths.scale_set_file(tx.root, rg, name), "scaleSet") is not None:
        raise VmssError(f"The scale set '{name}' already exists in resource group '{rg}'. vmss does not redeploy a "
                        "scale set: use 'vmss update' to change it or 'vmss delete' first.", code="Conflict")
    if not res.get("location"):
        raise VmssError("The 'location' property is required for this definition.", code="LocationRequired")
    location = catalog.check_location(res["location"], "virtualMachineScaleSets")
    props = copy.deepcopy(res.get("properties") or {})
    if not isinstance(props, dict):
        raise InvalidParameterError("The value of parameter 'properties' is invalid.", target="properties")
    _legacy_automatic_os_upgrade(props)
    candidate: Document = {"location": location, "sku": res.get("sku"), "tags": res.get("tags") or {},
                       "properties": props}
    if res.get("zones"):
        candidate["zones"] = res["zones"]
    arm = _as_model(candidate)
    arm.update(id=scaleset.scale_set_id(subscription, rg, name), name=name, type=scaleset.RESOURCE_TYPE)
    return put_new(tx, arm, {"adminPassword": None, "protectedSettings": {}}, api_version=res["apiVersion"])


def put_new(tx: Transaction, arm: Document, secrets: Document, api_version: str | None = None,
            waive: Callable[[VmssError], None] | None = None) -> Document:
    """A PUT that creates a scale set: `arm` (the model with its id, name and type, in the model's
    shape) gets the service's defaults and server-owned values, is validated as `vmss update`
    validates (`waive`: see validation.validate_model), then gets instances as `vmss create` makes
    them. Secrets found in the model move to `secrets`. Deployments and `vmss import` share it."""
    from vmss_cli.core.world import rng
    from vmss_cli.core.resources import validation

    arm.setdefault("tags", {})
    if not isinstance(arm.get("sku"), dict):
        raise InvalidParameterError("Required parameter 'sku' is missing (null).", target="sku")
    arm["sku"].setdefault("tier", "Standard")
    now, seed = world.now(tx), world.seed(tx)
    _fill_server_defaults(arm, secrets, now, rng.guid(seed, arm["id"], "uniqueId", now))
    capacity = arm["sku"].get("capacity")
    doc = {"scaleSet": arm, "secrets": secrets, "instances": [], "rollingUpgrades": [], "modelVersion": 1,
           "nextInstanceIndex": 0}
    validation.validate_model(tx, doc, previous=None, api_version=api_version, waive=waive)
    location = arm["location"]
    vmp = arm["properties"]["virtualMachineProfile"]
    ref = vmp["storageProfile"]["imageReference"]
    try:
        image = ref["id"] if ref.get("id") else ":".join(str(ref.get(k) or "") for k in (
            "publisher", "offer", "sku", "version"))
        resolved, entry, info = scaleset.resolve_image(tx, image, location)
    except (NotFoundError, CliError) as exc:
        if ref.get("id"):
            raise
        raise VmssError(f"The platform image '{image}' is not available. Verify that all fields in the storage "
                        "profile are correct.", code="PlatformImageNotFound") from exc
    vmp["storageProfile"]["imageReference"] = resolved
    vmp["storageProfile"]["osDisk"]["osType"] = entry["osType"]
    os_profile = vmp["osProfile"]
    if entry["osType"] == "Linux" and "windowsConfiguration" not in os_profile:
        os_profile.setdefault("linuxConfiguration", {"disablePasswordAuthentication": secrets["adminPassword"] is None,
                                                     "provisionVMAgent": True})
    scaleset.add_instances(tx, doc, capacity, info)
    scaleset.save(tx, doc)
    return doc


def _legacy_automatic_os_upgrade(props: Document) -> None:
    """api-version 2017-03-30's `upgradePolicy.automaticOSUpgrade` is today's
    `upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade` (the explicit policy wins)."""
    policy = next((v for k, v in props.items() if k.lower() == "upgradepolicy"), None)
    if not isinstance(policy, dict):
        return
    key = next((k for k in policy if k.lower() == "automaticosupgrade"), None)
    if key is None:
        return
    value = policy.pop(key)
    if not any(k.lower() == "automaticosupgradepolicy" for k in policy):
        policy["automaticOSUpgradePolicy"] = {"enableAutomaticOSUpgrade": value}


def _as_model(candidate: Document) -> Document:
    """The template's scale set in the model's shape: names in the schema's spelling, values of the
    schema's types, unknown and read-only properties dropped."""
    from vmss_cli.core.arm import schema as arm_schema, shape as arm_shape

    az = arm_shape.az_flatten(candidate)
    az = _coerce(az, arm_schema.load().root, "")
    return arm_shape.arm_unflatten(arm_schema.prune(az, unknown=True, read_only=True))


def _coerce(value: Any, node: Node, path: str) -> Any:
    if value is not None and ((node.kind == "object" and not isinstance(value, dict))
                              or (node.kind == "array" and not isinstance(value, list))):
        raise _conversion(value, "Object" if node.kind == "object" else "Array", path)
    if isinstance(value, dict) and node.kind == "object":
        out = {}
        for key, sub in value.items():
            if sub is None:
                continue  # a null property is an absent one
            name = node.canonical(key) or key
            out[name] = _coerce(sub, node.child(name), f"{path}.{name}" if path else name)
        return out
    if isinstance(value, list) and node.kind == "array":
        if node.item.kind == "object" and any(v is None for v in value):
            raise _conversion(None, "Object", path)
        return [_coerce(v, node.item, f"{path}[{i}]") for i, v in enumerate(value)]
    if node.kind != "scalar" or value is None or isinstance(value, (dict, list)):
        return value
    kind = node.scalar
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
    elif kind == "integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
            return int(value)
    elif kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return float(value) if "." in value else int(value)
            except ValueError:
                pass
    else:
        return value if isinstance(value, str) else tex.to_text(value)
    raise _conversion(value, {"boolean": "System.Boolean", "integer": "System.Int32",
                              "number": "System.Double"}[kind], path)


def _conversion(value: Any, clr: str, path: str) -> VmssError:
    """What the resource provider answers for a body it cannot deserialize."""
    return VmssError("Cannot parse the request.", code="InvalidRequestFormat", details=[{
        "code": "InvalidJson", "message": f"Error converting value {json.dumps(value)} to type '{clr}'. "
                                          f"Path 'properties.{path}'."}])


def _required(value: Any, name: str) -> Any:
    if value in (None, "", {}):
        raise InvalidParameterError(f"Required parameter '{name}' is missing (null).", target=name)
    return value


def _fill_server_defaults(arm: Document, secrets: Document, now: int, unique_id: str) -> None:
    """What the service adds to a PUT model: defaults and server-owned values; secrets kept apart."""
    props = arm.setdefault("properties", {})
    mode = props.setdefault("orchestrationMode", "Uniform")  # ARM's default (az create defaults to Flexible)
    policy = props.setdefault("upgradePolicy", {})
    policy.setdefault("mode", "Manual")
    props.setdefault("singlePlacementGroup", mode == "Uniform")
    props.setdefault("overprovision", mode == "Uniform")
    props.setdefault("doNotRunExtensionsOnOverprovisionedVMs", False)
    props.setdefault("platformFaultDomainCount", 5 if mode == "Uniform" else 1)
    props.update(provisioningState="Succeeded", uniqueId=unique_id, timeCreated=timeutil.format_time(now))
    vmp = _required(props.get("virtualMachineProfile"), "virtualMachineProfile")
    vmp["timeCreated"] = timeutil.format_time(now)
    os_profile = _required(vmp.get("osProfile"), "osProfile")
    _required(os_profile.get("computerNamePrefix"), "osProfile.computerNamePrefix")
    _required(os_profile.get("adminUsername"), "osProfile.adminUsername")
    secrets["adminPassword"] = os_profile.pop("adminPassword", None)
    os_profile.setdefault("secrets", [])
    os_profile.setdefault("allowExtensionOperations", True)
    os_profile.setdefault("requireGuestProvisionSignal", True)
    storage = _required(vmp.get("storageProfile"), "storageProfile")
    _required(storage.get("imageReference"), "storageProfile.imageReference")
    os_disk = storage.setdefault("osDisk", {"createOption": "FromImage"})
    os_disk.setdefault("caching", "ReadWrite")
    os_disk.setdefault("managedDisk", {"storageAccountType": "Premium_LRS"})
    os_disk.setdefault("diskSizeGB", 30)
    for disk in storage.setdefault("dataDisks", []):
        if disk.get("lun") is None:
            raise InvalidParameterError("Required parameter 'lun' is missing (null).", target="dataDisks.lun")
        disk.setdefault("caching", "None")
        disk.setdefault("managedDisk", {"storageAccountType": "Premium_LRS"})
    vmp.setdefault("networkProfile", {}).setdefault("networkInterfaceConfigurations", [])
    extensions = vmp.setdefault("extensionProfile", {}).setdefault("extensions", [])
    for ext in extensions:
        if not isinstance(ext.get("name"), str) or not ext["name"]:
            raise InvalidParameterError("Required parameter 'name' is missing (null).",
                                        target="virtualMachineProfile.extensionProfile.extensions.name")
        inner = ext.get("properties") or {}
        if "protectedSettings" in inner:
            secrets["protectedSettings"][ext.get("name")] = inner.pop("protectedSettings")
