"""Two renderings of a resource: the ARM form (nested `properties`, what REST returns) and the
az form (what `az` prints: `properties` flattened, `resourceGroup` added beside ids).
Models never format; this module does. Secrets are not in the ARM form to begin with."""

from __future__ import annotations

import re

from vmss_cli.core.arm.documents import clone as _clone

_RG_IN_ID = re.compile(r"/resourceGroups/([^/]+)", re.IGNORECASE)


def az_form(arm: dict | list) -> dict | list:
    """Flatten `properties` at every level and add `resourceGroup` beside ids, as az does."""
    if isinstance(arm, list):
        return [az_form(v) for v in arm]
    if not isinstance(arm, dict):
        return arm
    out: dict = {}
    for key, value in arm.items():
        if key == "properties" and isinstance(value, dict):
            continue
        # free-form maps are printed as given
        out[key] = _clone(value) if key in ("settings", "protectedSettings", "tags") else az_form(value)
    props = arm.get("properties")
    if isinstance(props, dict):
        # On a clash the inner value wins, as az prints an extension's properties.type (core.arm_shape agrees).
        for k, v in props.items():
            out[k] = _clone(v) if k in ("settings", "protectedSettings", "tags") else az_form(v)
    return add_resource_group(out)


def add_resource_group(out: dict) -> dict:
    """az adds `resourceGroup` beside an `id` that names one (when the dict has none yet)."""
    rid = out.get("id")
    if isinstance(rid, str) and "resourceGroup" not in out:
        match = _RG_IN_ID.search(rid)
        if match:
            out["resourceGroup"] = match.group(1)
    return out


def scale_set_created(arm: dict) -> dict:
    """`az vmss create` prints the deployment output: `{"vmss": <properties>}` of the set (ARM form in)."""
    return {"vmss": az_form(arm["properties"])}


# az 2.91's table transformers (azure-cli vm module _format.py / commands.py), as JMESPath
SCALE_SET_TABLE = ("{Name:name, ResourceGroup:resourceGroup, Location:location, "
                   "Zones: (!zones && ' ') || join(' ', zones), Capacity:sku.capacity, "
                   "Overprovision:overprovision, UpgradePolicy:upgradePolicy.mode}")
SCALE_SET_LIST_TABLE = "[]." + SCALE_SET_TABLE
INSTANCE_VIEW_TABLE = "{ProvisioningState:statuses[0].displayStatus, PowerState:statuses[1].displayStatus}"


def __getattr__(name: str):
    """The VM documents are the service's (core.resources.vm_views); still named here, for the differential
    tier's fake ARM, without loading them on every read that renders."""
    if name in ("instance_arm", "instance_view", "scale_set_instance_view"):
        from vmss_cli.core.resources import vm_views

        return getattr(vm_views, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
