"""The body of `vmss update` (az's generic update plus the upgrade-policy flags), free of typer.

Declared once, with typer, in cli/update.py; that declaration calls `update` here with the same
parameters plus `operations`: the line's --set/--add/--remove in command-line order, which
cli/main.py takes off the line before anything parses it (extract_generic). cli/fast.py calls it
directly for a well-formed line through the table generated from the declaration (cli/fast_table.py),
so a script's `vmss update --set ...` does not pay for typer, click and rich (README "Start-up time").
"""

from __future__ import annotations

import re

from vmss_cli.cli import context
from vmss_cli.cli.common import for_each_id, need_rg_name_or_ids
from vmss_cli.cli.context import emit, warn

GENERIC = ("--set", "--add", "--remove")
_NEGATIVE_NUMBER = re.compile(r"-\d+")


def extract_generic(argv: list[str]) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Take --set/--add/--remove and their values out of argv, in command-line order.
    click cannot keep the order of different options, nor take `-1` as a value; argparse
    (nargs='+') reads values up to the next token that looks like an option."""
    from vmss_cli.errors import UsageError

    ops: list[tuple[str, list[str]]] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in GENERIC:
            values = []
            i += 1
            while i < len(argv) and (not argv[i].startswith("-") or _NEGATIVE_NUMBER.fullmatch(argv[i])):
                values.append(argv[i])
                i += 1
            if not values and arg != "--add":
                raise UsageError(f"argument {arg}: expected at least one argument")
            ops.append((arg[2:], values))
            continue
        rest.append(arg)
        i += 1
    return ops, rest


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


def generic_update(arm: dict, operations: list[tuple[str, list[str]]], force_string: bool, flags: dict) -> dict:
    """az's client side of `vmss update`, on the resource it GOT: the az form, --set/--add/--remove in
    command-line order, then the dedicated flags (they win whatever their position); the ARM body to PUT."""
    from vmss_cli.core.arm import shape as arm_shape
    from vmss_cli.core.update import az_model, generic

    az = arm_shape.az_flatten(arm)
    ref = ((az.get("virtualMachineProfile") or {}).get("storageProfile") or {}).get("imageReference")
    if isinstance(ref, dict):
        ref.pop("exactVersion", None)  # read-only: az's GET shows it, its PUT never sends it
    az = generic.apply(az, operations, force_string=force_string)
    apply_flags(az, flags)
    az = az_model.check(az)  # az's AAZ layer: nulls dropped, field types converted or refused
    from vmss_cli.service import scale_sets

    scale_sets.check_az_types(az)  # the service's deserializer would refuse these; unflattening walks them
    return arm_shape.arm_unflatten(az)


def update(resource_group: str | None, name: str | None, ids: list[str] | None, instance_id: str | None,
           set_: list[str] | None, add: list[str] | None, remove: list[str] | None, force_string: bool,
           upgrade_policy_mode: str | None, enable_auto_os_upgrade: str | None,
           max_batch_instance_percent: str | None, max_unhealthy_instance_percent: str | None,
           max_unhealthy_upgraded_instance_percent: str | None, pause_time_between_batches: str | None,
           enable_cross_zone_upgrade: str | None, prioritize_unhealthy_instances: str | None,
           max_surge: str | None, no_wait: bool,
           operations: list[tuple[str, list[str]]] | tuple[()] = ()) -> None:
    """`vmss update`: `operations` (--set/--add/--remove, in command-line order; set_, add and remove
    are what click would have read of them, never used: main() took them off the line), then the flags."""
    from vmss_cli.errors import CliError
    from vmss_cli.render import views
    from vmss_cli.service import scale_sets

    flags: dict = {}
    if any(value is not None for value in (upgrade_policy_mode, enable_auto_os_upgrade, enable_cross_zone_upgrade,
                                           prioritize_unhealthy_instances, max_surge)):
        from vmss_cli.cli.vmss import parse_bool, parse_mode  # (imports typer: only for these flags)
    if upgrade_policy_mode is not None:
        flags["mode"] = parse_mode(upgrade_policy_mode)
    for flag, key, value in (
            ("--enable-auto-os-upgrade", "enableAutomaticOSUpgrade", enable_auto_os_upgrade),
            ("--enable-cross-zone-upgrade", "enableCrossZoneUpgrade", enable_cross_zone_upgrade),
            ("--prioritize-unhealthy-instances", "prioritizeUnhealthyInstances", prioritize_unhealthy_instances),
            ("--max-surge", "maxSurge", max_surge)):
        if value is not None:
            flags[key] = parse_bool(value, flag)
    for flag, key, value in (
            ("--max-batch-instance-percent", "maxBatchInstancePercent", max_batch_instance_percent),
            ("--max-unhealthy-instance-percent", "maxUnhealthyInstancePercent", max_unhealthy_instance_percent),
            ("--max-unhealthy-upgraded-instance-percent", "maxUnhealthyUpgradedInstancePercent",
             max_unhealthy_upgraded_instance_percent)):
        if value is not None:
            flags[key] = _parse_int(value, flag)
    if pause_time_between_batches is not None:
        flags["pauseTimeBetweenBatches"] = pause_time_between_batches
    if max_surge is not None:
        warn("Argument '--max-surge' is in preview and under development. Reference and support levels: "
             "https://aka.ms/CLI_refstatus")

    def one(rg: str | None, name: str | None, instance_id: str | None):
        if instance_id is not None:
            raise CliError("vmss does not emulate updating one instance's own model (--instance-id): update the "
                           "scale set, then `vmss update-instances`.")
        rg, name = need_rg_name_or_ids(rg, name)
        _, arm = scale_sets.update(context.service(), rg, name,
                                   lambda current: generic_update(current, operations, force_string, flags))
        if context.current().verbose:
            for message in scale_sets.advice(arm):
                warn(message)
        return None if no_wait else views.az_form(arm)

    emit(for_each_id(ids, resource_group, name, one, instance_id, "--instance-id"))


def _parse_int(value: str, flag: str) -> int:
    try:
        return int(value)
    except ValueError:
        from vmss_cli.errors import UsageError

        raise UsageError(f"argument {flag}: invalid int value: '{value}'") from None
