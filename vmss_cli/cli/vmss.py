"""Top-level `vmss` commands = `az vmss ...` (create, show, list, delete, scale, instances)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import (Ids, NoWait, ResourceGroup, ScaleSetName, check_names, for_each_id,
                                 need_aaz, need_rg_name, need_rg_name_or_ids)
from vmss_cli.cli.context import emit

UpgradeMode = Annotated[Optional[str], typer.Option(
    "--upgrade-policy-mode", help="Upgrade policy: Automatic, Manual or Rolling. Default: Manual.",
    click_type=None, show_default=False)]


def _bool_flag(name: str, help_text: str):
    return typer.Option(name, help=help_text + " Allowed values: false, true.", show_default=False)


def register(app: typer.Typer, command_name: str | None = None) -> None:
    """Add the top-level commands to `app`. When the command line names one defined here, the
    other command modules are not even imported (start-up time: `vmss show` is a hot path)."""
    local = {c.__name__.rstrip("_").replace("_", "-"): c
             for c in (create, show, list_, delete, scale, list_instances, get_instance_view)}
    if command_name in local:
        app.command(command_name)(local[command_name])
        return
    for name, command in local.items():
        app.command(name)(command)
    for module in ("vmss_cli.cli.rolling_commands", "vmss_cli.cli.update", "vmss_cli.cli.demo",
                   "vmss_cli.cli.scaleset_import"):
        __import__(module, fromlist=["register"]).register(app)


def parse_bool(value: str | None, flag: str) -> bool | None:
    """az's three-state bool flags: true/false any case; anything else is a usage error."""
    if value is None:
        return None
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    from vmss_cli.errors import UsageError

    raise UsageError(f"'{value}' is not a valid value for '{flag}'. Allowed values: true, false.")


def parse_mode(value: str | None) -> str | None:
    if value is None:
        return None
    for mode in ("Automatic", "Manual", "Rolling"):
        if value.lower() == mode.lower():
            return mode
    from vmss_cli.errors import UsageError

    raise UsageError(f"'{value}' is not a valid value for '--upgrade-policy-mode'. "
                     "Allowed values: Automatic, Manual, Rolling.")


def rolling_policy_from_flags(max_batch: int | None, max_unhealthy: int | None, max_unhealthy_upgraded: int | None,
                              pause: str | None, cross_zone: bool | None, prioritize: bool | None,
                              max_surge: bool | None) -> dict:
    """Only the fields given, as az's template and PUT carry them."""
    fields = {"maxBatchInstancePercent": max_batch, "maxUnhealthyInstancePercent": max_unhealthy,
              "maxUnhealthyUpgradedInstancePercent": max_unhealthy_upgraded, "pauseTimeBetweenBatches": pause,
              "enableCrossZoneUpgrade": cross_zone, "prioritizeUnhealthyInstances": prioritize,
              "maxSurge": max_surge}
    return {k: v for k, v in fields.items() if v is not None}

def custom_data_base64(value: str) -> str:
    """az's --custom-data: a file (`~` expanded) is read as text, anything else is the text itself;
    either way it is sent base64-encoded, as az's b64encode does (latin-1)."""
    import base64
    import os

    from vmss_cli.errors import CliError

    text = os.path.expanduser(value)
    if os.path.exists(text):
        try:
            with open(text, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"Can't read --custom-data file '{value}': {exc}") from None
    try:
        return base64.b64encode(text.encode("latin-1")).decode("latin-1")
    except UnicodeEncodeError:
        # az would stop with a traceback here; vmss says why.
        raise CliError("--custom-data holds characters outside latin-1, which az cannot encode.") from None



