"""`vmss update` (az's generic update plus the upgrade-policy flags) and `vmss update-instances`."""

from __future__ import annotations

import re
from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import Ids, NoWait, ResourceGroup, ScaleSetName, for_each_id, need_rg_name_or_ids
from vmss_cli.cli import context
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
    from vmss_cli.core.resources import validation

    validation.check_az_types(az)  # the service's deserializer would refuse these; unflattening walks them
    return arm_shape.arm_unflatten(az)


def register(app: typer.Typer) -> None:
    app.command("update")(update)
    app.command("update-instances")(update_instances)


def _int_flag(name: str):
    return typer.Option(name, help="Default: 20%.", show_default=False, metavar="<int>")


def update(
    invocation: typer.Context,
    resource_group: ResourceGroup = None,
    name: ScaleSetName = None,
    ids: Ids = None,
    instance_id: Annotated[Optional[str], typer.Option("--instance-id", help="Update the VM instance with this ID. If missing, update the VMSS.")] = None,
    # --set/--add/--remove are taken out of the line in command-line order before click parses it
    # (extract_generic); they are declared here so that `update --help` lists them.
    set_: Annotated[Optional[list[str]], typer.Option("--set", metavar="KEY=VALUE", help="Update an object by specifying a property path and value to set.  Example: `--set property1.property2=<value>`.")] = None,
    add: Annotated[Optional[list[str]], typer.Option("--add", metavar="PATH_AND_VALUE", help="Add an object to a list of objects by specifying a path and key value pairs.  Example: `--add property.listProperty <key=value, string or JSON string>`.")] = None,
    remove: Annotated[Optional[list[str]], typer.Option("--remove", metavar="PATH", help="Remove a property or an element from a list.  Example: `--remove property.list <indexToRemove>` OR `--remove propertyToRemove`.")] = None,
    force_string: Annotated[bool, typer.Option("--force-string", help="When using 'set' or 'add', preserve string literals instead of attempting to convert to JSON.")] = False,
    upgrade_policy_mode: Annotated[Optional[str], typer.Option("--upgrade-policy-mode", help="Automatic, Manual or Rolling.")] = None,
    enable_auto_os_upgrade: Annotated[Optional[str], typer.Option("--enable-auto-os-upgrade", help="true or false.")] = None,
    max_batch_instance_percent: Annotated[Optional[str], _int_flag("--max-batch-instance-percent")] = None,
    max_unhealthy_instance_percent: Annotated[Optional[str], _int_flag("--max-unhealthy-instance-percent")] = None,
    max_unhealthy_upgraded_instance_percent: Annotated[Optional[str], _int_flag("--max-unhealthy-upgraded-instance-percent")] = None,
    pause_time_between_batches: Annotated[Optional[str], typer.Option("--pause-time-between-batches", help="ISO 8601, e.g. PT5S. Default: 0 seconds.")] = None,
    enable_cross_zone_upgrade: Annotated[Optional[str], typer.Option("--enable-cross-zone-upgrade", help="true or false.")] = None,
    prioritize_unhealthy_instances: Annotated[Optional[str], typer.Option("--prioritize-unhealthy-instances", help="true or false.")] = None,
    max_surge: Annotated[Optional[str], typer.Option("--max-surge", help="true or false (preview).")] = None,
    no_wait: NoWait = False,
) -> None:
    """Update a VMSS: --set/--add/--remove (applied in command-line order), then the policy flags.

    Examples:
      vmss update -g myResourceGroup -n myScaleSet --set UpgradePolicy.AutomaticOSUpgradePolicy.EnableAutomaticOSUpgrade=true
      vmss update -g myResourceGroup -n myScaleSet --max-batch-instance-percent 50 --pause-time-between-batches PT10S
    """
    from vmss_cli.cli.vmss import parse_bool, parse_mode
    from vmss_cli.errors import CliError
    from vmss_cli.render import views
    from vmss_cli.service import scale_sets

    flags: dict = {}
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
    operations = (invocation.obj or {}).get("generic", [])  # main() took them off the line, in order

    def one(rg: str | None, name: str | None, instance_id: str | None):
        if instance_id is not None:
            raise CliError("vmss does not emulate updating one instance's own model (--instance-id): update the "
                           "scale set, then `vmss update-instances`.")
        rg, name = need_rg_name_or_ids(rg, name)
        _, arm = scale_sets.update(context.service(), rg, name,
                                   lambda current: generic_update(current, operations, force_string, flags))
        if context.GLOBALS.verbose:
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


def update_instances(resource_group: ResourceGroup = None, name: ScaleSetName = None,
                     instance_ids: Annotated[Optional[list[str]], typer.Option("--instance-ids", help="Space-separated instance ids, or * for all.")] = None,
                     extra_ids: Annotated[Optional[list[str]], typer.Argument(hidden=True)] = None,
                     no_wait: NoWait = False) -> None:
    """Upgrade VMs within a VMSS to the latest model (Manual mode's `manualupgrade`).

    Example: vmss update-instances -g myResourceGroup -n myScaleSet --instance-ids '*'
    """
    from vmss_cli.cli.context import require
    from vmss_cli.service import scale_sets

    from vmss_cli.cli.common import default_group

    resource_group = resource_group or default_group()
    require({"--resource-group/-g": resource_group, "--name/-n": name, "--instance-ids": instance_ids})
    scale_sets.update_instances(context.service(), resource_group, name, list(instance_ids) + list(extra_ids or []))
