"""Rollout operations as the REST API exposes them: start (osRollingUpgrade), cancel,
approveRollingUpgrade — and advancing the world clock. The read side (rollingUpgrades/latest,
osUpgradeHistory) is core.history, re-exported here."""

from __future__ import annotations

from vmss_cli.core.rollout import engine
from vmss_cli.core.resources import scaleset
from vmss_cli.core.rollout.history import history as history, latest_status as latest_status  # re-exported
from vmss_cli.core.rollout.handlers import open_world
from vmss_cli.core.world import timeutil
from vmss_cli.errors import InvalidParameterError

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document
    from typing import Callable, Sequence

    from vmss_cli.core.world.events import Listener
    from vmss_cli.store.state import Transaction


def start(tx: Transaction, rg: str, name: str, wait: bool, started_by: str = "User",
          interrupted: Callable[[], bool] = lambda: False, listeners: Sequence[Listener] = ()) -> Document:
    """POST osRollingUpgrade. With `wait`, the world runs until the rollout ends (az blocks).
    `interrupted()` is checked between events: the wait stops, and what ran so far is kept."""
    sim = open_world(tx, listeners)
    doc = scaleset.load(tx, rg, name)
    op = engine.start(sim, doc, started_by)
    scaleset.save(tx, doc)
    if wait:
        sim.run(until=None, stop=lambda: op["status"] in engine.TERMINAL or interrupted())
    sim.close()
    return op


def cancel(tx: Transaction, rg: str, name: str, wait: bool, interrupted: Callable[[], bool] = lambda: False,
           listeners: Sequence[Listener] = ()) -> Document:
    sim = open_world(tx, listeners)
    doc = scaleset.load(tx, rg, name)
    op = engine.cancel(sim, doc)
    scaleset.save(tx, doc)
    if wait:
        sim.run(until=None, stop=lambda: op["status"] in engine.TERMINAL or interrupted())
    sim.close()
    return op


def advance(tx: Transaction, seconds: int, interrupted: Callable[[], bool] = lambda: False,
            listeners: Sequence[Listener] = ()) -> int:
    """Run everything due in the next `seconds` of world time. When interrupted, the clock stays
    at the last event that ran; the rest is still queued."""
    sim = open_world(tx, listeners)
    if sim.now + seconds > timeutil.MAX_EPOCH:  # the range a start time may have: events must stay printable
        raise InvalidParameterError(
            f"Advancing the world clock by {seconds} seconds would move it past "
            f"{timeutil.format_time(timeutil.MAX_EPOCH)}, the end of the years 1970-2199 it covers.",
            target="duration")
    sim.run(until=sim.now + seconds, stop=interrupted)
    sim.close()
    return sim.now


def approve(tx: Transaction, rg: str, name: str, instance_ids: list[str] | None,
            listeners: Sequence[Listener] = ()) -> list[str]:
    """POST approveRollingUpgrade (osRollingUpgradeDeferral): release deferred instances."""
    sim = open_world(tx, listeners)
    doc = scaleset.load(tx, rg, name)
    released = engine.approve(sim, doc, instance_ids)
    scaleset.save(tx, doc)
    sim.close()
    return released


def publish_image(tx: Transaction, location: str, publisher: str, offer: str, sku: str, version: str,
                  boot_seconds: int, fail_percent: int) -> Document:
    """A publisher releases a platform image version in one region (`vmss sim image publish`): the
    catalog records it, stamped with world time, and the platform schedules the pickup on every scale
    set there with automatic OS upgrades. Returns the catalog record."""
    from vmss_cli.core.resources import catalog
    from vmss_cli.core.rollout import platform
    from vmss_cli.core.world import clock

    record = catalog.publish(tx, location, publisher, offer, sku, version, boot_seconds, fail_percent, clock.now(tx))
    sim = open_world(tx)  # saved on close: the release fixes the world's start time now
    platform.on_image_published(sim, record)
    sim.close()
    return record


def set_service_fabric_cluster(tx: Transaction, rg: str, name: str, durability: str,
                               cluster_name: str | None) -> Document:
    """Declare the cluster-side durability of the node type a scale set backs (`vmss sim service-fabric set`)."""
    from vmss_cli.core.rollout import service_fabric

    doc = scaleset.load(tx, rg, name)
    cluster = service_fabric.set_cluster(doc, durability, cluster_name)
    scaleset.save(tx, doc)
    return cluster
