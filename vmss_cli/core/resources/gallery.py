"""Azure Compute Gallery (Shared Image Gallery, `az sig`): galleries, image definitions, image
versions, and the replication of versions to their target regions on the world clock.

The seed ("Automatic OS image upgrade for custom images"): a scale set whose imageReference.id is a
gallery image *definition* tracks the definition's latest version; automatic OS upgrades roll a
new version out to the set once the version has replicated to the set's region, unless the version
is excluded from latest. A *version* id pins the set; other custom images (managed images) cannot
enable automatic OS upgrade.

Replication timing (README "Timing model"): REPLICATION_SECONDS (20 minutes) per target region,
one region after another: the version's own region first, then the others in the order given.
A version counts as available in a region once its replication there completed
(`gallery.replicated` events on the world queue). `vmss sig image-version create/update` block
until every region is done, as az's long-running operation does; `--no-wait` returns at once.

Store: one file per gallery, `resourceGroups/<rg>/galleries/<gallery>.json`:
    gallery   the gallery in ARM form
    images    {definition name lower-cased: {"image": ARM form, "versions": {name: version record}}}
A version record: {"version": ARM form, "regions": {region: {"start", "done", "state"}},
"fault": {"bootSeconds", "failPercent"}} (the fault profile is the emulator's, as for
`vmss sim image publish`).
"""

from __future__ import annotations

from vmss_cli.store import names
from vmss_cli.core.world import timeutil, clock as world
from vmss_cli.errors import ConflictError, InvalidParameterError, NotFoundError, UsageError
from vmss_cli.core.world.events import Sim
from vmss_cli.store import paths
from vmss_cli.store.state import Transaction
from vmss_cli.core.arm import ids
from vmss_cli.core.resources import model

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from pathlib import Path

    from vmss_cli.core.arm.document_types import (
        CatalogSku, GalleryFile, GalleryImage, GalleryImageVersion, ImageEntry, ImageReference, VersionRecord)
    from vmss_cli.core.arm.documents import Document

GALLERY_TYPE = "Microsoft.Compute/galleries"
IMAGE_TYPE = "Microsoft.Compute/galleries/images"
VERSION_TYPE = "Microsoft.Compute/galleries/images/versions"
REPLICATION_SECONDS = 20 * 60
DEFAULT_BOOT_SECONDS = 60
STORAGE_ACCOUNT_TYPES = ("Standard_LRS", "Standard_ZRS", "Premium_LRS")
OS_TYPES = ("Linux", "Windows")
OS_STATES = ("Generalized", "Specialized")
HYPER_V_GENERATIONS = ("V1", "V2")
# The service answers with display names in targetRegions and replicationStatus.
REGION_DISPLAY = {"centralus": "Central US", "eastus": "East US", "eastus2": "East US 2",
                  "northeurope": "North Europe", "southeastasia": "Southeast Asia", "westeurope": "West Europe",
                  "westus": "West US", "westus2": "West US 2"}



# ---- names and ids ---------------------------------------------------------------------------------

# Gallery names become file names: their rules are the store's (store/names.py).
validate_gallery_name = names.validate_gallery_name
validate_image_name = names.validate_gallery_image_name
validate_version_name = names.validate_gallery_image_version_name


def version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split("."))


