"""What Azure's service answers to a PUT of a scale set model: ranges, enums, and the
requirements for automatic OS image upgrade. Raised as ARM errors (InvalidParameter, ...)."""

from __future__ import annotations

from vmss_cli.core import catalog, timeutil
from vmss_cli.core.errors import ConflictError, InvalidParameterError, VmssError

UPGRADE_MODES = ("Automatic", "Manual", "Rolling")
_PERCENT_RANGES = {"maxBatchInstancePercent": (5, 100), "maxUnhealthyInstancePercent": (5, 100),
                   "maxUnhealthyUpgradedInstancePercent": (0, 100)}
_ROLLING_BOOLS = ("enableCrossZoneUpgrade", "prioritizeUnhealthyInstances", "rollbackFailedInstancesOnPolicyBreach",
                  "maxSurge")
_AUTO_BOOLS = ("enableAutomaticOSUpgrade", "disableAutomaticRollback", "useRollingUpgradePolicy",
               "osRollingUpgradeDeferral")
NO_HEALTH_SOURCE = ("Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because a health probe "
                    "or health extension was not specified.")


def validate_model(tx, doc: dict, previous: dict | None) -> None:
    arm = doc["scaleSet"]
    props = arm["properties"]
    policy = props.get("upgradePolicy") or {}
    _check_upgrade_policy(policy)
    _check_sku(arm.get("sku"))
    from vmss_cli.core import extensions

    extensions.sequence(((props.get("virtualMachineProfile") or {}).get("extensionProfile") or {}).get("extensions")
                        or [])
    if previous is not None:
        _check_create_only(previous["scaleSet"], arm)
    auto = policy.get("automaticOSUpgradePolicy") or {}
    if auto.get("enableAutomaticOSUpgrade"):
        check_auto_os_upgrade_requirements(arm)


def _check_upgrade_policy(policy: dict) -> None:
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


def _check_sku(sku) -> None:
    if not isinstance(sku, dict):
        raise InvalidParameterError("The value of parameter 'sku' is invalid: an object with name, tier and "
                                    "capacity is required.", target="sku")
    capacity = sku.get("capacity")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 0 <= capacity <= 1000:
        raise InvalidParameterError(f"The value {capacity!r} of parameter 'sku.capacity' is out of range. "
                                    "The value must be an integer between 0 and 1000, inclusive.",
                                    target="sku.capacity")


def check_auto_os_upgrade_requirements(arm: dict) -> None:
    from vmss_cli.core import scaleset

    vmp = arm["properties"]["virtualMachineProfile"]
    ref = vmp["storageProfile"].get("imageReference") or {}
    target = "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade"
    if str(ref.get("version", "")).lower() != "latest":
        raise InvalidParameterError(
            "Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because the image reference "
            "version is not set to 'latest'.", target="virtualMachineProfile.storageProfile.imageReference.version")
    entry = catalog.find_sku(ref.get("publisher", ""), ref.get("offer", ""), ref.get("sku", ""))
    if entry is None or not entry.get("automaticOSUpgradeSupported"):
        urn = ":".join(str(ref.get(k, "")) for k in ("publisher", "offer", "sku"))
        raise InvalidParameterError(
            f"Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because the image "
            f"'{urn}' does not support automatic OS upgrade.", target=target)
    from vmss_cli.core import service_fabric

    service_fabric_node = service_fabric.extension(arm) is not None
    problem = service_fabric.requirement_error(arm)
    if problem:
        raise InvalidParameterError(problem, target=target)
    probe = (vmp.get("networkProfile") or {}).get("healthProbe")
    extension = scaleset.health_extension(arm)
    if not probe and not extension and not service_fabric_node:
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


def _check_create_only(old: dict, new: dict) -> None:
    if old["location"] != new.get("location"):
        raise _property_change("location")
    old_ref = old["properties"]["virtualMachineProfile"]["storageProfile"].get("imageReference") or {}
    new_ref = new["properties"]["virtualMachineProfile"]["storageProfile"].get("imageReference") or {}
    for key in ("publisher", "offer"):
        if str(old_ref.get(key, "")).lower() != str(new_ref.get(key, "")).lower():
            raise _property_change(f"imageReference.{key}")


def _property_change(prop: str) -> VmssError:
    return ConflictError(f"Changing property '{prop}' is not allowed.", code="PropertyChangeNotAllowed", target=prop)


def lint(arm: dict) -> list[str]:
    """Traps users hit with rolling and automatic upgrades (valid models, surprising results)."""
    from vmss_cli.core import scaleset

    out = []
    policy = arm["properties"].get("upgradePolicy") or {}
    rolling = policy.get("rollingUpgradePolicy") or {}
    auto = policy.get("automaticOSUpgradePolicy") or {}
    batch = rolling.get("maxBatchInstancePercent")
    unhealthy = rolling.get("maxUnhealthyInstancePercent")
    if batch is not None and unhealthy is not None and batch > unhealthy:
        out.append(f"maxBatchInstancePercent ({batch}) is above maxUnhealthyInstancePercent ({unhealthy}): batches "
                   "will be shrunk to stay within the unhealthy limit; Azure advises batch <= unhealthy.")
    vmp = arm["properties"].get("virtualMachineProfile") or {}
    probe = (vmp.get("networkProfile") or {}).get("healthProbe")
    extension = scaleset.health_extension(arm)
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