def create(
    resource_group: ResourceGroup = None,
    name: ScaleSetName = None,
    image: Annotated[Optional[str], typer.Option("--image", help="Alias (Ubuntu2204) or URN publisher:offer:sku:version.")] = None,
    instance_count: Annotated[int, typer.Option("--instance-count", help="Number of VMs in the scale set.")] = 2,
    location: Annotated[Optional[str], typer.Option("--location", "-l", help="Location. Default: the group's.")] = None,
    vm_sku: Annotated[str, typer.Option("--vm-sku", help="Size of VMs in the scale set.")] = "Standard_D2s_v5",
    orchestration_mode: Annotated[str, typer.Option("--orchestration-mode", help="Flexible or Uniform.")] = "Flexible",
    upgrade_policy_mode: UpgradeMode = None,
    enable_auto_os_upgrade: Annotated[Optional[str], _bool_flag("--enable-auto-os-upgrade", "Enable automatic OS image upgrades.")] = None,
    max_batch_instance_percent: Annotated[Optional[int], typer.Option("--max-batch-instance-percent", help="Default: 20%.")] = None,
    max_unhealthy_instance_percent: Annotated[Optional[int], typer.Option("--max-unhealthy-instance-percent", help="Default: 20%.")] = None,
    max_unhealthy_upgraded_instance_percent: Annotated[Optional[int], typer.Option("--max-unhealthy-upgraded-instance-percent", help="Default: 20%.")] = None,
    pause_time_between_batches: Annotated[Optional[str], typer.Option("--pause-time-between-batches", help="ISO 8601, e.g. PT5S. Default: 0 seconds.")] = None,
    enable_cross_zone_upgrade: Annotated[Optional[str], _bool_flag("--enable-cross-zone-upgrade", "Let batches ignore zone boundaries.")] = None,
    prioritize_unhealthy_instances: Annotated[Optional[str], _bool_flag("--prioritize-unhealthy-instances", "Upgrade unhealthy instances first.")] = None,
    health_probe: Annotated[Optional[str], typer.Option("--health-probe", help="Load balancer probe name or ID (Uniform only).")] = None,
    lb: Annotated[Optional[str], typer.Option("--lb", help="Load balancer name.")] = None,
    zones: Annotated[Optional[list[str]], typer.Option("--zones", "-z", help="Availability zones, e.g. 1 2 3.")] = None,
    platform_fault_domain_count: Annotated[Optional[int], typer.Option("--platform-fault-domain-count")] = None,
    data_disk_sizes_gb: Annotated[Optional[list[int]], typer.Option("--data-disk-sizes-gb", help="Data disk sizes in GB.")] = None,
    admin_username: Annotated[Optional[str], typer.Option("--admin-username")] = None,
    admin_password: Annotated[Optional[str], typer.Option("--admin-password")] = None,
    custom_data: Annotated[Optional[str], typer.Option("--custom-data", help="Custom init script file or text (cloud-init, cloud-config, etc..)")] = None,
    enable_auto_update: Annotated[Optional[str], _bool_flag("--enable-auto-update", "Windows Update in the VM (Windows only).")] = None,
    tags: Annotated[Optional[list[str]], typer.Option("--tags", help="key[=value] pairs.")] = None,
    no_wait: NoWait = False,
) -> None:
    """Create an Azure Virtual Machine Scale Set.

    Example: vmss create -g myResourceGroup -n myScaleSet --image Ubuntu2204 --upgrade-policy-mode Rolling
    """
    from vmss_cli.cli import context
    from vmss_cli.cli.context import require
    from vmss_cli.cli.group import parse_tags
    from vmss_cli.errors import UsageError
    from vmss_cli.service import scale_sets

    from vmss_cli.cli.common import default_group, default_location

    resource_group = resource_group or default_group()
    location = location or default_location()
    require({"--name/-n": name, "--resource-group/-g": resource_group})  # az 2.91's order
    check_names(resource_group, name)
    if orchestration_mode.lower() not in ("flexible", "uniform"):
        raise UsageError(f"'{orchestration_mode}' is not a valid value for '--orchestration-mode'. "
                         "Allowed values: Flexible, Uniform.")
    _, arm = scale_sets.create(
        context.service(), resource_group, name, image=image or "Ubuntu2204", location=location,
        instance_count=instance_count, vm_sku=vm_sku, orchestration_mode=orchestration_mode.capitalize(),
        upgrade_policy_mode=parse_mode(upgrade_policy_mode) or "Manual",
        enable_auto_os_upgrade=parse_bool(enable_auto_os_upgrade, "--enable-auto-os-upgrade"),
        rolling_policy=rolling_policy_from_flags(
            max_batch_instance_percent, max_unhealthy_instance_percent, max_unhealthy_upgraded_instance_percent,
            pause_time_between_batches, parse_bool(enable_cross_zone_upgrade, "--enable-cross-zone-upgrade"),
            parse_bool(prioritize_unhealthy_instances, "--prioritize-unhealthy-instances"), None),
        health_probe=health_probe, lb=lb, zones=zones, platform_fault_domain_count=platform_fault_domain_count,
        data_disk_sizes_gb=data_disk_sizes_gb, admin_username=admin_username, admin_password=admin_password,
        custom_data=custom_data_base64(custom_data) if custom_data else None, enable_auto_update=parse_bool(enable_auto_update, "--enable-auto-update"),
        tags=parse_tags(tags) if tags else None)
    if not no_wait:
        from vmss_cli.render import views

        emit(views.scale_set_created(arm))


