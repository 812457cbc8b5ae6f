"""`vmss sim ...`: emulator-only controls (clock, image publishing, fault injection)."""

from __future__ import annotations

import importlib
from typing import Annotated, Optional

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


@app.command("events")
def events(resource_group: Annotated[Optional[str], typer.Option("--resource-group", "-g", help="Name of resource group.")] = None,
           name: Annotated[Optional[str], typer.Option("--name", "-n", help="Scale set name.")] = None,
           since: Annotated[Optional[str], typer.Option("--since", help="Only events at or after this world time (ISO 8601).")] = None,
           follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep printing new events as other commands move the world (Ctrl-C stops).")] = False) -> None:
    """Print a scale set's full rollout event log (batches, upgrades, health, rollbacks, stops).

    -o json prints one JSON object per line; -o table a readable log.

    Example: vmss sim events -g myResourceGroup -n myScaleSet --since 2026-01-01T01:00:00Z -o table
    """
    import json
    import sys
    import time

    from vmss_cli.cli import context
    from vmss_cli.cli.common import need_rg_name
    from vmss_cli.core import scaleset, timeutil
    from vmss_cli.render import redact
    from vmss_cli.render.output import render
    from vmss_cli.store.state import transaction

    rg, name = need_rg_name(resource_group, name)
    cutoff = timeutil.parse_time(since, "--since") if since else None
    shown = 0
    first = True
    while True:
        with transaction(write=False) as tx:
            log = scaleset.load(tx, rg, name).get("events", [])
        fresh = [e for e in log[shown:] if cutoff is None or timeutil.parse_time(e["time"]) >= cutoff]
        shown = len(log)
        out = context.GLOBALS.output
        if out in ("json", "jsonc") and context.GLOBALS.query is None:
            sys.stdout.write("".join(json.dumps(redact.value(e), sort_keys=True) + "\n" for e in fresh))
        elif out == "table" and context.GLOBALS.query is None:
            rows = [{"Time": e["time"], "Type": e["type"], "Message": redact.text(e["message"])} for e in fresh]
            text = render(rows, "table", None, None, color=False, preserve_order=True) if rows else ""
            if not first:  # one header for the whole follow session
                text = "".join(text.splitlines(keepends=True)[2:])
            sys.stdout.write(text)
        else:
            context.emit(fresh)
        sys.stdout.flush()
        first = first and not fresh
        if not follow:
            return
        time.sleep(0.5)  # wall-clock polling: another process moves the world
