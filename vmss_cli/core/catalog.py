"""The platform image catalog: SKUs shipped with the package plus versions published in the store.

`data/images.json` lists each platform SKU once, with the regions it is offered in and its
versions. Versions published later (`vmss sim image publish`) are kept in `$VMSS_HOME/images.json`
per region, with their fault profile (boot time, share of instances that never turn healthy).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from vmss_cli.core.errors import CliError, NotFoundError
from vmss_cli.store import paths
from vmss_cli.store.state import Transaction

DEFAULT_BOOT_SECONDS = 60  # how long an instance takes to turn healthy after its OS disk is replaced


@lru_cache(maxsize=1)
def shipped() -> dict:
    return json.loads(resources.files("vmss_cli").joinpath("data/images.json").read_text())


def version_key(version: str) -> tuple:
    """Azure orders image versions as Major.Minor.Build integers."""
    return tuple(int(p) if p.isdigit() else -1 for p in version.split("."))


def find_sku(publisher: str, offer: str, sku: str) -> dict | None:
    wanted = (publisher.lower(), offer.lower(), sku.lower())
    for entry in shipped()["images"]:
        if (entry["publisher"].lower(), entry["offer"].lower(), entry["sku"].lower()) == wanted:
            return entry
    return None


def alias(name: str) -> dict | None:
    for entry in shipped()["images"]:
        if entry.get("urnAlias") and entry["urnAlias"].lower() == name.lower():
            return entry
    return None


def published(tx: Transaction) -> list[dict]:
    doc = tx.load(paths.images_file(tx.root), "images")
    return doc["versions"] if doc else []


def versions(tx: Transaction, location: str, entry: dict) -> list[dict]:
    """Every version of a SKU offered in `location`, oldest first; [] where the SKU is not offered."""
    location = location.lower()
    out: list[dict] = []
    if location in entry["locations"]:
        out = [{"version": v, "bootSeconds": DEFAULT_BOOT_SECONDS, "failPercent": 0} for v in entry["versions"]]
    for item in published(tx):
        if item["location"] == location and _same_sku(item, entry):
            out = [v for v in out if v["version"] != item["version"]] + [item]
    return sorted(out, key=lambda v: version_key(v["version"]))


def resolve_version(tx: Transaction, location: str, entry: dict, version: str) -> dict:
    """The version record for `version` (or the highest for `latest`)."""
    offered = versions(tx, location, entry)
    if not offered:
        raise NotFoundError(f"Artifact: VMImage was not found.", code="NotFound")
    if version.lower() == "latest":
        return offered[-1]
    for item in offered:
        if item["version"] == version:
            return item
    raise NotFoundError(f"Artifact: VMImage was not found.", code="NotFound")


def parse_urn(text: str) -> tuple[str, str, str, str]:
    parts = text.split(":")
    if len(parts) != 4 or not all(parts):
        raise CliError("--urn should be in the format of publisher:offer:sku:version or "
                       "publisher:offer:sku:edge_zone:version")
    return parts[0], parts[1], parts[2], parts[3]


def _same_sku(item: dict, entry: dict) -> bool:
    return (item["publisher"].lower(), item["offer"].lower(), item["sku"].lower()) == (
        entry["publisher"].lower(), entry["offer"].lower(), entry["sku"].lower())
