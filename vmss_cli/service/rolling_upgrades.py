"""Microsoft.Compute/virtualMachineScaleSets rolling upgrades: POST osRollingUpgrade, POST
rollingUpgrades/cancel, GET rollingUpgrades/latest, GET osUpgradeHistory, POST approveRollingUpgrade.

The POST actions are long-running: they answer 202 with the operation record (service.operations).
The service never sleeps; with `wait=True` the world runs until the operation ends, which is what a
client's polling would see in the emulated world (`ctx.interrupted()` stops the wait between events).
"""

from __future__ import annotations

from vmss_cli.core.resources import scaleset
from vmss_cli.core.rollout import history
from vmss_cli.core.world import clock
from vmss_cli.service import operations
from vmss_cli.service.context import Context

TYPE_CHECKING = False  # the GETs are read commands: typing and the engine stay off their start-up path
if TYPE_CHECKING:
    from vmss_cli.core.arm.document_types import RollingUpgradeStatus, UpgradeHistoryEntry
    from vmss_cli.core.arm.documents import Document


def start_os_upgrade(ctx: Context, rg: str, name: str, *, wait: bool = False) -> tuple[int, Document]:
    """POST osRollingUpgrade (startedBy User)."""
    from vmss_cli.core.rollout import rollouts  # the engine: only the POSTs run it

    with ctx.transaction() as tx:
        op = rollouts.start(tx, rg, name, wait=wait, interrupted=ctx.interrupted, listeners=ctx.listeners)
        return 202, operations.record(ctx, scaleset.load(tx, rg, name), op)


def cancel(ctx: Context, rg: str, name: str, *, wait: bool = False) -> tuple[int, Document]:
    """POST rollingUpgrades/cancel: the batch in flight finishes, then the rollout ends Cancelled."""
    from vmss_cli.core.rollout import rollouts  # the engine: only the POSTs run it

    with ctx.transaction() as tx:
        op = rollouts.cancel(tx, rg, name, wait=wait, interrupted=ctx.interrupted, listeners=ctx.listeners)
        return 202, operations.record(ctx, scaleset.load(tx, rg, name), op)


def latest(ctx: Context, rg: str, name: str) -> RollingUpgradeStatus:
    """GET rollingUpgrades/latest: RollingUpgradeStatusInfo (404 NotFound when none ever ran)."""
    with ctx.transaction(write=False) as tx:
        return history.latest_status(scaleset.load(tx, rg, name))


def os_upgrade_history(ctx: Context, rg: str, name: str) -> list[UpgradeHistoryEntry]:
    """GET osUpgradeHistory: the last five OS upgrades within two months of world time, newest first."""
    with ctx.transaction(write=False) as tx:
        return history.history(scaleset.load(tx, rg, name), clock.now(tx))


def approve(ctx: Context, rg: str, name: str, instance_ids: list[str] | None) -> tuple[int, list[str]]:
    """POST approveRollingUpgrade: release instances whose OS upgrade was deferred."""
    from vmss_cli.core.rollout import rollouts

    with ctx.transaction() as tx:
        return 200, rollouts.approve(tx, rg, name, instance_ids, listeners=ctx.listeners)
