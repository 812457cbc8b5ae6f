"""What Azure's service answers to a PUT of a scale set model: ranges, enums, and the
requirements for automatic OS image upgrade. Raised as ARM errors (InvalidParameter, ...)."""

from __future__ import annotations

from vmss_cli.core.resources import catalog, model
from vmss_cli.core.world import timeutil
from vmss_cli.errors import ConflictError, InvalidParameterError, VmssError

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.core.arm.schema import Node
    from vmss_cli.store.state import Transaction

UPGRADE_MODES = ("Automatic", "Manual", "Rolling")
_PERCENT_RANGES = {"maxBatchInstancePercent": (5, 100), "maxUnhealthyInstancePercent": (5, 100),
                   "maxUnhealthyUpgradedInstancePercent": (0, 100)}
_ROLLING_BOOLS = ("enableCrossZoneUpgrade", "prioritizeUnhealthyInstances", "rollbackFailedInstancesOnPolicyBreach",
                  "maxSurge")
_AUTO_BOOLS = ("enableAutomaticOSUpgrade", "disableAutomaticRollback", "useRollingUpgradePolicy",
               "osRollingUpgradeDeferral")
NO_HEALTH_SOURCE = ("Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because a health probe "
                    "or health extension was not specified.")


def validate_model(tx: Transaction, doc: Document, previous: Document | None, api_version: str | None = None,
                   waive: Callable[[VmssError], None] | None = None) -> None:
    """`api_version`: the Compute API version of the PUT (templates name theirs); None = current.
    `waive`: called with the error instead of raising it when the model breaks an automatic OS
    upgrade requirement (`vmss import --skip-validation`); value and type checks are never waived."""
    arm = doc["scaleSet"]
    check_types(arm)
    props = arm["properties"]
    policy = props.get("upgradePolicy") or {}
    _check_upgrade_policy(policy)
    _check_sku(arm.get("sku"))
    from vmss_cli.core.resources import extensions

    extensions.sequence(((props.get("virtualMachineProfile") or {}).get("extensionProfile") or {}).get("extensions")
                        or [])
    if previous is not None:
        _check_create_only(previous["scaleSet"], arm)
    auto = policy.get("automaticOSUpgradePolicy") or {}
    if auto.get("enableAutomaticOSUpgrade"):
        _windows_automatic_updates_follow(arm, previous)
        try:
            check_auto_os_upgrade_requirements(arm, api_version)
        except VmssError as exc:
            if waive is None:
                raise
            waive(exc)


def _windows_automatic_updates_follow(arm: Document, previous: Document | None) -> None:
    """The API (enableAutomaticOSUpgrade): "If this is set to true for Windows based scale sets,
    enableAutomaticUpdates is automatically set to false and cannot be set to true." So the PUT
    that turns automatic OS upgrade on turns a `true` it carries over unchanged from before (Azure's
    default, as a GET shows it) to false. A `true` this PUT sets, or one sent while automatic OS
    upgrade is already on, is still refused (check_auto_os_upgrade_requirements)."""
    windows = ((arm["properties"].get("virtualMachineProfile") or {}).get("osProfile") or {}).get("windowsConfiguration")
    if previous is None or not isinstance(windows, dict) or windows.get("enableAutomaticUpdates") is not True:
        return
    old_props = previous["scaleSet"]["properties"]
    old_auto = ((old_props.get("upgradePolicy") or {}).get("automaticOSUpgradePolicy") or {}).get(
        "enableAutomaticOSUpgrade")
    old_windows = ((old_props.get("virtualMachineProfile") or {}).get("osProfile") or {}).get("windowsConfiguration") \
        or {}
    if not old_auto and old_windows.get("enableAutomaticUpdates", True) is True:
        windows["enableAutomaticUpdates"] = False


# --- JSON types, as the service's deserializer reads a PUT body before anything else -------------------

_TYPE_NAMES = {"string": "String", "integer": "Int32", "number": "Double", "boolean": "Boolean"}
_INT32 = (-2**31, 2**31 - 1)
# What the emulator reads from every model (a PUT without them is refused rather than half-applied).
_REQUIRED = (("properties",), ("properties", "virtualMachineProfile"),
             ("properties", "virtualMachineProfile", "storageProfile"),
             ("properties", "virtualMachineProfile", "osProfile"))


