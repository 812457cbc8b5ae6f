"""`vmss import`: a scale set as `az vmss show -o json` prints it (az form: `properties` merged,
`resourceGroup` beside ids) or as ARM's GET returns it (nested `properties`), created in the store as
a PUT of a new resource would create it (template_vmss.put_new: the service's defaults, the same
validation as `create` and `update`, image resolution, `sku.capacity` instances).

What a GET body holds that the PUT of a new resource cannot keep, and what happens to it (each
change is reported to the user, one line each, so the rehearsal's differences are known):
- read-only, server-owned values (the schema's read-only properties: id, name, type, etag,
  provisioningState, uniqueId, timeCreated, imageReference.exactVersion, extension ids and states,
  identity principal ids): dropped, as ARM ignores them in a PUT; the new set gets its own;
- az's `resourceGroup` beside each id, and az's `typePropertiesType` (an extension's type, which
  az renames because it clashes with the resource type): read back as the model has them;
- ids that name another subscription (subnets, backend pools, probes): the store is one
  subscription, so they are moved into it (resource group and name kept);
- secrets, which a GET never returns but a hand-made file may hold: `adminPassword` is not stored
  (vmss never needs it); an extension's `protectedSettings` are not stored either, only the
  earliest credential expiry vmss finds in them (core.extensions reads nothing else);
- properties the Compute API does not define: kept as given (shown back by `vmss show`), not
  emulated.
"""

from __future__ import annotations

import copy
import json
import re

from vmss_cli.core.arm import schema as arm_schema, shape as arm_shape
from vmss_cli.core.resources import catalog, groups, scaleset
from vmss_cli.store import names
from vmss_cli.core.world import timeutil
from vmss_cli.errors import CliError, InvalidParameterError, NotFoundError, UsageError, VmssError
from vmss_cli.store.state import Transaction

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from typing import Any

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.core.arm.schema import Node

MAX_DEPTH = 64  # a scale set is about 10 levels deep; deeper input is refused before it is walked


def parse(text: str, label: str) -> Document:
    """The scale set object of a file's text, or az's one-line error for what is not one."""
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        raise CliError(f"Failed to parse '{label}', please check whether it is a valid JSON format") from None
    if isinstance(body, list):
        raise CliError(f"'{label}' holds a JSON array; vmss import takes one scale set, the JSON object that "
                       "'az vmss show -o json' prints (for a list, pick one with --query \"[0]\").")
    if not isinstance(body, dict):
        kind = "null" if body is None else "boolean" if isinstance(body, bool) else \
            "string" if isinstance(body, str) else "number"
        raise CliError(f"'{label}' holds a JSON {kind}, not a scale set: vmss import takes the JSON object that "
                       "'az vmss show -o json' prints.")
    if _depth(body) > MAX_DEPTH:
        raise CliError(f"'{label}' is nested more than {MAX_DEPTH} levels deep; a scale set is not.")
    return body


def _depth(value: object) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def import_scale_set(tx: Transaction, rg: str, name: str | None, body: Document, subscription: str,
                     skip_validation: bool = False) -> tuple[Document, list[str]]:
    """Create the scale set `body` describes in group `rg` (made when missing, in the set's location).
    Returns (the scale set file, notes: what was changed or dropped, one line each)."""
    az = arm_shape.az_flatten(copy.deepcopy(body))
    name = name or (az.get("name") if isinstance(az.get("name"), str) else None)
    if not name:
        raise UsageError("the following arguments are required: --name/-n (the file names no scale set)")
    names.validate_scale_set_name(name)
    if not az.get("location"):
        raise VmssError("The 'location' property is required for this definition.", code="LocationRequired")
    location = catalog.check_location(str(az["location"]), "virtualMachineScaleSets")
    for required in ("sku", "virtualMachineProfile"):  # named as the az form names them, before the PUT's checks
        if az.get(required) is None:
            raise InvalidParameterError(f"Required parameter '{required}' is missing (null).", target=required)
    notes: list[str] = []
    try:
        groups.get(tx, rg)
    except NotFoundError:
        groups.create(tx, rg, location)  # in the set's location; rolled back with the rest on any error
        notes.append(f"Resource group '{rg}' did not exist: created in {location}.")
    scaleset.check_absent(tx, rg, name)

    ref = ((az["virtualMachineProfile"].get("storageProfile") or {}).get("imageReference") or {}) \
        if isinstance(az["virtualMachineProfile"], dict) else {}
    exact = ref.get("exactVersion") if isinstance(ref, dict) else None
    az = _as_put(az, subscription, notes)
    az["location"] = location
    arm = arm_shape.arm_unflatten(az)
    arm.update(id=scaleset.scale_set_id(subscription, rg, name), name=name, type=scaleset.RESOURCE_TYPE)
    from vmss_cli.core.templates import scaleset_template as template_vmss
    from vmss_cli.core.resources import validation

    validation.check_types(arm)  # the PUT's deserializer first: defaults and secrets walk the model
    secrets: Document = {"adminPassword": None, "protectedSettings": {}}
    notes += _secrets(arm, secrets)
    waived: list[VmssError] = []
    doc = template_vmss.put_new(tx, arm, secrets, waive=waived.append if skip_validation else None)
    notes += [f"--skip-validation: Azure would refuse this scale set: ({exc.code}) {exc.message} Imported anyway; "
              "'vmss rolling-upgrade plan' shows what a rollout would do." for exc in waived]
    running = doc["instances"][0]["osDisk"]["imageReference"].get("exactVersion") if doc["instances"] else None
    if isinstance(exact, str) and running and exact != running:
        notes.append(f"imageReference.exactVersion {exact} is the production set's: the {len(doc['instances'])} "
                     f"instances run {running}, the version vmss offers in {location}.")
    return doc, notes


