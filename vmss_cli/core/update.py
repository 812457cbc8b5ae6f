"""`vmss update`: az's generic update on the az form, the dedicated policy flags, Azure's model
validation, then what the change means for the instances and the platform.

Flow (az 2.91, reference/az-behavior.md §2): GET -> --set/--add/--remove in command-line order ->
dedicated flags (they win whatever their position) -> PUT (validated here as the service would) ->
the updated resource. Any error leaves the store untouched (the transaction is not committed).
"""

from __future__ import annotations

import copy

from vmss_cli.core import arm_shape, engine, instances, scaleset, validation
from vmss_cli.core.errors import InvalidParameterError
from vmss_cli.core.events import Sim
from vmss_cli.store.state import Transaction

# Server-owned values a PUT cannot change; they are taken from the stored resource.
_READ_ONLY_TOP = ("id", "name", "type")
_READ_ONLY_PROPS = ("provisioningState", "uniqueId", "timeCreated", "orchestrationMode")


def apply_flags(az: dict, flags: dict) -> None:
    """Dedicated flags, applied after the generic operations. `flags` holds only the given ones:
    mode, enableAutomaticOSUpgrade, and rolling-policy fields by their ARM names."""
    if not flags:
        return
    policy = az.get("upgradePolicy")
    if not isinstance(policy, dict):
        policy = az["upgradePolicy"] = {}
    if "mode" in flags:
        policy["mode"] = flags["mode"]
    if "enableAutomaticOSUpgrade" in flags:
        auto = policy.get("automaticOSUpgradePolicy")
        if not isinstance(auto, dict):
            auto = policy["automaticOSUpgradePolicy"] = {}
        auto["enableAutomaticOSUpgrade"] = flags["enableAutomaticOSUpgrade"]
    rolling_fields = {k: v for k, v in flags.items() if k not in ("mode", "enableAutomaticOSUpgrade")}
    if rolling_fields:
        rolling = policy.get("rollingUpgradePolicy")
        if not isinstance(rolling, dict):
            rolling = policy["rollingUpgradePolicy"] = {}
        rolling.update(rolling_fields)


def update(tx: Transaction, rg: str, name: str, operations: list[tuple[str, list[str]]],
           force_string: bool = False, flags: dict | None = None) -> tuple[dict, list[str]]:
    """Returns (the updated scale set file, warnings)."""
    from vmss_cli.core import az_model, generic_update

    doc = scaleset.load(tx, rg, name)
    az = arm_shape.az_flatten(doc["scaleSet"])
    _drop_exact_version(az)
    az = generic_update.apply(az, operations, force_string=force_string)
    apply_flags(az, flags or {})
    return put(tx, doc, az_model.check(az))


def put(tx: Transaction, doc: dict, az: dict) -> tuple[dict, list[str]]:
    """The PUT of the updated model `az` (az form) over the scale set file `doc`."""
    from vmss_cli.core import platform

    old_arm = doc["scaleSet"]
    # JSON types first (as the PUT's deserializer would): everything below walks the model.
    validation.check_az_types(az)
    new_arm = arm_shape.arm_unflatten(az)
    _default_upgrade_mode(new_arm)
    _restore_server_owned(old_arm, new_arm)
    _move_secrets(doc, new_arm)
    new_doc = dict(doc, scaleSet=new_arm)
    validation.validate_model(tx, new_doc, previous=doc)
    warnings = validation.lint(new_arm)

    sim = Sim(tx)
    if _model_changed(old_arm, new_arm):
        new_doc["modelVersion"] = doc["modelVersion"] + 1
        _propagate_model(sim, new_doc)
    _capacity_change(sim, new_doc, new_arm)
    was_auto = platform.eligible(doc)
    now_auto = platform.eligible(new_doc)
    if now_auto and not was_auto:
        platform.on_enabled(sim, new_doc)
    elif was_auto and not now_auto:
        platform.on_disabled(sim, new_doc)
    scaleset.save(tx, new_doc)
    sim.close()
    return new_doc, warnings


def update_instances(tx: Transaction, rg: str, name: str, instance_ids: list[str]) -> dict:
    """POST manualupgrade: the listed instances take the latest model now."""
    doc = scaleset.load(tx, rg, name)
    ids = [i["instanceId"] for i in doc["instances"]] if instance_ids == ["*"] else list(instance_ids)
    targets = [scaleset.find_instance(doc, iid) for iid in ids]
    sim = Sim(tx)
    for inst in targets:
        instances.apply_model(doc, inst, sim.now, sim.seed)
    scaleset.save(tx, doc)
    sim.close()
    return doc


def _propagate_model(sim: Sim, doc: dict) -> None:
    """Manual: nothing moves until update-instances. Automatic: every instance at once.
    Rolling: a batched model upgrade on the rollout engine."""
    mode = (doc["scaleSet"]["properties"].get("upgradePolicy") or {}).get("mode", "Manual")
    if mode == "Automatic":
        for inst in doc["instances"]:
            instances.apply_model(doc, inst, sim.now, sim.seed)
    elif mode == "Rolling" and not engine.running_operation(doc):
        engine.start_model_upgrade(sim, doc)