def check_types(arm: Document) -> None:
    """Read the model as the service's JSON deserializer would: an object where the schema has an
    object, a list for an array; scalars converted where it converts them ("2" -> 2 for an Int32, as
    az's `--add ... lun=2` needs; 5 -> "5" for a String; "true" -> true) and refused where it refuses
    them. Converted in place, so the stored model holds what a GET would return. null = not given.
    Without this, `--set upgradePolicy=x` reached code that expects a dict."""
    from vmss_cli.core.arm import schema as arm_schema

    for path in _REQUIRED:
        node: object = arm
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            where = ".".join(k for k in path if k != "properties") or "properties"
            raise InvalidParameterError(f"Required parameter '{where}' is missing (null).", target=where)
    _check_object(arm, arm_schema.load().root, [])


def check_az_types(az: Document) -> None:
    """check_types on the az form (`properties` already merged), as `vmss update` holds it, without
    converting anything (the generic update's result is az's; the PUT converts, in validate_model)."""
    from vmss_cli.core.arm import schema as arm_schema

    _check_object(az, arm_schema.load().root, [], convert=False)


def _check_object(value: Document, node: Node, path: list[str], convert: bool = True) -> None:
    for key, sub in list(value.items()):
        if key == "properties" and isinstance(sub, dict) and node.kind == "object":
            _check_object(sub, node, path, convert)  # ARM's wrapper: the az form merges it into its parent
            continue
        converted = _check_value(sub, node.child(key), path + [str(key)], convert)
        if converted is not sub and convert:
            value[key] = converted


def _check_value(value: Any, node: Node, path: list[str], convert: bool = True) -> Any:
    """`value`, converted when the deserializer would convert it; raises when it would fail."""
    if value is None or node.kind == "any":
        return value
    if node.scalar is not None:  # a scalar node
        return _scalar(value, node.scalar, path)
    if node.kind == "array":
        if not isinstance(value, list):
            raise _content_error(value, "Array", path)
        item = node.item
        for i, sub in enumerate(value):
            if sub is None and item.kind == "object":  # the service would fail on it (HTTP 500)
                raise _content_error(sub, item.name, path[:-1] + [f"{path[-1] if path else ''}[{i}]"])
            converted = _check_value(sub, item, path[:-1] + [f"{path[-1] if path else ''}[{i}]"], convert)
            if converted is not sub and convert:
                value[i] = converted
        return value
    if not isinstance(value, dict):  # an object or a map
        raise _content_error(value, node.name if node.kind == "object" else "Object", path)
    if node.kind == "object":
        _check_object(value, node, path, convert)
    else:
        for key, sub in list(value.items()):
            converted = _check_value(sub, node.child(key), path + [str(key)], convert)
            if converted is not sub and convert:
                value[key] = converted
    return value


def _scalar(value: Any, kind: str, path: list[str]) -> Any:
    if isinstance(value, (dict, list)):
        raise _content_error(value, _TYPE_NAMES.get(kind, kind), path)
    if kind == "string":
        if isinstance(value, bool):
            return "True" if value else "False"  # .NET's Boolean.ToString()
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
        return value
    if kind == "integer":
        number = value
        if isinstance(value, str):
            text = value.strip()
            number = int(text) if text.lstrip("+-").isascii() and text.lstrip("+-").isdigit() and len(text) < 20 \
                else None
        elif isinstance(value, float):
            number = int(value) if value.is_integer() else None
        elif isinstance(value, bool):
            number = None
        if not isinstance(number, int) or isinstance(number, bool) or not _INT32[0] <= number <= _INT32[1]:
            raise _content_error(value, "Int32", path)
        return number
    if kind == "number":
        if isinstance(value, bool):
            raise _content_error(value, "Double", path)
        if isinstance(value, (int, float)):
            return value
        try:
            number = float(value) if value.strip().isascii() else None
        except ValueError:
            number = None
        if number is None or number != number or number in (float("inf"), float("-inf")):
            raise _content_error(value, "Double", path)
        return number
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        raise _content_error(value, "Boolean", path)
    return value


