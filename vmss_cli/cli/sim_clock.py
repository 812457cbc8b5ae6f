"""`vmss sim clock show | advance DURATION`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.context import emit

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


def _clock(world: dict) -> dict:
    from vmss_cli.core.world import timeutil

    return {"now": timeutil.format_time(world["now"]), "seed": world["seed"],
            "startTime": timeutil.format_time(world["startTime"]), "pendingEvents": len(world.get("queue", []))}


@app.command("show")
def show() -> None:
    """Show the world's time, seed and number of queued events."""
    from vmss_cli.core.world import clock as world
    from vmss_cli.store.state import transaction

    with transaction(write=False) as tx:
        emit(_clock(world.load(tx)))


@app.command("advance")
def advance(duration: Annotated[Optional[str], typer.Argument(help="ISO 8601 (PT45M) or 45m, 2h, 1h30m, 90s.",
                                                               show_default=False)] = None) -> None:
    """Move the world on, running everything that falls due, in time order, across all scale sets.

    Example: vmss sim clock advance 1h
    """
    from vmss_cli.cli.context import require
    from vmss_cli.cli.rolling import watching
    from vmss_cli.core.rollout import rollouts
    from vmss_cli.core.world import timeutil, clock as world
    from vmss_cli.store.state import transaction

    require({"DURATION": duration})
    seconds = timeutil.parse_duration(duration, "duration")
    with watching() as watch, transaction() as tx:
        rollouts.advance(tx, seconds, interrupted=watch.interrupted, listeners=watch.listeners)
        result = _clock(world.load(tx))
    watch.check()
    emit(result)
