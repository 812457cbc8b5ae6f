"""`vmss sim ...`: emulator-only controls (clock, image publishing, fault injection)."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

# Sub-groups, each in its own module exposing `app`.
for _name, _module, _help in (
        ("clock", "vmss_cli.cli.sim_clock", "Show or advance the world's simulated clock."),
        ("image", "vmss_cli.cli.sim_image", "Publish platform image versions (a publisher's release)."),
        ("health", "vmss_cli.cli.sim_health", "Inject instance health (maintenance, app failures)."),
        ("service-fabric", "vmss_cli.cli.sim_service_fabric", "Declare a Service Fabric cluster's durability."),
):
    try:
        app.add_typer(importlib.import_module(_module).app, name=_name, help=_help)
    except ModuleNotFoundError as _exc:
        if _exc.name != _module:
            raise