def _content_error(value: Any, type_name: str, path: list[str]) -> VmssError:
    import json

    where = ".".join(path)
    shown = json.dumps(value, sort_keys=True, default=str)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    if any(part.split("[")[0] in ("adminPassword", "protectedSettings") for part in path):
        shown = "(a secret, not shown)"  # secrets are never printed, not even a malformed one
    return InvalidParameterError(
        f"The request content was invalid and could not be deserialized: Error converting value {shown} to type "
        f"'{type_name}'. Path '{where}'.", code="InvalidRequestContent", target=where or None)


def _check_upgrade_policy(policy: Document) -> None:
    mode = policy.get("mode")
    if mode is not None and mode not in UPGRADE_MODES:
        raise InvalidParameterError(
            f"The value '{mode}' is not valid for property 'upgradePolicy.mode'. Allowed values: "
            f"{', '.join(UPGRADE_MODES)}.", target="upgradePolicy.mode")
    rolling = policy.get("rollingUpgradePolicy") or {}
    for key, (low, high) in _PERCENT_RANGES.items():
        value = rolling.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidParameterError(
                f"The value {value!r} of parameter 'upgradePolicy.rollingUpgradePolicy.{key}' is out of range. "
                f"The value must be between {low} and {high}, inclusive.",
                target=f"upgradePolicy.rollingUpgradePolicy.{key}")
    pause = rolling.get("pauseTimeBetweenBatches")
    if pause is not None:
        if not isinstance(pause, str):
            raise InvalidParameterError(f"The value {pause!r} of parameter 'upgradePolicy.rollingUpgradePolicy."
                                        "pauseTimeBetweenBatches' is not a valid ISO 8601 duration.",
                                        target="upgradePolicy.rollingUpgradePolicy.pauseTimeBetweenBatches")
        seconds = timeutil.parse_iso_duration(pause, "upgradePolicy.rollingUpgradePolicy.pauseTimeBetweenBatches")
        if seconds > 3600:
            raise InvalidParameterError(
                "The value of parameter 'upgradePolicy.rollingUpgradePolicy.pauseTimeBetweenBatches' is out of "
                "range. The value must be between PT0S and PT1H.",
                target="upgradePolicy.rollingUpgradePolicy.pauseTimeBetweenBatches")
    for group, keys in (("rollingUpgradePolicy", _ROLLING_BOOLS), ("automaticOSUpgradePolicy", _AUTO_BOOLS)):
        obj = policy.get(group) or {}
        for key in keys:
            if key in obj and obj[key] is not None and not isinstance(obj[key], bool):
                raise InvalidParameterError(
                    f"The value {obj[key]!r} of parameter 'upgradePolicy.{group}.{key}' is not a boolean.",
                    target=f"upgradePolicy.{group}.{key}")


def _check_sku(sku: Any) -> None:
    if not isinstance(sku, dict):
        raise InvalidParameterError("The value of parameter 'sku' is invalid: an object with name, tier and "
                                    "capacity is required.", target="sku")
    capacity = sku.get("capacity")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 0 <= capacity <= 1000:
        raise InvalidParameterError(f"The value {capacity!r} of parameter 'sku.capacity' is out of range. "
                                    "The value must be an integer between 0 and 1000, inclusive.",
                                    target="sku.capacity")


# Before 2018-10-01 automatic OS upgrade was a preview (upgradePolicy.automaticOSUpgrade, e.g. the seed's
# template at 2017-03-30) that gated batches on power state and extension provisioning: no health source needed.
HEALTH_SOURCE_REQUIRED_FROM = "2018-10-01"


