"""`vmss rolling-upgrade start | get-latest | cancel` = `az vmss rolling-upgrade ...`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import Ids, NoWait, ResourceGroup, ScaleSetName, for_each_id, need_aaz
from vmss_cli.cli.context import emit

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


@app.command("start")
def start(resource_group: ResourceGroup = None, name: ScaleSetName = None, ids: Ids = None,
          no_wait: NoWait = False) -> None:
    """Start a rolling upgrade to move all VMs in the scale set to the latest image version.

    Instances already on the latest version are not touched. A manual start has no automatic
    rollback. Blocks until the rollout ends (the world clock advances); --no-wait returns at once.

    Example: vmss rolling-upgrade start -g myResourceGroup -n myScaleSet
    """
    from vmss_cli.cli import context
    from vmss_cli.errors import RolloutFailedError
    from vmss_cli.service import rolling_upgrades

    def one(rg: str | None, name: str | None) -> None:
        rg, name = need_aaz(rg, name)
        with watching(show=not no_wait) as watch:
            _, op = rolling_upgrades.start_os_upgrade(
                context.service(listeners=watch.listeners, interrupted=watch.interrupted), rg, name,
                wait=not no_wait)
        watch.check()
        if op["status"] == "Failed":  # az's poller raises the operation's error
            error = op["error"]
            raise RolloutFailedError(error["message"], code=error["code"])

    emit(for_each_id(ids, resource_group, name, one, aaz=True))


@app.command("get-latest")
def get_latest(resource_group: ResourceGroup = None, name: ScaleSetName = None, ids: Ids = None) -> None:
    """Get the status of the latest rolling upgrade.

    Example: vmss rolling-upgrade get-latest -g myResourceGroup -n myScaleSet --query runningStatus.code -o tsv
    """
    from vmss_cli.cli import reads

    reads.get_latest(resource_group, name, ids)


@app.command("cancel")
def cancel(resource_group: ResourceGroup = None, name: ScaleSetName = None, ids: Ids = None,
           no_wait: NoWait = False) -> None:
    """Cancel the current rolling upgrade: the batch in flight finishes, then it ends Cancelled.

    Example: vmss rolling-upgrade cancel -g myResourceGroup -n myScaleSet
    """
    from vmss_cli.cli import context
    from vmss_cli.service import rolling_upgrades

    def one(rg: str | None, name: str | None) -> None:
        rg, name = need_aaz(rg, name)
        with watching(show=not no_wait) as watch:
            rolling_upgrades.cancel(context.service(listeners=watch.listeners, interrupted=watch.interrupted), rg,
                                    name, wait=not no_wait)
        watch.check()

    emit(for_each_id(ids, resource_group, name, one, aaz=True))


@app.command("plan")
def plan(resource_group: ResourceGroup = None, name: ScaleSetName = None,
         target_version: Annotated[Optional[str], typer.Option("--target-version", help="Preview a release of this version (default: the latest already published).")] = None,
         assume_unhealthy: Annotated[Optional[int], typer.Option("--assume-unhealthy", help="Assume the first N instances to upgrade never turn healthy.")] = None,
         fail_percent: Annotated[Optional[int], typer.Option("--fail-percent", help="Assume this share of instances never turns healthy (seeded).")] = None,
         started_by: Annotated[Optional[str], typer.Option("--started-by", help="Platform (automatic, with rollback) or User (manual start). Default: Platform when automatic OS upgrade is on.")] = None,
         svg: Annotated[Optional[str], typer.Option("--svg", metavar="FILE", help="Also write the previewed rollout as an SVG timeline to FILE.", show_default=False)] = None) -> None:
    """Preview a rollout without changing anything: batches, timeline, and which stop rule trips.

    Runs the real engine on a copy of the state, so the preview matches what a rollout would do.

    Examples:
      vmss rolling-upgrade plan -g myResourceGroup -n myScaleSet --target-version 18.04.202406010 -o table
      vmss rolling-upgrade plan -g myResourceGroup -n myScaleSet --target-version 18.04.202406010 --assume-unhealthy 3
    """
    from vmss_cli.cli import context
    from vmss_cli.errors import CliError
    from vmss_cli.render import plan as plan_table
    from vmss_cli.service import simulator

    rg, name = need_aaz(resource_group, name)
    if assume_unhealthy is not None and fail_percent is not None:
        raise CliError("usage error: --assume-unhealthy and --fail-percent cannot be used together")
    from vmss_cli.cli.context import warn

    events: list[dict] = []
    result = simulator.plan(context.service(), rg, name, target_version, assume_unhealthy, fail_percent, started_by,
                            warn=warn, events=events)
    if svg is not None:
        from vmss_cli.render import redact, timeline

        timeline.write(svg, redact.value(events), f"vmss rolling-upgrade plan -g {rg} -n {name} (preview)")
    emit(result, plan_table.table)


class watching:
    """While a command runs the world: engine events as progress on stderr, and Ctrl-C as a
    request to stop between two events. The store then holds every event that ran and the queue
    the rest, as after a `--no-wait` (the rollout goes on, like an Azure operation az stopped
    waiting for); the command ends with exit code 130."""

    def __init__(self, show: bool = True) -> None:
        self.stop_requested = False
        self.show = show  # --no-wait prints nothing, as az does

    def interrupted(self) -> bool:
        return self.stop_requested

    def check(self) -> None:
        """Call after the transaction has committed."""
        if self.stop_requested:
            from vmss_cli.errors import CliError

            err = CliError("Operation cancelled. What ran so far is saved; the rolling upgrade goes on in the "
                           "emulated world (vmss sim clock advance, vmss rolling-upgrade get-latest).")
            err.exit_code = 130
            raise err

    def _on_sigint(self, signum, frame) -> None:
        self.stop_requested = True

    def __enter__(self):
        import signal
        import threading

        self._previous = None
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
        from vmss_cli.cli.context import progress_mode

        self.listeners = []  # handed to the world the command runs (service Context)
        self._listener = None
        mode = progress_mode() if self.show else None
        if mode == "live":
            import os

            from vmss_cli.render.progress import LiveView

            self._listener = LiveView(color="NO_COLOR" not in os.environ)
        elif mode == "lines":
            from vmss_cli.render.progress import plain

            self._listener = plain
        if self._listener is not None:
            self.listeners.append(self._listener)
        return self

    def __exit__(self, *exc) -> None:
        import signal

        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        if self._listener is not None:
            close = getattr(self._listener, "close", None)
            if close is not None:
                close(interrupted=self.stop_requested)
