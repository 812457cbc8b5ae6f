"""`vmss sim clock show | advance DURATION`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.context import emit

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


@app.command("show")
def show() -> None:
    """Show the world's time, seed and number of queued events."""
    from vmss_cli.cli import context
    from vmss_cli.service import world

    emit(world.clock_state(context.service()))


@app.command("advance")
def advance(duration: Annotated[Optional[str], typer.Argument(help="ISO 8601 (PT45M) or 45m, 2h, 1h30m, 90s.",
                                                               show_default=False)] = None) -> None:
    """Move the world on, running everything that falls due, in time order, across all scale sets.

    Example: vmss sim clock advance 1h
    """
    from vmss_cli.cli import context
    from vmss_cli.cli.context import require
    from vmss_cli.cli.rolling import watching
    from vmss_cli.core.world import timeutil
    from vmss_cli.service import world

    require({"DURATION": duration})
    seconds = timeutil.parse_duration(duration, "duration")
    with watching() as watch:
        result = world.advance(context.service(listeners=watch.listeners, interrupted=watch.interrupted), seconds)
    watch.check()
    emit(result)