def gallery_id(subscription: str, rg: str, gallery: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{rg}/providers/{GALLERY_TYPE}/{gallery}"


def parse_id(text: str | None) -> Document | None:
    """{"sub", "rg", "gallery", "image", "version"|None} for a gallery image definition or version id."""
    rid = _compute_id(text)
    types = tuple(t.lower() for t in rid.types) if rid else ()
    if rid is None or types not in (("galleries", "images"), ("galleries", "images", "versions")):
        return None
    return {"sub": rid.subscription, "rg": rid.resource_group, "gallery": rid.names[0], "image": rid.names[1],
            "version": rid.names[2] if len(rid.names) == 3 else None}


def is_managed_image_id(text: str | None) -> bool:
    rid = _compute_id(text)
    return rid is not None and tuple(t.lower() for t in rid.types) == ("images",)


def _compute_id(text: str | None) -> ids.ResourceId | None:
    """A Microsoft.Compute resource id (one trailing slash allowed, as ARM does)."""
    if isinstance(text, str) and text.endswith("/"):
        text = text[:-1]
    rid = ids.parse(text)
    return rid if rid is not None and rid.namespace.lower() == "microsoft.compute" else None


def tracks_latest(ref: Document) -> bool:
    """An image reference that follows its image's latest version: a platform image with version
    'latest', or a gallery image definition id (a version id pins)."""
    if ref.get("id"):
        parsed = parse_id(ref["id"])
        return parsed is not None and parsed["version"] is None
    return str(ref.get("version", "")).lower() == "latest"


def same_definition(image_id: str | None, definition_id: str) -> bool:
    a, b = parse_id(image_id), parse_id(definition_id)
    return a is not None and b is not None and a["version"] is None and all(
        a[k].lower() == b[k].lower() for k in ("sub", "rg", "gallery", "image"))


def display_region(region: str) -> str:
    return REGION_DISPLAY.get(region, region)


def _not_found(rg: str, what: str) -> NotFoundError:
    return NotFoundError(f"The Resource '{what}' under resource group '{rg}' was not found. "
                         "For more details please go to https://aka.ms/ARMResourceNotFoundFix")


# ---- the store -------------------------------------------------------------------------------------

def _path(tx: Transaction, rg: str, gallery: str) -> Path:
    return paths.gallery_file(tx.root, rg, gallery)


def load(tx: Transaction, rg: str, gallery: str) -> GalleryFile:
    """The gallery file; ResourceGroupNotFound / ResourceNotFound as ARM answers."""
    from vmss_cli.core.resources import groups

    names.validate_resource_group(rg)
    validate_gallery_name(gallery)
    doc: GalleryFile | None = tx.load(_path(tx, rg, gallery), "gallery")
    if doc is None:
        groups.get(tx, rg)
        raise _not_found(rg, f"{GALLERY_TYPE}/{gallery}")
    return doc


def save(tx: Transaction, doc: GalleryFile) -> None:
    arm = doc["gallery"]
    tx.save(_path(tx, ids.resource_group(arm["id"]), arm["name"]), doc)


def list_docs(tx: Transaction, rg: str | None) -> list[GalleryFile]:
    from vmss_cli.core.resources import groups

    docs: list[GalleryFile] = groups.resource_docs(tx, rg, paths.galleries_dir, "gallery")
    return docs


def image_entry(doc: GalleryFile, rg: str, image: str) -> ImageEntry:
    validate_image_name(image)
    entry = doc["images"].get(image.lower())
    if entry is None:
        raise _not_found(rg, f"{GALLERY_TYPE}/{doc['gallery']['name']}/images/{image}")
    return entry


def version_record(doc: GalleryFile, rg: str, image: str, version: str) -> VersionRecord:
    entry = image_entry(doc, rg, image)
    record = entry["versions"].get(version)
    if record is None:
        raise _not_found(rg, f"{GALLERY_TYPE}/{doc['gallery']['name']}/images/{entry['image']['name']}"
                             f"/versions/{version}")
    return record


# ---- galleries and image definitions -------------------------------------------------------------

def create_gallery(tx: Transaction, rg: str, name: str, location: str | None = None, description: str | None = None,
                   tags: Document | None = None, subscription: str | None = None) -> Document:
    """PUT a gallery: created, or (as az's create on an existing one) its description and tags updated."""
    from vmss_cli.core.resources import catalog, groups

    subscription = subscription or world.subscription(tx)
    validate_gallery_name(name)
    group = groups.get(tx, rg)
    loc = catalog.check_location(location, "galleries") if location else group["location"]
    path = _path(tx, rg, name)
    doc: GalleryFile | None = tx.load(path, "gallery")
    if doc is not None:
        arm = doc["gallery"]
        if arm["location"] != loc:
            raise ConflictError("Changing property 'location' is not allowed.", code="PropertyChangeNotAllowed",
                                target="location")
    else:
        world.save(tx, world.load(tx))  # the first write fixes the world's start time and seed
        arm = {"id": gallery_id(subscription, group["name"], name), "name": name, "type": GALLERY_TYPE,
               "location": loc, "tags": {},
               "properties": {"identifier": {"uniqueName": f"{subscription}-{name.upper()}"},
                              "provisioningState": "Succeeded"}}
        doc = {"gallery": arm, "images": {}}
    if description is not None:
        arm["properties"]["description"] = description
    if tags is not None:
        arm["tags"] = tags
    save(tx, doc)
    return arm


def create_image(tx: Transaction, rg: str, gallery: str, name: str, *, publisher: str, offer: str, sku: str,
                 os_type: str, os_state: str = "Generalized", hyper_v_generation: str = "V1",
                 location: str | None = None, description: str | None = None, tags: Document | None = None) -> GalleryImage:
    validate_image_name(name)
    doc = load(tx, rg, gallery)
    os_type = _choice(os_type, OS_TYPES, "osType")
    os_state = _choice(os_state, OS_STATES, "osState")
    hyper_v_generation = _choice(hyper_v_generation, HYPER_V_GENERATIONS, "hyperVGeneration")
    identifier = {"publisher": publisher, "offer": offer, "sku": sku}
    for key, value in identifier.items():
        if not value:
            raise InvalidParameterError(f"Required parameter 'identifier.{key}' is missing (null).",
                                        target=f"galleryImage.properties.identifier.{key}")
    existing = doc["images"].get(name.lower())
    if existing is not None:
        props = existing["image"]["properties"]
        for key, new in (("identifier", identifier), ("osType", os_type), ("osState", os_state)):
            if props[key] != new:
                raise ConflictError(f"Changing property 'galleryImage.properties.{key}' is not allowed.",
                                    code="PropertyChangeNotAllowed", target=f"galleryImage.properties.{key}")
        arm: GalleryImage = existing["image"]
    else:
        for other in doc["images"].values():
            if {k: v.lower() for k, v in other["image"]["properties"]["identifier"].items()} == \
                    {k: v.lower() for k, v in identifier.items()}:
                raise ConflictError(
                    f"Gallery image identifier '{publisher}:{offer}:{sku}' is already used by image definition "
                    f"'{other['image']['name']}' in gallery '{doc['gallery']['name']}'; an identifier must be unique "
                    "within a gallery.", code="Conflict", target="galleryImage.properties.identifier")
        garm = doc["gallery"]
        arm = {"id": f"{garm['id']}/images/{name}", "name": name, "type": IMAGE_TYPE,
               "location": garm["location"] if location is None else _location(location, garm),
               "tags": {},
               "properties": {"identifier": identifier, "osType": os_type, "osState": os_state,
                              "hyperVGeneration": hyper_v_generation, "provisioningState": "Succeeded"}}
        doc["images"][name.lower()] = {"image": arm, "versions": {}}
    if description is not None:
        arm["properties"]["description"] = description
    if tags is not None:
        arm["tags"] = tags
    save(tx, doc)
    return arm


def _location(location: str, garm: Document) -> str:
    from vmss_cli.core.resources import catalog

    loc = catalog.check_location(location, "galleries/images")
    if loc != garm["location"]:
        raise InvalidParameterError(
            f"The location '{loc}' of the gallery child resource must be the gallery's location "
            f"'{garm['location']}'.", target="location")
    return loc


def _choice(value: str, allowed: tuple[str, ...], prop: str) -> str:
    for item in allowed:
        if str(value).lower() == item.lower():
            return item
    raise InvalidParameterError(f"The value '{value}' is not valid for property '{prop}'. Allowed values: "
                                f"{', '.join(allowed)}.", target=prop)


# ---- image versions --------------------------------------------------------------------------------

def parse_target_regions(items: list[str], replica_count: int | None, storage_account_type: str | None) -> list[Document]:
    """az's `<region>[=<replica count>][=<storage account type>]`, as publishingProfile.targetRegions."""
    from vmss_cli.core.resources import catalog

    out: list[Document] = []
    default_type = _storage_type(storage_account_type) if storage_account_type else "Standard_LRS"
    for item in items:
        parts = item.split("=")
        if len(parts) > 3 or not parts[0]:
            raise UsageError(f"usage error: '{item}' is not <region>[=<replica count>][=<storage account type>] "
                             "(--target-regions)")
        count, kind = replica_count or 1, default_type
        if len(parts) >= 2:
            if parts[1].isdigit():
                count = int(parts[1])
            elif len(parts) == 2:
                kind = _storage_type(parts[1])
            else:
                raise UsageError(f"usage error: the replica count '{parts[1]}' in '{item}' is not a whole number "
                                 "(--target-regions)")
        if len(parts) == 3:
            kind = _storage_type(parts[2])
        if not 1 <= count <= 100:
            raise InvalidParameterError(f"The regional replica count {count} for region '{parts[0]}' is out of "
                                        "range. The value must be between 1 and 100, inclusive.",
                                        target="publishingProfile.targetRegions.regionalReplicaCount")
        region = catalog.check_location(parts[0], "galleries/images/versions")
        if any(r["region"] == region for r in out):
            raise InvalidParameterError(f"The region '{display_region(region)}' is listed more than once in the "
                                        "target regions.", target="publishingProfile.targetRegions")
        out.append({"region": region, "regionalReplicaCount": count, "storageAccountType": kind})
    return out


def _storage_type(value: str) -> str:
    for item in STORAGE_ACCOUNT_TYPES:
        if value.lower() == item.lower():
            return item
    raise InvalidParameterError(f"The storage account type '{value}' is not valid. Allowed values: "
                                f"{', '.join(STORAGE_ACCOUNT_TYPES)}.", target="storageAccountType")


def create_version(sim: Sim, rg: str, gallery: str, image: str, version: str, *, target_regions: list[Document] | None,
                   replica_count: int | None = None, storage_account_type: str | None = None,
                   exclude_from_latest: bool = False, end_of_life_date: str | None = None,
                   source_id: str | None = None, location: str | None = None, tags: Document | None = None,
                   boot_seconds: int = DEFAULT_BOOT_SECONDS, fail_percent: int = 0) -> VersionRecord:
    """PUT a new image version; replication to its target regions is queued on the world clock.
    `target_regions` are parse_target_regions() items; None = the version's own region only."""
    tx = sim.tx
    validate_version_name(version)
    doc = load(tx, rg, gallery)
    entry = image_entry(doc, rg, image)
    if version in entry["versions"]:
        raise ConflictError(f"Gallery image version '{version}' already exists in image definition "
                            f"'{entry['image']['name']}'. Use 'vmss sig image-version update' to change its "
                            "target regions.", code="Conflict")
    if not 0 <= fail_percent <= 100:
        raise InvalidParameterError(f"The fail percent {fail_percent} is not between 0 and 100.", target="failPercent")
    if boot_seconds < 0:
        raise InvalidParameterError(f"The boot time {boot_seconds} s is negative.", target="bootSeconds")
    garm = doc["gallery"]
    home = garm["location"] if location is None else _location(location, garm)
    default_type = _storage_type(storage_account_type) if storage_account_type else "Standard_LRS"
    targets = target_regions or [{"region": home, "regionalReplicaCount": replica_count or 1,
                                  "storageAccountType": default_type}]
    _require_home(targets, home)
    now = sim.now
    profile: Document = {"targetRegions": [_target_arm(t) for t in targets], "replicaCount": replica_count or 1,
                     "excludeFromLatest": bool(exclude_from_latest), "publishedDate": timeutil.format_time(now),
                     "storageAccountType": default_type}
    if end_of_life_date is not None:
        profile["endOfLifeDate"] = timeutil.format_time(timeutil.parse_time(end_of_life_date, "endOfLifeDate"))
    storage: Document = {"osDiskImage": {"hostCaching": "ReadWrite", "sizeInGB": 30}, "dataDiskImages": []}
    if source_id:
        storage["source"] = {"id": source_id}
    arm: GalleryImageVersion = {"id": f"{entry['image']['id']}/versions/{version}", "name": version, "type": VERSION_TYPE,
           "location": home, "tags": tags or {},
           "properties": {"publishingProfile": profile, "storageProfile": storage,
                          "safetyProfile": {"allowDeletionOfReplicatedLocations": True,
                                            "reportedForPolicyViolation": False},
                          "provisioningState": "Creating"}}
    record: VersionRecord = {"version": arm, "regions": {}, "fault": {"bootSeconds": int(boot_seconds),
                                                       "failPercent": int(fail_percent)}}
    entry["versions"][version] = record
    _queue(sim, doc, entry, record, [t["region"] for t in targets])
    save(tx, doc)
    return record


def update_version(sim: Sim, rg: str, gallery: str, image: str, version: str, *,
                   target_regions: list[Document] | None = None, replica_count: int | None = None,
                   exclude_from_latest: bool | None = None) -> tuple[VersionRecord, ImageEntry, list[str]]:
    """PATCH a version: new target regions replicate (after those still pending), dropped ones stop
    counting. Returns (version record, definition entry, regions where flipping excludeFromLatest off
    released it): core.rollout.platform.update_gallery_version offers it to the scale sets there."""
    tx = sim.tx
    doc = load(tx, rg, gallery)
    entry = image_entry(doc, rg, image)
    record = version_record(doc, rg, image, version)
    arm = record["version"]
    profile = arm["properties"]["publishingProfile"]
    if replica_count is not None:
        profile["replicaCount"] = replica_count
    if target_regions is not None:
        _require_home(target_regions, arm["location"])
        wanted = [t["region"] for t in target_regions]
        for region in list(record["regions"]):
            if region not in wanted:
                del record["regions"][region]  # its pending event, if any, is now stale
        profile["targetRegions"] = [_target_arm(t) for t in target_regions]
        added = [r for r in wanted if r not in record["regions"]]
        if added:
            arm["properties"]["provisioningState"] = "Updating"
            _queue(sim, doc, entry, record, added)
    released = exclude_from_latest is False and profile.get("excludeFromLatest")
    if exclude_from_latest is not None:
        profile["excludeFromLatest"] = bool(exclude_from_latest)
    _settle(record)
    save(tx, doc)
    regions = [region for region, state in record["regions"].items() if state["state"] == "Completed"]
    return record, entry, regions if released else []


def _require_home(targets: list[Document], home: str) -> None:
    if not any(t["region"] == home for t in targets):
        regions = ", ".join(display_region(t["region"]) for t in targets)
        raise InvalidParameterError(
            f"Gallery image version publishing profile regions '{regions}' must contain the location of image "
            f"version '{display_region(home)}'.",
            target="galleryImageVersion.properties.publishingProfile.targetRegions")


def _target_arm(target: Document) -> Document:
    return {"name": display_region(target["region"]), "regionalReplicaCount": target["regionalReplicaCount"],
            "storageAccountType": target["storageAccountType"]}


def _queue(sim: Sim, doc: GalleryFile, entry: ImageEntry, record: VersionRecord, regions: list[str]) -> None:
    """Replication runs one region at a time: the version's own region first, new regions after
    whatever is still pending."""
    home = record["version"]["location"]
    regions = sorted(regions, key=lambda r: r != home)
    start = max([sim.now] + [s["done"] for s in record["regions"].values() if s["state"] != "Completed"])
    rg = ids.resource_group(doc["gallery"]["id"])
    for region in regions:
        done = start + REPLICATION_SECONDS
        record["regions"][region] = {"start": start, "done": done, "state": "Replicating"}
        sim.schedule(done, "gallery.replicated", rg, doc["gallery"]["name"], image=entry["image"]["name"].lower(),
                     version=record["version"]["name"], region=region)
        start = done


def _settle(record: VersionRecord) -> None:
    if all(s["state"] == "Completed" for s in record["regions"].values()):
        record["version"]["properties"]["provisioningState"] = "Succeeded"


def replicated(record: VersionRecord) -> bool:
    return all(s["state"] == "Completed" for s in record["regions"].values())


def wait(sim: Sim, record: VersionRecord) -> None:
    """Advance the world until the version has replicated everywhere (a blocking az command)."""
    sim.run(until=None, stop=lambda: replicated(record))


def on_replicated(sim: Sim, event: Document) -> tuple[ImageEntry, VersionRecord, str] | None:
    """A region finished replicating: (definition entry, version record, region), or None when the
    version, or this region of it, was removed or re-queued since. Telling the scale sets that follow
    the definition is the platform's part (core.rollout.platform.on_gallery_replicated)."""
    data = event["data"]
    doc = sim.tx.load(paths.gallery_file(sim.tx.root, event["rg"], event["name"]), "gallery")
    entry = (doc or {}).get("images", {}).get(data["image"])
    record = (entry or {}).get("versions", {}).get(data["version"])
    state = (record or {}).get("regions", {}).get(data["region"])
    if doc is None or entry is None or record is None or state is None or state["state"] == "Completed" \
            or state["done"] != event["at"]:
        return None
    state["state"] = "Completed"
    _settle(record)
    save(sim.tx, doc)
    return entry, record, data["region"]


# ---- what scale sets see ---------------------------------------------------------------------------

def latest_version(entry: ImageEntry, region: str) -> VersionRecord | None:
    """The highest version replicated to `region` and not excluded from latest."""
    found = [r for r in entry["versions"].values()
             if not r["version"]["properties"]["publishingProfile"].get("excludeFromLatest")
             and (r["regions"].get(region) or {}).get("state") == "Completed"]
    return max(found, key=lambda r: version_key(r["version"]["name"]), default=None)


def _info(record: VersionRecord) -> Document:
    return {"version": record["version"]["name"], **record["fault"]}


def _lookup(tx: Transaction, parsed: Document) -> tuple[GalleryFile, ImageEntry]:
    doc = load(tx, parsed["rg"], parsed["gallery"])
    return doc, image_entry(doc, parsed["rg"], parsed["image"])


def _unavailable(image_id: str, location: str) -> NotFoundError:
    return NotFoundError(f"The gallery image {image_id} is not available in {location} region. Please contact image "
                         "owner to replicate to this region, or change your requested region.",
                         code="GalleryImageNotFound")


def resolve_image_id(tx: Transaction, image_id: str, location: str) \
        -> tuple[ImageReference, CatalogSku, Document]:
    """(imageReference as stored, {"osType"}, version record) for `vmss create --image <id>`: a gallery
    image definition id (its latest version in `location`) or a version id (that version)."""
    parsed = parse_id(image_id)
    if parsed is None:
        if is_managed_image_id(image_id):
            raise NotFoundError(
                f"The Resource 'Microsoft.Compute/images/{image_id.rstrip('/').rsplit('/', 1)[1]}' under resource "
                f"group '{image_id.split('/')[4]}' was not found. For more details please go to "
                "https://aka.ms/ARMResourceNotFoundFix")
        raise InvalidParameterError(f"The image id '{image_id}' is not a gallery image definition or version id "
                                    "(/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/"
                                    "{gallery}/images/{definition}[/versions/{version}]).",
                                    target="imageReference.id")
    _, entry = _lookup(tx, parsed)
    os_entry: CatalogSku = {"osType": entry["image"]["properties"]["osType"]}
    if parsed["version"] is None:
        found = latest_version(entry, location)
        if found is None:
            raise _unavailable(image_id, location)
        return {"id": image_id}, os_entry, _info(found)
    record = entry["versions"].get(parsed["version"])
    if record is None:
        raise _not_found(parsed["rg"], f"{GALLERY_TYPE}/{parsed['gallery']}/images/{parsed['image']}"
                                       f"/versions/{parsed['version']}")
    if (record["regions"].get(location) or {}).get("state") != "Completed":
        raise _unavailable(image_id, location)
    return {"id": image_id}, os_entry, _info(record)


def target_version(tx: Transaction, arm: Document) -> tuple[Document, Document]:
    """(targetImageReference, version record) of an OS upgrade of a set on a gallery image: the
    definition's latest version available in the set's region."""
    ref = model.image_reference(arm)
    parsed = parse_id(ref.get("id"))
    if parsed is None:
        raise NotFoundError(f"The image '{ref.get('id')}' is not a gallery image.", code="NotFound")
    _, entry = _lookup(tx, parsed)
    if parsed["version"] is not None:
        found = entry["versions"].get(parsed["version"])
    else:
        found = latest_version(entry, arm["location"])
    if found is None:
        raise _unavailable(ref["id"], arm["location"])
    name = found["version"]["name"]
    return {"id": found["version"]["id"], "version": name, "exactVersion": name}, _info(found)


def check_auto_os_upgrade_image(image_id: str) -> None:
    """Automatic OS upgrade with a custom image: only a gallery image definition (latest) qualifies."""
    target = "virtualMachineProfile.storageProfile.imageReference.id"
    parsed = parse_id(image_id)
    if parsed is not None and parsed["version"] is None:
        return
    if parsed is not None:
        raise InvalidParameterError(
            f"Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because the image reference "
            f"'{image_id}' pins gallery image version '{parsed['version']}'. Reference the gallery image definition "
            "(without /versions/...) so that the scale set follows its latest version.", target=target)
    raise InvalidParameterError(
        f"Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because the image '{image_id}' is a "
        "custom image that is not in a Shared Image Gallery. Only platform images and Shared Image Gallery images "
        "support automatic OS image upgrade.", target=target)


# ---- views (ARM form; the CLI flattens) ----------------------------------------------------------

def version_view(record: VersionRecord, now: int, expand: bool = False) -> GalleryImageVersion:
    """The version as GET returns it; with $expand=ReplicationStatus, per-region progress."""
    import copy

    arm = copy.deepcopy(record["version"])
    if expand:
        summary = []
        for target in arm["properties"]["publishingProfile"]["targetRegions"]:
            state = record["regions"][target["name"].replace(" ", "").lower()]
            done = state["state"] == "Completed"
            span = max(state["done"] - state["start"], 1)
            progress = 100 if done else max(0, min(99, (now - state["start"]) * 100 // span))
            summary.append({"region": target["name"], "state": "Completed" if done else "Replicating",
                            "details": "", "progress": progress})
        aggregated = "Completed" if all(s["state"] == "Completed" for s in summary) else "InProgress"
        arm["properties"]["replicationStatus"] = {"aggregatedState": aggregated, "summary": summary}
    return arm


def versions_of(entry: ImageEntry) -> list[VersionRecord]:
    return [entry["versions"][k] for k in sorted(entry["versions"], key=version_key)]


def images_of(doc: GalleryFile) -> list[ImageEntry]:
    return [doc["images"][k] for k in sorted(doc["images"])]

