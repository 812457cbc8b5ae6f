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
               state: Annotated[Optional[str], typer.Option("--state", help="Healthy, Unhealthy, Unknown, Initializing, or clear.")] = None) -> None:
    """Force the health an instance reports until cleared (works during a rollout).

    Example: vmss sim health set -g rg -n ss --instance-ids 3 4 --state Unhealthy
    """
    from vmss_cli.cli.context import require
    from vmss_cli.core import faults
    from vmss_cli.store.state import transaction

    rg, name = need_rg_name(resource_group, name)
    require({"--instance-ids": instance_ids, "--state": state})
    with transaction() as tx:
        changed = faults.set_health(tx, rg, name, list(instance_ids) + list(extra_ids or []), state)
    emit(changed)
