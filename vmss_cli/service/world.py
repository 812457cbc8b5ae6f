"""The emulated world's own operations (not ARM): its clock, and what happens outside the
subscription -- a publisher releasing an image, a Service Fabric cluster's durability."""

from __future__ import annotations

from vmss_cli.core.arm.documents import Document

from vmss_cli.core.rollout import rollouts
from vmss_cli.core.world import clock
from vmss_cli.service.context import Context


def clock_state(ctx: Context) -> Document:
    """{"now", "seed", "startTime", "pendingEvents"}: the world's clock, times in ISO 8601."""
    with ctx.transaction(write=False) as tx:
        return _state(clock.load(tx))


def advance(ctx: Context, seconds: int) -> Document:
    """Run every event due in the next `seconds` of world time; the clock after. When
    `ctx.interrupted()` the clock stays at the last event that ran and the rest stays queued."""
    with ctx.transaction() as tx:
        rollouts.advance(tx, seconds, interrupted=ctx.interrupted, listeners=ctx.listeners)
        return _state(clock.load(tx))


def _state(world: Document) -> Document:
    from vmss_cli.core.world import timeutil

    return {"now": timeutil.format_time(world["now"]), "seed": world["seed"],
            "startTime": timeutil.format_time(world["startTime"]), "pendingEvents": clock.pending_events(world)}


def publish_image(ctx: Context, location: str, publisher: str, offer: str, sku: str, version: str,
                  boot_seconds: int, fail_percent: int) -> Document:
    """A publisher releases a platform image version; the catalog record."""
    with ctx.transaction() as tx:
        return rollouts.publish_image(tx, location, publisher, offer, sku, version, boot_seconds, fail_percent)


def set_service_fabric_cluster(ctx: Context, rg: str, name: str, durability: str, cluster_name: str | None) -> Document:
    with ctx.transaction() as tx:
        return rollouts.set_service_fabric_cluster(tx, rg, name, durability, cluster_name)
