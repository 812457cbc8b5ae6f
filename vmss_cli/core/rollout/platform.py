"""The platform side of automatic OS image upgrades: when a publisher releases a newer version
in a region, every scale set there that runs that image with `version: latest` and
automaticOSUpgradePolicy.enableAutomaticOSUpgrade gets a Platform-started rollout.

Timing (the seed): subsequent rollouts are picked up 30-60 minutes after the release; the first
rollout may take up to 3 hours after the set is first configured (once per set), counted from the
configuration, so a first release long after it is picked up in 30-60 minutes too. Delays are drawn from
the world's seed. Eligibility is checked again when the rollout falls due, so a set that opted
out meanwhile is left alone (its pending rollout is cancelled).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document
    from vmss_cli.core.arm.document_types import ImageEntry, VersionRecord

from vmss_cli.core.rollout import engine, policy
from vmss_cli.core.resources import gallery, groups, scaleset
from vmss_cli.core.world import rng
from vmss_cli.errors import NotFoundError, VmssError
from vmss_cli.core.world.events import Sim
from vmss_cli.store import paths
from vmss_cli.store.state import Transaction
from vmss_cli.core.arm import ids
from vmss_cli.core.resources import model

PICKUP_MIN_SECONDS = 30 * 60
PICKUP_MAX_SECONDS = 60 * 60
FIRST_PICKUP_MAX_SECONDS = 3 * 3600
RETRY_SECONDS = 30 * 60  # a rollout already running: look again later


def eligible(doc: Document, record: Document | None = None) -> bool:
    arm = doc["scaleSet"]
    ref = model.image_reference(arm)
    if not policy.auto_os_policy(arm).get("enableAutomaticOSUpgrade"):
        return False
    if not gallery.tracks_latest(ref):  # version 'latest', or a gallery image definition id
        return False
    if record is None:
        return True
    return (arm["location"] == record["location"]
            and (ref.get("publisher", "").lower(), ref.get("offer", "").lower(), ref.get("sku", "").lower())
            == (record["publisher"].lower(), record["offer"].lower(), record["sku"].lower()))


def on_image_published(sim: Sim, record: Document) -> list[str]:
    """Queue a Platform rollout on every eligible set; returns their ids. A set's model alone says
    whether it is eligible: only those sets are read whole (and written)."""
    tx = sim.tx
    queued = []
    for group in groups.list_all(tx):
        for path in tx.list_files(paths.scale_sets_dir(tx.root, group["name"]), "*.json"):
            try:
                arm = tx.peek(path, "scaleSet", "scaleSet")
                candidate = arm is not None and eligible({"scaleSet": arm}, record)
            except Exception:  # noqa: BLE001 (a hand-edited file: the whole read below reports it)
                candidate = True
            doc = tx.load(path, "scaleSet") if candidate else None
            if doc and eligible(doc, record):
                queued.append(schedule(sim, doc, record["version"]))
    return queued


def schedule(sim: Sim, doc: Document, version: str) -> str:
    """Queue one pickup per set: a pickup already pending rolls out whatever is latest when it
    falls due, so a second release before then needs no second pickup."""
    arm = doc["scaleSet"]
    rg = ids.resource_group(arm["id"])
    if any(e["kind"] == "platform.osUpgrade" and e["rg"].lower() == rg.lower()
           and e["name"].lower() == arm["name"].lower() for e in sim.queued()):
        return str(arm["id"])
    state = doc.setdefault("autoOSUpgrade", {})
    due = sim.now + rng.between(sim.seed, PICKUP_MIN_SECONDS, PICKUP_MAX_SECONDS, arm["id"], "pickup", version)
    if not state.get("firstRolloutDone"):
        # The seed: the first rollout may take up to 3 hours "after the scale set is first configured
        # for automatic OS upgrades" -- counted from then, not from the release. A release long after
        # that is picked up like any later one.
        first = configured_at(doc) + rng.between(sim.seed, PICKUP_MIN_SECONDS, FIRST_PICKUP_MAX_SECONDS, arm["id"],
                                                 "pickup", version)
        due = max(due, first)
    sim.schedule(due, "platform.osUpgrade", rg, arm["name"], version=version)
    state["scheduledVersion"] = version
    scaleset.save(sim.tx, doc)
    return str(arm["id"])


def on_due(sim: Sim, event: Document) -> None:
    try:
        doc = scaleset.load(sim.tx, event["rg"], event["name"])
    except NotFoundError:
        return
    if not eligible(doc):
        return  # opted out (or pinned a version) since the release
    arm = doc["scaleSet"]
    if engine.running_operation(doc):
        sim.schedule(sim.now + RETRY_SECONDS, "platform.osUpgrade", event["rg"], event["name"], **event["data"])
        return
    try:
        target, _ = engine.target_version(sim.tx, arm)
    except VmssError:
        return
    if all(i["osDisk"]["imageReference"].get("exactVersion") == target["version"] for i in doc["instances"]):
        return  # already there (a manual start got ahead of the platform)
    state = doc.setdefault("autoOSUpgrade", {})
    if target["version"] in state.get("attemptedVersions", []):
        return  # the platform tries a version once; a user can retry with rolling-upgrade start
    state["firstRolloutDone"] = True
    state["attemptedVersions"] = state.get("attemptedVersions", []) + [target["version"]]
    engine.start(sim, doc, "Platform")
    scaleset.save(sim.tx, doc)



def configured_at(doc: Document) -> int:
    """When the set was first configured for automatic OS upgrades: recorded by on_enabled, else
    (enabled at creation) the set's creation time."""
    from vmss_cli.core.world import timeutil

    state = doc.get("autoOSUpgrade") or {}
    if state.get("configuredAt") is not None:
        return int(state["configuredAt"])
    created = doc["scaleSet"]["properties"].get("timeCreated")
    return timeutil.parse_time(created) if created else 0


