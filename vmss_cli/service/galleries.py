"""Microsoft.Compute/galleries, …/images (image definitions), …/images/{image}/versions: PUT (create,
or update as az's create on an existing one), GET, list; a version's PUT and PATCH are long-running
(replication to each target region in world time) and with `wait=True` the world runs until every
region is done, as a client's polling would see it.

The name rules, replication timing and fan-out to scale sets are core.resources.gallery's and
core.rollout.platform's; this module opens the transaction and answers in ARM form.
"""

from __future__ import annotations

from vmss_cli.core.resources import gallery
from vmss_cli.service.context import Context

TYPE_CHECKING = False  # typing stays off a read command's start-up path
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document
    from vmss_cli.core.arm.document_types import GalleryImage, GalleryImageVersion

DEFAULT_BOOT_SECONDS = gallery.DEFAULT_BOOT_SECONDS  # a version's instances turn healthy after 60 s


# ---- galleries -------------------------------------------------------------------------------------

def put_gallery(ctx: Context, rg: str, name: str, location: str | None = None, description: str | None = None,
                tags: dict[str, str] | None = None) -> tuple[int, Document]:
    """Create the gallery (location: the group's when None), or update its description and tags."""
    with ctx.transaction() as tx:
        return 200, gallery.create_gallery(tx, rg, name, location, description, tags, ctx.subscription)


def get_gallery(ctx: Context, rg: str, name: str) -> Document:
    with ctx.transaction(write=False) as tx:
        arm: Document = gallery.load(tx, rg, name)["gallery"]
        return arm


def list_galleries(ctx: Context, rg: str | None) -> list[Document]:
    with ctx.transaction(write=False) as tx:
        return [d["gallery"] for d in gallery.list_docs(tx, rg)]


# ---- image definitions -----------------------------------------------------------------------------

def put_image(ctx: Context, rg: str, gallery_name: str, name: str, *, publisher: str, offer: str, sku: str,
              os_type: str, os_state: str = "Generalized", hyper_v_generation: str = "V1",
              location: str | None = None, description: str | None = None,
              tags: dict[str, str] | None = None) -> tuple[int, GalleryImage]:
    with ctx.transaction() as tx:
        return 200, gallery.create_image(tx, rg, gallery_name, name, publisher=publisher, offer=offer, sku=sku,
                                         os_type=os_type, os_state=os_state, hyper_v_generation=hyper_v_generation,
                                         location=location, description=description, tags=tags)


def get_image(ctx: Context, rg: str, gallery_name: str, name: str) -> GalleryImage:
    with ctx.transaction(write=False) as tx:
        doc = gallery.load(tx, rg, gallery_name)
    return gallery.image_entry(doc, rg, name)["image"]


def list_images(ctx: Context, rg: str, gallery_name: str) -> list[GalleryImage]:
    with ctx.transaction(write=False) as tx:
        doc = gallery.load(tx, rg, gallery_name)
    return [e["image"] for e in gallery.images_of(doc)]


# ---- image versions --------------------------------------------------------------------------------

def target_regions(items: list[str], replica_count: int | None,
                   storage_account_type: str | None) -> list[Document]:
    """publishingProfile.targetRegions from az's `<region>[=<replica count>][=<storage account type>]`
    items (regions, counts and storage types checked as the service checks them)."""
    return gallery.parse_target_regions(items, replica_count, storage_account_type)


def put_version(ctx: Context, rg: str, gallery_name: str, image: str, version: str, *,
                target_regions: list[Document] | None, replica_count: int | None = None,
                storage_account_type: str | None = None, exclude_from_latest: bool = False,
                end_of_life_date: str | None = None, source_id: str | None = None, location: str | None = None,
                tags: dict[str, str] | None = None, boot_seconds: int = DEFAULT_BOOT_SECONDS,
                fail_percent: int = 0, wait: bool = False) -> tuple[int, GalleryImageVersion]:
    """A new version; replication is queued on the world clock. (201 replicated when `wait`, else 202
    while it replicates; the version as GET returns it then)."""
    from vmss_cli.core.rollout.handlers import open_world

    with ctx.transaction() as tx:
        sim = open_world(tx, ctx.listeners)
        record = gallery.create_version(
            sim, rg, gallery_name, image, version, target_regions=target_regions, replica_count=replica_count,
            storage_account_type=storage_account_type, exclude_from_latest=exclude_from_latest,
            end_of_life_date=end_of_life_date, source_id=source_id, location=location, tags=tags,
            boot_seconds=boot_seconds, fail_percent=fail_percent)
        if wait:
            gallery.wait(sim, record)
        sim.close()
        return (201 if wait else 202), gallery.version_view(record, sim.now)


def patch_version(ctx: Context, rg: str, gallery_name: str, image: str, version: str, *,
                  target_regions: list[Document] | None = None, replica_count: int | None = None,
                  exclude_from_latest: bool | None = None, wait: bool = False) -> tuple[int, GalleryImageVersion]:
    """New target regions replicate after those still pending; a version released from excludeFromLatest
    is offered to the scale sets where it has replicated."""
    from vmss_cli.core.rollout import platform
    from vmss_cli.core.rollout.handlers import open_world

    with ctx.transaction() as tx:
        sim = open_world(tx, ctx.listeners)
        record = platform.update_gallery_version(sim, rg, gallery_name, image, version, target_regions=target_regions,
                                                 replica_count=replica_count, exclude_from_latest=exclude_from_latest)
        if wait:
            gallery.wait(sim, record)
        sim.close()
        return (200 if wait else 202), gallery.version_view(record, sim.now)


def get_version(ctx: Context, rg: str, gallery_name: str, image: str, version: str,
                expand: str | None = None) -> GalleryImageVersion:
    """The version; `expand` ReplicationStatus (any case) adds the per-region progress at world time."""
    from vmss_cli.core.world import clock
    from vmss_cli.errors import InvalidParameterError

    if expand is not None and expand.lower() != "replicationstatus":
        raise InvalidParameterError(f"The value '{expand}' of parameter '$expand' is not valid. Allowed values: "
                                    "ReplicationStatus.", target="$expand")
    with ctx.transaction(write=False) as tx:
        doc = gallery.load(tx, rg, gallery_name)
        record = gallery.version_record(doc, rg, image, version)
        return gallery.version_view(record, clock.now(tx), expand=expand is not None)


def list_versions(ctx: Context, rg: str, gallery_name: str, image: str) -> list[GalleryImageVersion]:
    from vmss_cli.core.world import clock

    with ctx.transaction(write=False) as tx:
        doc = gallery.load(tx, rg, gallery_name)
        entry = gallery.image_entry(doc, rg, image)
        now = clock.now(tx)
    return [gallery.version_view(r, now) for r in gallery.versions_of(entry)]
