"""The platform image catalog: SKUs shipped with the package plus versions published in the store.

`data/images.json` lists each platform SKU once, with the regions it is offered in and its
versions, plus `aliases`: az's bundled alias names in the order az prints them. Versions published
later (`vmss sim image publish`) are kept in `$VMSS_HOME/images.json` per region, with their fault
profile (boot time, share of instances that never turn healthy).

This module also answers the Microsoft.Compute image endpoints (publishers -> offers -> skus ->
versions per region) in ARM shape; `cli/image.py` only parses flags and renders.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from vmss_cli.core.resources import regions as azure_regions
from vmss_cli.errors import CliError, ConflictError, InvalidParameterError, NotFoundError
from vmss_cli.store import paths
from vmss_cli.store.state import Transaction

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.document_types import CatalogSku, ImageCatalog
    from vmss_cli.core.arm.documents import Document

DEFAULT_BOOT_SECONDS = 60  # how long an instance takes to turn healthy after its OS disk is replaced
DEFAULT_LOCATION = "westus"  # az's get_one_of_subscription_locations() prefers westus when -l is omitted
API_VERSION = "2026-09-01"
ARCHITECTURES = ("Arm64", "x64")  # ArchitectureTypes, in az's `Allowed values` order
_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")
_INT32_MAX = 2**31 - 1  # each part of an image version is an Int32 in CRP


@lru_cache(maxsize=1)
def shipped() -> ImageCatalog:
    # Beside the package's modules (package data, never zipped); importlib.resources would import shutil,
    # typing and more on `vmss image list`'s start-up path.
    import os

    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "data", "images.json"), "rb") as f:
        catalog: ImageCatalog = json.loads(f.read())
    return catalog


def version_key(version: str) -> tuple[int, ...]:
    """Azure orders image versions as Major.Minor.Build integers."""
    return tuple(int(p) if p.isdigit() else -1 for p in version.split("."))


def find_sku(publisher: str, offer: str, sku: str) -> CatalogSku | None:
    wanted = (publisher.lower(), offer.lower(), sku.lower())
    for entry in shipped()["images"]:
        if (entry["publisher"].lower(), entry["offer"].lower(), entry["sku"].lower()) == wanted:
            return entry
    return None


def alias(name: str) -> CatalogSku | None:
    for entry in shipped()["images"]:
        urn_alias = entry.get("urnAlias")
        if urn_alias and urn_alias.lower() == name.lower():
            return entry
    return None


def published(tx: Transaction) -> list[Document]:
    doc = tx.load(paths.images_file(tx.root), "images")
    return doc.get("versions", []) if doc else []


def versions(tx: Transaction, location: str, entry: CatalogSku) -> list[Document]:
    """Every version of a SKU offered in `location`, oldest first; [] where the SKU is not offered."""
    location = azure_regions.normalize(location)
    out: list[Document] = []
    if location in entry["locations"]:
        out = [{"version": v, "bootSeconds": DEFAULT_BOOT_SECONDS, "failPercent": 0} for v in entry["versions"]]
    for item in published(tx):
        if item["location"] == location and _same_sku(item, entry):
            out = [v for v in out if v["version"] != item["version"]] + [item]
    return sorted(out, key=lambda v: version_key(v["version"]))


def resolve_version(tx: Transaction, location: str, entry: CatalogSku, version: str) -> Document:
    """The version record for `version` (or the highest for `latest`)."""
    offered = versions(tx, location, entry)
    if not offered:
        raise NotFoundError("Artifact: VMImage was not found.", code="NotFound")
    if version.lower() == "latest":
        return offered[-1]
    for item in offered:
        if item["version"] == version:
            return item
    raise NotFoundError("Artifact: VMImage was not found.", code="NotFound")


def parse_urn(text: str) -> tuple[str, str, str, str]:
    parts = text.split(":")
    if len(parts) != 4 or not all(parts):
        raise CliError("--urn should be in the format of publisher:offer:sku:version or "
                       "publisher:offer:sku:edge_zone:version")
    return parts[0], parts[1], parts[2], parts[3]


def _same_sku(item: Document, entry: CatalogSku) -> bool:
    return (item["publisher"].lower(), item["offer"].lower(), item["sku"].lower()) == (
        entry["publisher"].lower(), entry["offer"].lower(), entry["sku"].lower())


# ---- regions -------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _regions() -> tuple[str, ...]:
    return tuple(sorted({loc for entry in shipped()["images"] for loc in entry["locations"]}))


def regions() -> list[str]:
    """Every region the emulated cloud has: those any shipped SKU is offered in."""
    return list(_regions())


def check_location(location: str, resource_type: str = "locations/publishers") -> str:
    """The normalized region, or ARM's error for a region the provider does not serve (HTTP 400)."""
    loc = azure_regions.normalize(location)
    if loc not in regions():
        raise InvalidParameterError(
            f"No registered resource provider found for location '{location}' and API version '{API_VERSION}' "
            f"for type '{resource_type}'. The supported locations are '{', '.join(regions())}'.",
            code="NoRegisteredProviderFound")
    return loc


