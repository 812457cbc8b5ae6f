"""`vmss sim service-fabric set`: the cluster side of a Service Fabric node type."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import ResourceGroup, ScaleSetName, need_rg_name
from vmss_cli.cli.context import emit

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


@app.command("set")
def set_cluster(resource_group: ResourceGroup = None, name: ScaleSetName = None,
                durability: Annotated[Optional[str], typer.Option("--durability", help="Bronze, Silver or Gold.")] = None,
                cluster_name: Annotated[Optional[str], typer.Option("--cluster-name", help="Cluster name (informational).")] = None) -> None:
    """Declare the durability level the cluster gives the node type backed by this scale set.

    Example: vmss sim service-fabric set -g rg -n nt1 --durability Silver
    """
    from vmss_cli.cli.context import require
    from vmss_cli.cli import context
    from vmss_cli.service import world

    rg, name = need_rg_name(resource_group, name)
    require({"--durability": durability})
    emit(world.set_service_fabric_cluster(context.service(), rg, name, durability, cluster_name))
