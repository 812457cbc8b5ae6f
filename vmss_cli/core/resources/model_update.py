"""A PUT of a scale set's model, as the service does it: Azure's model validation, what a PUT keeps,
then what the change means for the instances and the platform; and POST manualupgrade.

The client side of `vmss update` (GET -> --set/--add/--remove in command-line order -> dedicated
flags -> PUT; az 2.91, reference/az-behavior.md §2) is cli/update.py. Any error leaves the store
untouched (the transaction is not committed).
"""

from __future__ import annotations

import copy

from vmss_cli.core.rollout import engine
from vmss_cli.core.resources import instances, scaleset, validation
from vmss_cli.core.world.events import Sim
from vmss_cli.errors import InvalidParameterError
from vmss_cli.store.state import Transaction

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

# Server-owned values a PUT cannot change; they are taken from the stored resource.
_READ_ONLY_TOP = ("id", "name", "type")
_READ_ONLY_PROPS = ("provisioningState", "uniqueId", "timeCreated", "orchestrationMode")


def put_model(tx: Transaction, doc: Document, new_arm: Document) -> Document:
    """PUT a new model (ARM form) on the stored scale set file `doc`, as the service does: JSON types
    first (as the PUT's deserializer would), server-owned fields and secrets kept, the model validated,
    then what the change means for the instances and the platform. Returns the new file (saved)."""
    from vmss_cli.core.rollout import platform

    # JSON types first: everything below walks the model.
    validation.check_az_types(new_arm)
    old_arm = doc["scaleSet"]
    _default_upgrade_mode(new_arm)  # Azure's default for a model without a mode
    _restore_server_owned(old_arm, new_arm)
    _move_secrets(doc, new_arm)
    new_doc = dict(doc, scaleSet=new_arm)
    validation.validate_model(tx, new_doc, previous=doc)

    from vmss_cli.core.rollout.handlers import open_world

    sim = open_world(tx)
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
    return new_doc


def update_instances(tx: Transaction, rg: str, name: str, instance_ids: list[str]) -> Document:
    """POST manualupgrade: the listed instances take the latest model now."""
    doc = scaleset.load(tx, rg, name)
    ids = [i["instanceId"] for i in doc["instances"]] if instance_ids == ["*"] else list(instance_ids)
    targets = [scaleset.find_instance(doc, iid) for iid in ids]
    from vmss_cli.core.rollout.handlers import open_world

    sim = open_world(tx)
    for inst in targets:
        instances.apply_model(doc, inst, sim.now, sim.seed)
    scaleset.save(tx, doc)
    sim.close()
    return doc


def _propagate_model(sim: Sim, doc: Document) -> None:
    """Manual: nothing moves until update-instances. Automatic: every instance at once.
    Rolling: a batched model upgrade on the rollout engine."""
    mode = (doc["scaleSet"]["properties"].get("upgradePolicy") or {}).get("mode", "Manual")
    if mode == "Automatic":
        for inst in doc["instances"]:
            instances.apply_model(doc, inst, sim.now, sim.seed)
    elif mode == "Rolling" and not engine.running_operation(doc):
        engine.start_model_upgrade(sim, doc)


def _capacity_change(sim: Sim, doc: Document, new_arm: Document) -> None:
    new = (new_arm.get("sku") or {}).get("capacity")
    if new is not None and new != len(doc["instances"]):
        set_capacity(sim, doc, new)


def scale(tx: Transaction, rg: str, name: str, new_capacity: int) -> Document:
    """`vmss scale`: PATCH sku.capacity."""
    doc = scaleset.load(tx, rg, name)
    if new_capacity < 0 or new_capacity > 1000:  # az 2.91's scale PUTs the sku: the PUT's own check and text
        raise InvalidParameterError(f"The value {new_capacity!r} of parameter 'sku.capacity' is out of range. "
                                    "The value must be an integer between 0 and 1000, inclusive.", target="sku.capacity")
    from vmss_cli.core.rollout.handlers import open_world

    sim = open_world(tx)
    set_capacity(sim, doc, new_capacity)
    scaleset.save(tx, doc)
    sim.close()
    return doc


def set_capacity(sim: Sim, doc: Document, new: int) -> None:
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


def _model_changed(old: Document, new: Document) -> bool:
    """The instance-facing model: the VM profile minus the image version (an OS upgrade's business)."""
    def facing(arm: Document) -> object:
        vmp = copy.deepcopy(arm["properties"].get("virtualMachineProfile") or {})
        ref = (vmp.get("storageProfile") or {}).get("imageReference") or {}
        ref.pop("exactVersion", None)
        ref.pop("version", None)
        vmp.pop("timeCreated", None)
        return vmp
    return facing(old) != facing(new)


def _default_upgrade_mode(arm: Document) -> None:
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


def _restore_server_owned(old: Document, new: Document) -> None:
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


def _strip_resource_group(value: object) -> None:
    """az adds `resourceGroup` beside ids on output; it is not part of the model."""
    if isinstance(value, dict):
        if "id" in value:
            value.pop("resourceGroup", None)
        for sub in value.values():
            _strip_resource_group(sub)
    elif isinstance(value, list):
        for sub in value:
            _strip_resource_group(sub)


def _move_secrets(doc: Document, arm: Document) -> None:
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