def _capacity_change(sim: Sim, doc: dict, new_arm: dict) -> None:
    new = (new_arm.get("sku") or {}).get("capacity")
    if new is not None and new != len(doc["instances"]):
        set_capacity(sim, doc, new)


def scale(tx: Transaction, rg: str, name: str, new_capacity: int) -> dict:
    """`vmss scale`: PATCH sku.capacity."""
    doc = scaleset.load(tx, rg, name)
    if new_capacity < 0 or new_capacity > 1000:
        raise InvalidParameterError("The value of parameter sku.capacity is out of range. "
                                    "The value must be between 0 and 1000, inclusive.", target="sku.capacity")
    sim = Sim(tx)
    set_capacity(sim, doc, new_capacity)
    scaleset.save(tx, doc)
    sim.close()
    return doc


def set_capacity(sim: Sim, doc: dict, new: int) -> None:
    """Scale out with new instances, or in: Azure's default scale-in policy removes the highest
    instance ids first; ones a running rollout was upgrading leave it (engine.instances_removed)."""
    current = len(doc["instances"])
    if new > current:
        scaleset.add_instances(sim.tx, doc, new - current)
    elif new < current:
        ordered = sorted(doc["instances"], key=lambda i: int(i["instanceId"]))
        doc["instances"] = ordered[:new]
        engine.instances_removed(sim, doc, [i["instanceId"] for i in ordered[new:]])
    doc["scaleSet"]["sku"]["capacity"] = new


def _model_changed(old: dict, new: dict) -> bool:
    """The instance-facing model: the VM profile minus the image version (an OS upgrade's business)."""
    def facing(arm):
        vmp = copy.deepcopy(arm["properties"].get("virtualMachineProfile") or {})
        ref = (vmp.get("storageProfile") or {}).get("imageReference") or {}
        ref.pop("exactVersion", None)
        ref.pop("version", None)
        vmp.pop("timeCreated", None)
        return vmp
    return facing(old) != facing(new)


def _default_upgrade_mode(arm: dict) -> None:
    """A model without an upgrade mode (`--remove upgradePolicy.mode`, `--remove upgradePolicy`) gets
    Azure's default: "If you don't explicitly set the upgrade policy mode, it defaults to manual."
    (learn.microsoft.com, virtual-machine-scale-sets-set-upgrade-policy; the swagger has no default)."""
    props = arm.get("properties")
    if not isinstance(props, dict):
        return
    policy = props.get("upgradePolicy")
    if policy is None:
        props["upgradePolicy"] = {"mode": "Manual"}
    elif isinstance(policy, dict) and policy.get("mode") is None:
        policy["mode"] = "Manual"


def _restore_server_owned(old: dict, new: dict) -> None:
    for key in _READ_ONLY_TOP:
        new[key] = old[key]
    props = new.setdefault("properties", {})
    for key in _READ_ONLY_PROPS:
        if key in old["properties"]:
            props[key] = old["properties"][key]
    vmp = props.get("virtualMachineProfile")
    if isinstance(vmp, dict) and "timeCreated" in old["properties"].get("virtualMachineProfile", {}):
        vmp["timeCreated"] = old["properties"]["virtualMachineProfile"]["timeCreated"]
    if isinstance(vmp, dict):
        ref = (vmp.get("storageProfile") or {}).get("imageReference")
        if isinstance(ref, dict):
            ref.pop("exactVersion", None)
    _strip_resource_group(new)


def _strip_resource_group(value) -> None:
    """az adds `resourceGroup` beside ids on output; it is not part of the model."""
    if isinstance(value, dict):
        if "id" in value:
            value.pop("resourceGroup", None)
        for sub in value.values():
            _strip_resource_group(sub)
    elif isinstance(value, list):
        for sub in value:
            _strip_resource_group(sub)


def _drop_exact_version(az: dict) -> None:
    ref = ((az.get("virtualMachineProfile") or {}).get("storageProfile") or {}).get("imageReference")
    if isinstance(ref, dict):
        ref.pop("exactVersion", None)


def _move_secrets(doc: dict, arm: dict) -> None:
    """adminPassword and protectedSettings set through --set are kept, but never in the resource."""
    vmp = arm.get("properties", {}).get("virtualMachineProfile") or {}
    os_profile = vmp.get("osProfile") or {}
    secrets = doc.setdefault("secrets", {"adminPassword": None, "protectedSettings": {}})
    if "adminPassword" in os_profile:
        secrets["adminPassword"] = os_profile.pop("adminPassword")
    for ext in ((vmp.get("extensionProfile") or {}).get("extensions") or []):
        props = ext.get("properties") if isinstance(ext.get("properties"), dict) else ext
        if isinstance(props, dict) and "protectedSettings" in props:
            secrets.setdefault("protectedSettings", {})[ext.get("name")] = props.pop("protectedSettings")
