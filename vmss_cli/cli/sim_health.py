"""`vmss sim health set`: inject instance health (concurrent maintenance, an app failing)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import ResourceGroup, ScaleSetName, need_rg_name
from vmss_cli.cli.context import emit

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


@app.command("set")
def set_health(resource_group: ResourceGroup = None, name: ScaleSetName = None,
               instance_ids: Annotated[Optional[list[str]], typer.Option("--instance-ids", help="Instance ids, or * for all.")] = None,
               extra_ids: Annotated[Optional[list[str]], typer.Argument(hidden=True)] = None,
               state: Annotated[Optional[str], typer.Option("--state", help="Healthy, Unhealthy, Unknown, Initializing, or clear.")] = None,
               until: Annotated[str, typer.Option("--until", help="cleared (default): the state lasts until --state clear, across OS disk swaps; upgrade: the next OS image upgrade of the instance clears it (the new image fixes it).")] = "cleared") -> None:
    """Force the health an instance reports (works during a rollout).

    By default the state lasts until cleared, also across an OS image upgrade (the new image does not
    fix the instance). With --until upgrade it is cleared when an OS image upgrade gives the instance
    its new OS disk (a rollback to the previous disk does not bring it back).

    Example: vmss sim health set -g rg -n ss --instance-ids 3 4 --state Unhealthy --until upgrade
    """
    from vmss_cli.cli import context
    from vmss_cli.cli.context import require
    from vmss_cli.service import simulator

    rg, name = need_rg_name(resource_group, name)
    require({"--instance-ids": instance_ids, "--state": state})
    emit(simulator.set_health(context.service(), rg, name, list(instance_ids) + list(extra_ids or []), state, until))
