"""`vmss group ...` = `az group ...`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import check_names
from vmss_cli.cli.context import emit, require

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
GroupName = Annotated[Optional[str], typer.Option("--name", "-n", "--resource-group", "-g",
                                                  help="Name of the new resource group.", show_default=False)]


@app.command("create")
def create(name: GroupName = None,
           location: Annotated[Optional[str], typer.Option("--location", "-l", help="Location.")] = None,
           tags: Annotated[Optional[list[str]], typer.Option("--tags", help="key[=value] pairs.")] = None) -> None:
    """Create a new resource group.

    Example: vmss group create -n myResourceGroup -l eastus
    """
    from vmss_cli.core import groups
    from vmss_cli.store.state import transaction

    from vmss_cli.cli.common import default_location

    location = location or default_location()
    require({"--name/--resource-group/-n/-g": name, "--location/-l": location})
    check_names(name)
    with transaction() as tx:
        doc = groups.create(tx, name, location, parse_tags(tags) if tags is not None else None)
    emit(groups.view(doc))


@app.command("show")
def show(name: GroupName = None) -> None:
    """Gets a resource group."""
    from vmss_cli.core import groups
    from vmss_cli.store.state import transaction

    require({"--name/--resource-group/-n/-g": name})
    with transaction(write=False) as tx:
        emit(groups.view(groups.get(tx, name)))


@app.command("list")
def list_(tag: Annotated[Optional[str], typer.Option("--tag", help="a single tag in 'key[=value]' format")] = None
          ) -> None:
    """List resource groups."""
    from vmss_cli.core import groups
    from vmss_cli.store.state import transaction

    with transaction(write=False) as tx:
        found = groups.list_all(tx)
    if tag:
        key, _, value = tag.partition("=")
        found = [g for g in found if key in (g.get("tags") or {}) and (not value or g["tags"][key] == value)]
    # az 2.91's transform_resource_group_list, as JMESPath
    emit([groups.view(g) for g in found], "[].{Name:name, Location:location, Status:properties.provisioningState}")


@app.command("delete")
def delete(name: GroupName = None,
           yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not prompt for confirmation.")] = False,
           no_wait: Annotated[bool, typer.Option("--no-wait")] = False) -> None:
    """Delete a resource group and every scale set in it."""
    from vmss_cli.core import groups
    from vmss_cli.store.state import transaction

    require({"--name/--resource-group/-n/-g": name})
    check_names(name)
    if not yes:
        import sys

        if not sys.stdin.isatty():
            from vmss_cli.core.errors import CliError

            raise CliError("Unable to prompt for confirmation as no tty available. Use --yes.")
        if not typer.confirm("Are you sure you want to perform this operation?"):
            return
    with transaction() as tx:
        groups.delete(tx, name)


@app.command("exists")
def exists(name: GroupName = None) -> None:
    """Check if a resource group exists."""
    from vmss_cli.core import groups
    from vmss_cli.core.errors import NotFoundError
    from vmss_cli.store.state import transaction

    require({"--name/--resource-group/-n/-g": name})
    with transaction(write=False) as tx:
        try:
            groups.get(tx, name)
            emit(True)
        except NotFoundError:
            emit(False)


def parse_tags(tags: list[str]) -> dict:
    out = {}
    for item in tags:
        for pair in item.split():
            key, _, value = pair.partition("=")
            out[key] = value
    return out