# ---- az's offline alias list and the --all walk ------------------------------------------------------

def matched(pattern: str | None, value: str) -> bool:
    """az's `_matched`: no pattern matches all; otherwise a case-insensitive substring."""
    return not pattern or pattern.lower() in value.lower()


def alias_images(publisher: str | None = None, offer: str | None = None, sku: str | None = None,
                 architecture: str | None = None) -> list[Document]:
    """`az vm image list` without --all: the bundled alias table, filtered, in az's order."""
    out = []
    for name in shipped()["aliases"]:
        entry = alias(name)
        if entry is None:  # an alias of the shipped table always names a shipped SKU
            continue
        item = {"urnAlias": name, "publisher": entry["publisher"], "offer": entry["offer"], "sku": entry["sku"],
                "version": "latest", "architecture": entry["architecture"]}
        if all(matched(p, item[k]) for p, k in ((publisher, "publisher"), (offer, "offer"), (sku, "sku"),
                                                (architecture, "architecture"))):
            item["urn"] = _urn(item)
            out.append(item)
    return out


def offered(tx: Transaction, location: str) -> list[tuple[CatalogSku, list[Document]]]:
    """(SKU entry, its versions oldest first) for every SKU with at least one version in `location`."""
    pairs = [(entry, versions(tx, location, entry)) for entry in shipped()["images"]]
    return [(entry, found) for entry, found in pairs if found]


def all_images(tx: Transaction, location: str | None, publisher: str | None = None, offer: str | None = None,
               sku: str | None = None, architecture: str | None = None) -> list[Document]:
    """`az vm image list --all`: every version in `location` (or in every region, one item per URN).

    az walks publishers -> offers -> skus -> versions concurrently, so its order is the service's
    within a SKU and arbitrary across publishers; the emulator sorts (publisher, offer, sku, version)
    so that scripts and tests see one order."""
    seen: dict[str, Document] = {}
    for loc in [location] if location else regions():
        for entry, found in offered(tx, loc):
            if not (matched(publisher, entry["publisher"]) and matched(offer, entry["offer"])
                    and matched(sku, entry["sku"])):
                continue
            if architecture and architecture != entry["architecture"]:  # az compares exactly here
                continue
            for item in found:
                image = {"publisher": entry["publisher"], "offer": entry["offer"], "sku": entry["sku"],
                         "version": item["version"], "architecture": entry["architecture"],
                         "imageDeprecationStatus": {"imageState": "Active"}}
                image["urn"] = _urn(image)
                seen.setdefault(image["urn"], image)
    return sorted(seen.values(), key=lambda i: (i["publisher"].lower(), i["offer"].lower(), i["sku"].lower(),
                                                version_key(i["version"])))


# ---- the REST endpoints: publishers, offers, skus (VirtualMachineImageResource lists) ----------

def list_publishers(tx: Transaction, location: str, subscription: str) -> list[Document]:
    names = {e["publisher"] for e, _ in offered(tx, location)}
    return [artifact_resource(subscription, location, p) for p in sorted(names, key=str.lower)]


def list_offers(tx: Transaction, location: str, publisher: str, subscription: str) -> list[Document]:
    entries = [e for e, _ in offered(tx, location) if e["publisher"].lower() == publisher.lower()]
    if not entries:
        raise NotFoundError(f"Publisher: {publisher} was not found.", code="NotFound")
    names = {e["offer"] for e in entries}
    return [artifact_resource(subscription, location, entries[0]["publisher"], o) for o in sorted(names, key=str.lower)]


def list_skus(tx: Transaction, location: str, publisher: str, offer: str, subscription: str) -> list[Document]:
    list_offers(tx, location, publisher, subscription)  # an unknown publisher is reported first
    entries = [e for e, _ in offered(tx, location)
               if (e["publisher"].lower(), e["offer"].lower()) == (publisher.lower(), offer.lower())]
    if not entries:
        raise NotFoundError(f"Offer: {offer} was not found.", code="NotFound")
    return [artifact_resource(subscription, location, e["publisher"], e["offer"], e["sku"])
            for e in sorted(entries, key=lambda e: e["sku"].lower())]


