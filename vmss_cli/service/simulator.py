"""The emulator's own control plane (not ARM): the store's subscription, a new world, the event queue,
forced instance health, a scale set's event log, publishing an image version, the rollout preview,
the regions, and the check of the state files `diagnose` runs. The world's clock is service.world.
"""

from __future__ import annotations

from vmss_cli.service.context import Context

TYPE_CHECKING = False  # typing stays off a read command's start-up path
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Callable

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.errors import StoreError


def store_subscription(root: Path) -> str:
    """The store's one subscription, fixed when it is first written (`[sim] subscription`, else all zeros)."""
    return Context(root, subscription=None).subscription


def start_world(ctx: Context, start_epoch: int, seed: int) -> None:
    """A new world at this start time and seed, whatever the environment says (`vmss demo`'s own store)."""
    from vmss_cli.core.world import clock

    with ctx.transaction() as tx:
        clock.create(tx, start_epoch, seed)


def queued(ctx: Context, kind: str | None = None) -> list[int]:
    """World times (epoch seconds) of the queued events (of one kind, e.g. `platform.osUpgrade`), soonest first."""
    from vmss_cli.core.world import clock

    with ctx.transaction(write=False) as tx:
        queue = clock.load(tx).get("queue") or []
    return sorted(int(e["at"]) for e in queue if kind is None or e["kind"] == kind)


def next_event(ctx: Context) -> int | None:
    """World time of the next queued event, or None (serve's on-poll clock)."""
    times = queued(ctx)
    return times[0] if times else None


def set_health(ctx: Context, rg: str, name: str, instance_ids: list[str], state: str,
               until: str = "cleared") -> list[Document]:
    """Force the health instances report (`*` for all); `until` cleared or upgrade. [{instanceId, healthState}]."""
    from vmss_cli.core.rollout import faults

    with ctx.transaction() as tx:
        return faults.set_health(tx, rg, name, instance_ids, state, until)


def events(ctx: Context, rg: str, name: str) -> list[Document]:
    """A scale set's rollout event log, oldest first."""
    from vmss_cli.core.rollout import eventlog

    with ctx.transaction(write=False) as tx:
        return eventlog.read(tx, rg, name)


def publish_image(ctx: Context, location: str, publisher: str, offer: str, sku: str, version: str,
                  boot_seconds: int | None = None, fail_percent: int = 0) -> Document:
    """A publisher releases a version (service.world.publish_image; the catalog's 60 s boot time when
    `boot_seconds` is None): the VirtualMachineImage it is now."""
    from vmss_cli.core.resources import catalog
    from vmss_cli.service import world

    boot = catalog.DEFAULT_BOOT_SECONDS if boot_seconds is None else boot_seconds
    record = world.publish_image(ctx, location, publisher, offer, sku, version, boot, fail_percent)
    entry = catalog.find_sku(record["publisher"], record["offer"], record["sku"])
    assert entry is not None  # publish refuses a SKU the catalog does not have
    return catalog.image_version(ctx.subscription, record["location"], entry, record["version"])


def locations() -> tuple[str, ...]:
    """The regions the store accepts (Azure's public regions)."""
    from vmss_cli.core.resources.regions import PUBLIC_REGIONS

    return PUBLIC_REGIONS


def plan(ctx: Context, rg: str, name: str, target_version: str | None, assume_unhealthy: int | None,
         fail_percent: int | None, started_by: str | None, warn: Callable[[str], None],
         events: list[Document] | None = None) -> Document:
    """What a rollout would do (the real engine on a copy that is never committed): batches, timeline,
    result. `warn` hears when Azure would refuse the model; `events` receives the engine's events."""
    from vmss_cli.core.rollout import preview

    result: Document = preview.plan(ctx.root, rg, name, target_version, assume_unhealthy, fail_percent, started_by,
                                    warn=warn, events=events)
    return result


def bad_state_file(ctx: Context) -> StoreError | None:
    """The first state file vmss could not have written (its kind's shape, a scale set model's JSON
    types), as the error to report; None when every file is sound."""
    import copy

    from vmss_cli.core.resources import validation
    from vmss_cli.errors import StoreError, VmssError
    from vmss_cli.store import files, kinds

    try:
        listed = kinds.state_files(ctx.root)
    except OSError:
        return None
    for path, kind in listed:
        try:
            doc = files.read_json(path, kind)
        except StoreError as exc:
            return exc
        if doc is None:
            continue
        problem = kinds.deep_problem(doc, kind)
        if problem is None and kind == "scaleSet":
            try:
                validation.check_types(copy.deepcopy(doc["scaleSet"]))
            except VmssError as exc:
                problem = exc.message.rstrip(".")
            except Exception:  # noqa: BLE001 (a model too broken to check is broken)
                problem = "its model cannot be read"
        if problem is not None:
            error: StoreError = kinds.error(path, kind, problem)
            return error
    return None
