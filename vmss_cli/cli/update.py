"""`vmss update` (az's generic update plus the upgrade-policy flags) and `vmss update-instances`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import Ids, NoWait, ResourceGroup, ScaleSetName
from vmss_cli.cli import context
from vmss_cli.cli.writes import GENERIC, apply_flags, extract_generic, generic_update  # noqa: F401


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
    from vmss_cli.cli import writes

    operations = invocation.obj.generic if invocation.obj else []  # main() took them off the line, in order
    writes.update(resource_group, name, ids, instance_id, set_, add, remove, force_string, upgrade_policy_mode,
                  enable_auto_os_upgrade, max_batch_instance_percent, max_unhealthy_instance_percent,
                  max_unhealthy_upgraded_instance_percent, pause_time_between_batches, enable_cross_zone_upgrade,
                  prioritize_unhealthy_instances, max_surge, no_wait, operations)


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
