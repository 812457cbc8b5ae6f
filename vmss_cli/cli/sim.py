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
    app.add_typer(importlib.import_module(_module).app, name=_name, help=_help)


# `sim events` columns for tsv and table (az has no such command): the same fields on every row.
EVENT_COLUMNS = ("time", "type", "resourceGroup", "scaleSet", "operationId", "batch", "instances", "message")
TABLE_WIDTH = 120  # -o table: the message is shortened so that a row fits


@app.command("events")
def events(resource_group: Annotated[Optional[str], typer.Option("--resource-group", "-g", help="Name of resource group.", show_default=False)] = None,
           name: Annotated[Optional[str], typer.Option("--name", "-n", help="Scale set name.", show_default=False)] = None,
           since: Annotated[Optional[str], typer.Option("--since", help="Only events at or after this world time (ISO 8601).", show_default=False)] = None,
           follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep printing new events as other commands move the world (Ctrl-C stops).")] = False,
           svg: Annotated[Optional[str], typer.Option("--svg", metavar="FILE", help="Also write the rollouts as an SVG timeline to FILE.", show_default=False)] = None) -> None:
    """Print a scale set's full rollout event log (batches, upgrades, health, rollbacks, stops).

    -o json prints one JSON array; with --follow, one JSON object per line (JSON Lines) as events
    arrive. -o tsv prints the columns time, type, resourceGroup, scaleSet, operationId, batch,
    instances (space-separated), message on every row; -o table shortens the message to fit.
    --svg FILE draws each rollout: one row per instance, world time across.

    Examples:
      vmss sim events -g myResourceGroup -n myScaleSet -o table
      vmss sim events -g myResourceGroup -n myScaleSet --svg rollout.svg -o none
    """
    import json
    import sys
    import time

    from vmss_cli.cli import context
    from vmss_cli.cli.common import need_rg_name
    from vmss_cli.core.world import timeutil
    from vmss_cli.render import redact
    from vmss_cli.render.output import render
    from vmss_cli.service import simulator

    rg, name = need_rg_name(resource_group, name)
    cutoff = timeutil.parse_time(since, "--since") if since else None
    shown = 0
    first = True
    while True:
        log = simulator.events(context.service(), rg, name)
        fresh = [_fixed(e) for e in log[shown:] if cutoff is None or timeutil.parse_time(e["time"]) >= cutoff]
        shown = len(log)
        if svg is not None and first:
            from vmss_cli.render import timeline

            timeline.write(svg, redact.value(fresh), f"vmss sim events -g {rg} -n {name}")
        out, query = context.current().output, context.current().query
        if follow and out in ("json", "jsonc") and query is None:
            sys.stdout.write("".join(json.dumps(redact.value(e), sort_keys=True) + "\n" for e in fresh))
        elif out == "table" and query is None:
            text = render(_table_rows(fresh), "table", None, None, color=False,
                          preserve_order=True) if fresh else ""
            if not first:  # one header for the whole follow session
                text = "".join(text.splitlines(keepends=True)[2:])
            sys.stdout.write(text)
        elif out == "tsv" and query is None:
            sys.stdout.write(render([_tsv_row(e) for e in fresh], "tsv"))
        elif fresh or not follow:
            context.emit(fresh)
        sys.stdout.flush()
        first = first and not fresh
        if not follow:
            return
        time.sleep(0.5)  # wall-clock polling: another process moves the world


def _fixed(event: dict) -> dict:
    """Every event with the same fields: batch and instances are null/empty where they do not apply."""
    return {"batch": None, "instances": [], **event}


def _tsv_row(event: dict) -> dict:
    from collections import OrderedDict

    row = OrderedDict((key, event.get(key)) for key in EVENT_COLUMNS)
    row["instances"] = " ".join(event["instances"])
    row["batch"] = "" if event["batch"] is None else event["batch"]
    return row


def _table_rows(events: list[dict]) -> list[dict]:
    from vmss_cli.render import redact

    rows = [{"Time": e["time"], "Type": e["type"], "Batch": "" if e["batch"] is None else e["batch"],
             "Instances": " ".join(e["instances"]), "Message": redact.text(e["message"])} for e in events]
    widths = [max(len(key), *(len(str(r[key])) for r in rows)) for key in ("Time", "Type", "Batch", "Instances")]
    room = max(30, TABLE_WIDTH - sum(widths) - 2 * len(widths))
    for row in rows:
        if len(row["Message"]) > room:
            row["Message"] = row["Message"][:room - 1] + "…"
    return rows
