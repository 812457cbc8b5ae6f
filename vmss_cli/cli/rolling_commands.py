"""Top-level rollout commands: `vmss get-os-upgrade-history`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import ResourceGroup, ScaleSetName, need_rg_name
from vmss_cli.cli.context import emit


def register(app: typer.Typer) -> None:
    app.command("get-os-upgrade-history")(get_os_upgrade_history)
    app.command("approve-rolling-upgrade")(approve_rolling_upgrade)


def approve_rolling_upgrade(resource_group: ResourceGroup = None, name: ScaleSetName = None,
                            instance_ids: Annotated[Optional[list[str]], typer.Option("--instance-ids", help="Instance ids to approve (default: all).")] = None,
                            extra_ids: Annotated[Optional[list[str]], typer.Argument(hidden=True)] = None) -> None:
    """Approve deferred OS upgrades (automaticOSUpgradePolicy.osRollingUpgradeDeferral).

    Example: vmss approve-rolling-upgrade -g myResourceGroup -n myScaleSet --instance-ids 0 5
    """
    from vmss_cli.cli import context
    from vmss_cli.cli.rolling import watching
    from vmss_cli.service import rolling_upgrades

    rg, name = need_rg_name(resource_group, name)
    ids = (list(instance_ids) + list(extra_ids or [])) if instance_ids else None
    with watching() as watch:
        rolling_upgrades.approve(context.service(listeners=watch.listeners), rg, name, None if ids == ["*"] else ids)


def get_os_upgrade_history(resource_group: ResourceGroup = None, name: ScaleSetName = None,
                           max_items: Annotated[Optional[str], typer.Option("--max-items", help="Maximum number of items to return.", metavar="<int>")] = None,
                           next_token: Annotated[Optional[str], typer.Option("--next-token", help="Token to continue a paged listing.")] = None) -> None:
    """Get the OS upgrade history of a VMSS: the last five attempts within two months, newest first.

    Example: vmss get-os-upgrade-history -g myResourceGroup -n myScaleSet --query "[0].properties.runningStatus.code" -o tsv
    """
    from vmss_cli.cli import reads

    reads.get_os_upgrade_history(resource_group, name, max_items, next_token)