def _as_put(az: Document, subscription: str, notes: list[str]) -> Document:
    """The az-form body as a PUT body (see _put_shape), with a note for each kind of change."""
    dropped: list[str] = []
    unknown: list[str] = []
    moved: list[str] = []
    az = _put_shape(az, arm_schema.load().root, "", subscription, dropped, unknown, moved)
    # the new resource's own id, name and type always go; exactVersion has a note of its own
    dropped = sorted({re.sub(r"\[\d+\]", "[*]", p) for p in dropped  # one entry for every extension's state
                      if p not in ("id", "name", "type") and not p.endswith(".exactVersion")})
    if dropped:
        notes.append("Read-only properties dropped (a new scale set gets its own): " + ", ".join(dropped) + ".")
    if moved:
        notes.append(f"{len(moved)} resource id(s) named subscription(s) " + ", ".join(
            f"'{s}'" for s in sorted(set(moved))) + f"; they now name this store's subscription '{subscription}' "
            "(resource groups and names kept).")
    if unknown:
        notes.append("Not in the Compute API's scale set model, kept as given and not emulated: "
                     + ", ".join(sorted({re.sub(r"\[\d+\]", "[*]", p) for p in unknown})) + ".")
    return az


def _put_shape(value: Any, node: Node, path: str, subscription: str, dropped: list[str], unknown: list[str],
               moved: list[str]) -> Any:
    """The az-form body as a PUT body: read-only properties and az's additions out, names in the
    schema's spelling, ids in the store's subscription. Unknown properties are kept (and listed)."""
    if isinstance(value, list):
        item = node.item
        return [_put_shape(v, item, f"{path}[{i}]", subscription, dropped, unknown, moved)
                for i, v in enumerate(value)]
    if not isinstance(value, dict) or node.kind != "object":
        return value  # scalars, free-form maps (tags, settings) and what the schema does not describe
    value = dict(value)
    if "id" in value:
        value.pop("resourceGroup", None)  # az's output adds it beside every id
        if path:  # the set's own id is replaced whole
            value["id"] = _in_subscription(value["id"], subscription, moved)
    if "typePropertiesType" in value and node.name == "VirtualMachineScaleSetExtension":
        value["type"] = value.pop("typePropertiesType")  # az's name for an extension's properties.type
    out: Document = {}
    for key, sub in value.items():
        here = f"{path}.{key}" if path else str(key)
        canonical = node.canonical(key)
        if canonical is None:
            unknown.append(here)
            out[key] = sub
        elif canonical in node.read_only:
            if sub is not None:
                dropped.append(f"{path}.{canonical}" if path else canonical)
        elif sub is not None:  # a null property is an absent one
            out[canonical] = _put_shape(sub, node.child(canonical), f"{path}.{canonical}" if path else canonical,
                                     subscription, dropped, unknown, moved)
    return out


def _in_subscription(rid: Any, subscription: str, moved: list[str]) -> Any:
    if not isinstance(rid, str):
        return rid
    parts = rid.split("/")
    if len(parts) > 2 and parts[0] == "" and parts[1].lower() == "subscriptions" and parts[2].lower() != subscription:
        moved.append(parts[2])
        parts[2] = subscription
        return "/".join(parts)
    return rid


def _secrets(arm: Document, secrets: Document) -> list[str]:
    """Take secrets out of the model before anything stores it; keep only what vmss reads."""
    from vmss_cli.core.resources import extensions

    notes = []
    vmp = arm["properties"]["virtualMachineProfile"]
    if vmp["osProfile"].pop("adminPassword", None) is not None:
        notes.append("osProfile.adminPassword is not stored: vmss never needs it (and a GET never returns it).")
    for ext in (vmp.get("extensionProfile") or {}).get("extensions") or []:
        props = ext.get("properties") if isinstance(ext, dict) else None
        if not isinstance(props, dict) or "protectedSettings" not in props:
            continue
        expiry = extensions.credential_expiry({"properties": {}}, props.pop("protectedSettings"))
        kept = ""
        if expiry is not None:
            secrets["protectedSettings"][ext.get("name")] = {"expiry": timeutil.format_time(expiry)}
            kept = f" except the credential expiry they name ({timeutil.format_time(expiry)})"
        notes.append(f"Extension '{ext.get('name')}': protectedSettings are not stored{kept}.")
    return notes
