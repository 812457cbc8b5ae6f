"""`vmss sim image ...`: play the image publisher (emulator only; az has no such command)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.context import emit, require

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


@app.command("publish")
def publish(
    location: Annotated[Optional[str], typer.Option("--location", "-l", help="Region the version is released to.",
                                                    show_default=False)] = None,
    publisher: Annotated[Optional[str], typer.Option("--publisher", "-p", help="Image publisher.",
                                                     show_default=False)] = None,
    offer: Annotated[Optional[str], typer.Option("--offer", "-f", help="Image offer.", show_default=False)] = None,
    sku: Annotated[Optional[str], typer.Option("--sku", "-s", help="Image sku.", show_default=False)] = None,
    version: Annotated[Optional[str], typer.Option("--version", help="New version, Major.Minor.Build "
                                                   "(e.g. 22.04.202410010).", show_default=False)] = None,
    boot_time: Annotated[Optional[str], typer.Option("--boot-time", help="How long an instance on this version "
                                                     "takes to turn healthy: 90s, 5m, PT5M. Default: 60s.",
                                                     show_default=False)] = None,
    fail_percent: Annotated[int, typer.Option("--fail-percent", help="Share of instances (0-100) that never turn "
                                              "healthy on this version.")] = 0,
) -> None:
    """Publish a new version of a platform image SKU in one region, as its publisher would.

    Scale sets in that region with automatic OS upgrades enabled pick it up like Azure does.

    Example: vmss sim image publish -l eastus -p Canonical -f UbuntuServer -s 18.04-LTS --version 18.04.202406110
    """
    from vmss_cli.cli import context
    from vmss_cli.core.world import timeutil
    from vmss_cli.render import views
    from vmss_cli.service import simulator

    require({"--location/-l": location, "--publisher/-p": publisher, "--offer/-f": offer, "--sku/-s": sku,
             "--version": version})
    boot_seconds = timeutil.parse_duration(boot_time, "--boot-time") if boot_time is not None else None
    emit(views.az_form(simulator.publish_image(context.service(), location, publisher, offer, sku, version,
                                               boot_seconds, fail_percent)))