def show(resource_group: ResourceGroup = None, name: ScaleSetName = None,
         instance_id: Annotated[Optional[str], typer.Option("--instance-id", help="VM instance ID.")] = None) -> None:
    """Get details on VMs within a VMSS.

    Example: vmss show -g myResourceGroup -n myScaleSet -o table
    """
    from vmss_cli.cli import reads

    reads.show(resource_group, name, instance_id)


def list_(resource_group: ResourceGroup = None) -> None:
    """List VMSS."""
    from vmss_cli.cli import context
    from vmss_cli.cli.common import default_group
    from vmss_cli.render import views
    from vmss_cli.service import scale_sets

    emit(views.az_form(scale_sets.list(context.service(), resource_group or default_group())),
         views.SCALE_SET_LIST_TABLE)


def delete(resource_group: ResourceGroup = None, name: ScaleSetName = None, ids: Ids = None,
           force_deletion: Annotated[bool, typer.Option("--force-deletion")] = False, no_wait: NoWait = False) -> None:
    """Delete a VMSS (no confirmation prompt, as az)."""
    from vmss_cli.cli import context
    from vmss_cli.errors import NotFoundError
    from vmss_cli.service import scale_sets

    def one(rg: str | None, name: str | None) -> None:
        rg, name = need_aaz(rg, name)
        check_names(rg, name)
        try:
            scale_sets.delete(context.service(), rg, name)
        except NotFoundError:
            pass  # az 2.91's (AAZ) delete takes a 404 as done: nothing printed, exit 0

    emit(for_each_id(ids, resource_group, name, one, aaz=True))


def scale(resource_group: ResourceGroup = None, name: ScaleSetName = None, ids: Ids = None,
          new_capacity: Annotated[Optional[str], typer.Option("--new-capacity", help="Number of VMs in the VMSS.", metavar="<int>")] = None,
          no_wait: NoWait = False) -> None:
    """Change the number of VMs within a VMSS."""
    from vmss_cli.cli import context
    from vmss_cli.cli.context import require
    from vmss_cli.render import views
    from vmss_cli.service import scale_sets

    require({"--new-capacity": new_capacity})
    from vmss_cli.core.update.az_model import integer

    capacity = integer(new_capacity, "--new-capacity")  # az's AAZ int field: a non-number fails after parsing

    def one(rg: str | None, name: str | None):
        rg, name = need_rg_name_or_ids(rg, name)
        # az GETs the set and PUTs its location and sku with the new capacity: the service's scale is that PUT
        _, arm = scale_sets.scale(context.service(), rg, name, capacity)
        return None if no_wait else views.az_form(arm)

    emit(for_each_id(ids, resource_group, name, one))


def list_instances(resource_group: ResourceGroup = None, name: ScaleSetName = None) -> None:
    """Get a list of all virtual machines in a VM scale set."""
    from vmss_cli.cli import reads

    reads.list_instances(resource_group, name)


def get_instance_view(resource_group: ResourceGroup = None, name: ScaleSetName = None, ids: Ids = None,
                      instance_id: Annotated[Optional[str], typer.Option("--instance-id", help="VM instance ID, or * for all.")] = None) -> None:
    """View an instance of a VMSS (or of every instance with --instance-id *)."""
    from vmss_cli.cli import context
    from vmss_cli.render import views
    from vmss_cli.service import instances

    def one(rg: str | None, name: str | None, instance_id: str | None):
        rg, name = need_rg_name_or_ids(rg, name)
        if instance_id == "*":
            return instances.list_instance_views(context.service(), rg, name)
        if instance_id is not None:
            return instances.get_instance_view(context.service(), rg, name, instance_id)
        return instances.scale_set_instance_view(context.service(), rg, name)

    emit(for_each_id(ids, resource_group, name, one, instance_id, "--instance-id"), views.INSTANCE_VIEW_TABLE)
