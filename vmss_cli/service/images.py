"""Microsoft.Compute/locations/{location}/publishers/… : the platform image catalog (VirtualMachineImages
List/Get, and the publishers, offers and skus lists), plus what az reads beside it (the alias document of
`az vm image list`, the --all walk over every region).

Answers come from the shipped catalog plus the versions published in the store (`vmss sim image
publish`); nothing is ever fetched. An unknown region is ARM's NoRegisteredProviderFound naming the
resource type of the call, as Azure words it.
"""

from __future__ import annotations

import builtins

from vmss_cli.core.resources import catalog
from vmss_cli.service.context import Context

TYPE_CHECKING = False  # `image list` is a hot read: typing stays off its start-up path
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

DEFAULT_LOCATION = catalog.DEFAULT_LOCATION  # the region az asks when -l is omitted: every shipped SKU is there
PUBLISHERS = "locations/publishers"
OFFERS = "locations/publishers/artifacttypes/offers"
SKUS = "locations/publishers/artifacttypes/offers/skus"
VERSIONS = "locations/publishers/artifacttypes/offers/skus/versions"


def list_publishers(ctx: Context, location: str) -> builtins.list[Document]:
    loc = catalog.check_location(location, PUBLISHERS)
    with ctx.transaction(write=False) as tx:
        return catalog.list_publishers(tx, loc, ctx.subscription)


def list_offers(ctx: Context, location: str, publisher: str) -> builtins.list[Document]:
    loc = catalog.check_location(location, OFFERS)
    with ctx.transaction(write=False) as tx:
        return catalog.list_offers(tx, loc, publisher, ctx.subscription)


def list_skus(ctx: Context, location: str, publisher: str, offer: str) -> builtins.list[Document]:
    loc = catalog.check_location(location, SKUS)
    with ctx.transaction(write=False) as tx:
        return catalog.list_skus(tx, loc, publisher, offer, ctx.subscription)


def list_versions(ctx: Context, location: str, publisher: str, offer: str, sku: str) -> builtins.list[Document]:
    """VirtualMachineImageResource of every version in the region, oldest first."""
    from vmss_cli.errors import NotFoundError

    loc = catalog.check_location(location, VERSIONS)
    entry = catalog.find_sku(publisher, offer, sku)
    if entry is None:
        raise NotFoundError("Artifact: VMImage was not found.", code="NotFound")
    with ctx.transaction(write=False) as tx:
        return [catalog.image_resource(ctx.subscription, loc, entry, v["version"])
                for v in catalog.versions(tx, loc, entry)]


def get_version(ctx: Context, location: str, publisher: str, offer: str, sku: str, version: str) -> Document:
    """VirtualMachineImage; `latest` is the highest version in the region."""
    loc = catalog.check_location(location, VERSIONS)
    with ctx.transaction(write=False) as tx:
        return catalog.show(tx, loc, publisher, offer, sku, version, ctx.subscription)


def list_all(ctx: Context, location: str | None, publisher: str | None, offer: str | None, sku: str | None,
             architecture: str | None) -> builtins.list[Document]:
    """What `az vm image list --all` gathers from the list calls: every version in `location` (every
    region when None, one item per URN), filtered by case-insensitive substrings, sorted."""
    loc = catalog.check_location(location, PUBLISHERS) if location else None
    with ctx.transaction(write=False) as tx:
        return catalog.all_images(tx, loc, publisher, offer, sku, architecture)


def aliases(publisher: str | None = None, offer: str | None = None, sku: str | None = None,
            architecture: str | None = None) -> builtins.list[Document]:
    """The alias table az ships (`az vm image list` without --all), filtered as az filters it, in its order.
    No store and no region: the aliases name SKUs."""
    return catalog.alias_images(publisher, offer, sku, architecture)


def alias_document() -> Document:
    """The alias document az downloads for `az vm image list` ({"Linux": {alias: urn parts}, "Windows": …})."""
    out: Document = {"Linux": {}, "Windows": {}}
    for entry in catalog.shipped()["images"]:
        if entry.get("urnAlias"):
            out["Windows" if entry["osType"] == "Windows" else "Linux"][entry["urnAlias"]] = {
                "publisher": entry["publisher"], "offer": entry["offer"], "sku": entry["sku"],
                "version": "latest", "architecture": entry.get("architecture", "x64")}
    return out