def on_enabled(sim: Sim, doc: Document) -> None:
    """A set just configured for automatic OS upgrades that is behind the latest version gets
    its (first) rollout within the one-time delay of up to 3 hours."""
    doc.setdefault("autoOSUpgrade", {}).setdefault("configuredAt", sim.now)
    try:
        target, _ = engine.target_version(sim.tx, doc["scaleSet"])
    except VmssError:
        return
    if any(i["osDisk"]["imageReference"].get("exactVersion") != target["version"] for i in doc["instances"]):
        schedule(sim, doc, target["version"])


def on_disabled(sim: Sim, doc: Document) -> int:
    """Opting out cancels a pickup that has not started yet (a running rollout goes on, as in Azure)."""
    rg = ids.resource_group(doc["scaleSet"]["id"]).lower()
    name = doc["scaleSet"]["name"].lower()
    return sim.cancel(lambda e: e["kind"] == "platform.osUpgrade" and e["rg"].lower() == rg
                      and e["name"].lower() == name)


def on_gallery_replicated(sim: Sim, event: Document) -> None:
    """The `gallery.replicated` event: the gallery records the region, then scale sets that follow
    the definition hear of the new version."""
    done = gallery.on_replicated(sim, event)
    if done is not None:
        _announce(sim, *done)


def update_gallery_version(sim: Sim, rg: str, gallery_name: str, image: str, version: str, *,
                           target_regions: list[Document] | None = None, replica_count: int | None = None,
                           exclude_from_latest: bool | None = None) -> VersionRecord:
    """PATCH a gallery image version (core.resources.gallery.update_version); a version released from
    excludeFromLatest is offered to the scale sets where it is replicated."""
    record, entry, released = gallery.update_version(sim, rg, gallery_name, image, version,
                                                     target_regions=target_regions, replica_count=replica_count,
                                                     exclude_from_latest=exclude_from_latest)
    for region in released:
        _announce(sim, entry, record, region)
    return record


def _announce(sim: Sim, entry: ImageEntry, record: VersionRecord, region: str) -> None:
    """The version is now available in `region`: scale sets there that follow the definition with
    automatic OS upgrades get a Platform rollout (this module times the pickup)."""
    if record["version"]["properties"]["publishingProfile"].get("excludeFromLatest"):
        return  # excluded versions never roll out through automatic OS upgrades
    latest = gallery.latest_version(entry, region)
    if latest is None or latest["version"]["name"] != record["version"]["name"]:
        return  # a higher version is already the latest there
    definition_id = entry["image"]["id"]
    for group in groups.list_all(sim.tx):
        for doc in scaleset.list_docs(sim.tx, group["name"]):
            arm = doc["scaleSet"]
            ref = model.image_reference(arm)
            if arm["location"] == region and gallery.same_definition(ref.get("id"), definition_id) \
                    and eligible(doc):
                schedule(sim, doc, record["version"]["name"])
