"""The world: its clock, its seed and its event queue, kept in `$VMSS_HOME/world.json`.

World time only moves when a command advances it (a blocking rollout, `vmss sim clock advance`).
The start time and seed are fixed when the world is first written, from VMSS_START_TIME /
VMSS_SEED, else `[sim] start_time` / `seed` in config.toml, else the wall clock and seed 0; so is
the store's one subscription id (`[sim] subscription`, else all zeros).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

import os
import time

from vmss_cli.core.world import timeutil
from vmss_cli.store import kinds, paths
from vmss_cli.store.state import Transaction

DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"


def load(tx: Transaction) -> Document:
    """The world document; a new one (not yet saved) when the store has none."""
    doc: Document | None = tx.load(paths.world_file(tx.root), "world")
    if doc is None:
        doc = _new_world(tx)
        tx.keep(paths.world_file(tx.root), doc)  # later loads see the same object
    return doc


def save(tx: Transaction, world: Document) -> None:
    tx.save(paths.world_file(tx.root), world)


def now(tx: Transaction) -> int:
    return int(load(tx)["now"])


def seed(tx: Transaction) -> int:
    return int(load(tx)["seed"])


def drop_events(tx: Transaction, rg: str, name: str | None = None) -> None:
    """A deleted scale set's queued events (rollout steps, automatic-upgrade pickups), or with no
    name everything queued in a deleted group, go with it: a set re-created under the same name
    must never receive them (they wedged the queue when its new rollout had the same id)."""
    world = load(tx)
    rg = rg.lower()
    kept = [e for e in world.get("queue", []) if e["rg"].lower() != rg or
            (name is not None and (e["name"].lower() != name.lower() or e["kind"].startswith("gallery.")))]
    if len(kept) != len(world.get("queue", [])):
        world["queue"] = kept
        save(tx, world)


def pending_events(world: Document) -> int:
    """The events queued, an instance event (core.world.events.Sim.schedule_instance) counted once for
    each of its instances: what the queue held when each instance had its own event."""
    count = 0
    for event in world.get("queue", []):
        instances = (event.get("data") or {}).get("instances")
        count += len(instances) if isinstance(instances, list) and instances else 1
    return count


def next_sequence(world: Document) -> int:
    sequence = int(world.get("sequence", 0)) + 1
    world["sequence"] = sequence
    return sequence


def _new_world(tx: Transaction) -> Document:
    sim = _sim_config(tx)
    # Name the place a bad value came from: the environment wins over config.toml.
    start_source = "VMSS_START_TIME" if os.environ.get("VMSS_START_TIME") else "[sim] start_time in config.toml"
    # An empty variable counts as unset, for both (as a shell's `VMSS_SEED= vmss …` means).
    seed_source = "VMSS_SEED" if os.environ.get("VMSS_SEED") else "[sim] seed in config.toml"
    start = os.environ.get("VMSS_START_TIME") or sim.get("start_time")
    seed_text = os.environ.get("VMSS_SEED") or sim.get("seed", 0)
    start_epoch = timeutil.parse_time(str(start), start_source) if start else int(time.time())
    try:
        seed_value = int(seed_text)
    except (TypeError, ValueError):
        from vmss_cli.errors import InvalidParameterError
        raise InvalidParameterError(f"The seed '{seed_text}' is not an integer.", target=seed_source) from None
    doc = _document(start_epoch, seed_value)
    if sim.get("subscription"):
        doc["subscription"] = str(sim["subscription"]).lower()
    return doc


def subscription(tx: Transaction) -> str:
    """The store's one subscription: `[sim] subscription` when the store was first written, else
    00000000-0000-0000-0000-000000000000. Every id the store prints is built with it."""
    return load(tx).get("subscription") or DEFAULT_SUBSCRIPTION


def create(tx: Transaction, start_epoch: int, seed_value: int) -> Document:
    """A new world with this start and seed whatever the environment says (`vmss demo`'s own store)."""
    doc = _document(start_epoch, seed_value)
    save(tx, doc)
    return doc


def _document(start_epoch: int, seed_value: int) -> Document:
    return {"schemaVersion": kinds.KINDS["world"].schema_version, "now": start_epoch, "startTime": start_epoch,
            "seed": seed_value, "sequence": 0, "queue": []}


def _sim_config(tx: Transaction) -> Document:
    from vmss_cli.store import config

    sim: Document = config.load(tx.root).get("sim", {})
    return sim