def artifact_resource(subscription: str, location: str, publisher: str, offer: str | None = None,
                      sku: str | None = None, version: str | None = None) -> Document:
    """VirtualMachineImageResource: the shape of every item of list-publishers/-offers/-skus/versions.
    The service sends `tags`/`extendedLocation` only when set; platform images have neither."""
    rid = f"/Subscriptions/{subscription}/Providers/Microsoft.Compute/Locations/{location}/Publishers/{publisher}"
    name = publisher
    for segment, value in (("/ArtifactTypes/VMImage/Offers/", offer), ("/Skus/", sku), ("/Versions/", version)):
        if value is None:
            break
        rid += segment + value
        name = value
    return {"id": rid, "name": name, "location": location}


def image_resource(subscription: str, location: str, entry: CatalogSku, version: str) -> Document:
    """VirtualMachineImageResource for one version (an item of VirtualMachineImages_List)."""
    return artifact_resource(subscription, location, entry["publisher"], entry["offer"], entry["sku"], version)


def image_version(subscription: str, location: str, entry: CatalogSku, version: str) -> Document:
    """VirtualMachineImage (VirtualMachineImages_Get) in ARM form; `az vm image show` prints its az form."""
    arm = image_resource(subscription, location, entry, version)
    arm["properties"] = {
        "automaticOSUpgradeProperties": {"automaticOSUpgradeSupported": bool(entry["automaticOSUpgradeSupported"])},
        "osDiskImage": {"operatingSystem": entry["osType"]},
        "hyperVGeneration": entry["hyperVGeneration"],
        "architecture": entry["architecture"],
        "imageDeprecationStatus": {"imageState": "Active"},
    }
    return arm


def show(tx: Transaction, location: str, publisher: str, offer: str, sku: str, version: str,
         subscription: str) -> Document:
    """VirtualMachineImages_Get, with `latest` resolved to the highest version in the region."""
    entry = find_sku(publisher, offer, sku)
    if entry is None:
        raise NotFoundError("Artifact: VMImage was not found.", code="NotFound")
    found = resolve_version(tx, location, entry, version)
    return image_version(subscription, location, entry, found["version"])


# ---- publishing (the emulator's stand-in for a publisher's release) ------------------------------

def publish(tx: Transaction, location: str, publisher: str, offer: str, sku: str, version: str,
            boot_seconds: int = DEFAULT_BOOT_SECONDS, fail_percent: int = 0, now: int = 0) -> Document:
    """Record a new version of a shipped SKU in one region and return the record.
    Only SKUs of the shipped catalog can get versions: the catalog is what the emulated cloud sells."""
    entry = find_sku(publisher, offer, sku)
    if entry is None:
        raise NotFoundError(
            f"The image SKU '{publisher}:{offer}:{sku}' is not in the platform image catalog, so no version of it "
            "can be published. See 'vmss image list --all' for the SKUs there are.", code="NotFound")
    loc = check_location(location, "locations/publishers/artifacttypes/offers/skus/versions")
    parts = _VERSION.fullmatch(version)
    if not parts or any(len(p) > 10 or int(p) > _INT32_MAX for p in parts.groups()):
        raise InvalidParameterError(
            f"The image version '{version}' is not valid: use Major.Minor.Build, three whole numbers "
            "(for example 22.04.202409030).", target="version")
    if not 0 <= fail_percent <= 100:
        raise InvalidParameterError(f"The fail percent {fail_percent} is not between 0 and 100.",
                                    target="failPercent")
    if boot_seconds < 0:
        raise InvalidParameterError(f"The boot time {boot_seconds} s is negative.", target="bootSeconds")
    for item in versions(tx, loc, entry):
        if version_key(item["version"]) == version_key(version):
            raise ConflictError(
                f"Image version '{item['version']}' of '{entry['publisher']}:{entry['offer']}:{entry['sku']}' "
                f"is already published in '{loc}'.", code="Conflict")
    record = {"publisher": entry["publisher"], "offer": entry["offer"], "sku": entry["sku"], "location": loc,
              "version": version, "bootSeconds": int(boot_seconds), "failPercent": int(fail_percent),
              "publishedAt": int(now)}
    path = paths.images_file(tx.root)
    doc = tx.load(path, "images") or {"versions": []}
    doc.setdefault("versions", []).append(record)
    tx.save(path, doc)
    return record


def _urn(item: Document) -> str:
    return ":".join((item["publisher"], item["offer"], item["sku"], item["version"]))