def check_auto_os_upgrade_requirements(arm: Document, api_version: str | None = None) -> None:

    vmp = arm["properties"]["virtualMachineProfile"]
    ref = vmp["storageProfile"].get("imageReference") or {}
    target = "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade"
    if ref.get("id"):
        from vmss_cli.core.resources import gallery  # custom images: only a gallery image definition qualifies

        gallery.check_auto_os_upgrade_image(ref["id"])
    elif str(ref.get("version", "")).lower() != "latest":
        # The text users report (hashicorp/terraform-provider-azurerm#11398); its code was not shown there.
        raise InvalidParameterError(
            "virtualMachineScaleSets with Automatic OS Upgrade enabled must use Platform or Gallery Image with "
            "version set to 'latest'.", target="virtualMachineProfile.storageProfile.imageReference.version")
    entry = catalog.find_sku(ref.get("publisher", ""), ref.get("offer", ""), ref.get("sku", ""))
    if not ref.get("id") and (entry is None or not entry.get("automaticOSUpgradeSupported")):
        # Azure's 400 for a platform image outside the supported list, as users report it
        # (Azure/aks-engine#1795, MicrosoftDocs/azure-docs#39477).
        raise InvalidParameterError(
            "Automatic OS Upgrade cannot be enabled on virtualMachineScaleSets configured with a Platform Image.",
            code="BadRequest")
    from vmss_cli.core.rollout import service_fabric

    service_fabric_node = service_fabric.extension(arm) is not None
    problem = service_fabric.requirement_error(arm)
    if problem:
        raise InvalidParameterError(problem, target=target)
    probe = (vmp.get("networkProfile") or {}).get("healthProbe")
    if probe and service_fabric_node:
        # The seed: "Application Health Probes are not supported for Service Fabric scale sets."
        raise InvalidParameterError(
            "Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because Application Health "
            "Probes are not supported for Service Fabric scale sets; remove the health probe.",
            target="virtualMachineProfile.networkProfile.healthProbe")
    extension = model.health_extension(arm)
    preview = api_version is not None and api_version[:10] < HEALTH_SOURCE_REQUIRED_FROM
    if not probe and not extension and not service_fabric_node and not preview:
        raise InvalidParameterError(NO_HEALTH_SOURCE, target=target)
    if probe and extension:
        raise InvalidParameterError(
            "Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because both a health probe "
            "and the Application Health extension were specified; use one health source.", target=target)
    windows = (vmp.get("osProfile") or {}).get("windowsConfiguration") or {}
    if windows.get("enableAutomaticUpdates"):
        raise InvalidParameterError(
            "windowsConfiguration.enableAutomaticUpdates cannot be set to true if "
            "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade is already true, starting from "
            "APIversion 2019-03-01.", target="virtualMachineProfile.osProfile.windowsConfiguration.enableAutomaticUpdates")


def _check_create_only(old: Document, new: Document) -> None:
    if old["location"] != new.get("location"):
        raise _property_change("location")
    old_ref = model.image_reference(old)
    new_ref = model.image_reference(new)
    for key in ("publisher", "offer"):
        if str(old_ref.get(key, "")).lower() != str(new_ref.get(key, "")).lower():
            raise _property_change(f"imageReference.{key}")


def _property_change(prop: str) -> VmssError:
    return ConflictError(f"Changing property '{prop}' is not allowed.", code="PropertyChangeNotAllowed", target=prop)


def lint(arm: Document) -> list[str]:
    """Traps users hit with rolling and automatic upgrades (valid models, surprising results)."""

    out = []
    policy = arm["properties"].get("upgradePolicy") or {}
    rolling = policy.get("rollingUpgradePolicy") or {}
    auto = policy.get("automaticOSUpgradePolicy") or {}
    batch = rolling.get("maxBatchInstancePercent")
    unhealthy = rolling.get("maxUnhealthyInstancePercent", 20)  # Azure's default when unset
    if isinstance(batch, int) and isinstance(unhealthy, int) and batch > unhealthy:
        out.append(f"maxBatchInstancePercent ({batch}) is above maxUnhealthyInstancePercent ({unhealthy}): batches "
                   "will be shrunk to stay within the unhealthy limit; Azure advises batch <= unhealthy.")
    vmp = arm["properties"].get("virtualMachineProfile") or {}
    probe = (vmp.get("networkProfile") or {}).get("healthProbe")
    extension = model.health_extension(arm)
    if policy.get("mode") == "Rolling" and not probe and not extension:
        out.append("Rolling upgrade mode without a health probe or Application Health extension: batches are "
                   "gated only on power state and extension provisioning state.")
    if probe and extension:
        out.append("Both a load balancer health probe and the Application Health extension are configured; "
                   "a scale set uses one health source.")
    if auto.get("useRollingUpgradePolicy") and not rolling:
        out.append("useRollingUpgradePolicy is true but the scale set has no rollingUpgradePolicy: automatic OS "
                   "upgrades use Azure's default policy (20/20/20/PT0S).")
    if auto.get("disableAutomaticRollback"):
        out.append("disableAutomaticRollback is true: instances that fail an automatic OS upgrade keep the new, "
                   "unhealthy OS disk.")
    return out
