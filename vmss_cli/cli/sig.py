"""`vmss sig ...` = `az sig ...`: galleries, image definitions, image versions.

Image versions replicate to their target regions in world time (service.galleries: 20 minutes per
region); `image-version create/update` block until replication is done, as az's long-running
operation does, unless --no-wait. --boot-time and --fail-percent are the emulator's fault knobs
(as on `vmss sim image publish`): how instances behave on the version.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import NoWait, ResourceGroup
from vmss_cli.cli.context import emit, require

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
definition_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
version_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
app.add_typer(definition_app, name="image-definition", help="Manage shared gallery image definitions.")
app.add_typer(version_app, name="image-version", help="Manage shared gallery image versions.")

GalleryName = Annotated[Optional[str], typer.Option("--gallery-name", "-r", help="Gallery name.",
                                                    show_default=False)]
Definition = Annotated[Optional[str], typer.Option("--gallery-image-definition", "-i",
                                                   help="Gallery image definition.", show_default=False)]
Version = Annotated[Optional[str], typer.Option(
    "--gallery-image-version", "-e", show_default=False,
    help="Gallery image version in semantic version pattern: Major.Minor.Patch, e.g. 1.0.1.")]
Location = Annotated[Optional[str], typer.Option("--location", "-l", help="Location. Default: the resource "
                                                 "group's (the gallery's for definitions and versions).",
                                                 show_default=False)]
Tags = Annotated[Optional[list[str]], typer.Option("--tags", help="Space-separated tags: key[=value].",
                                                   show_default=False)]
TargetRegions = Annotated[Optional[list[str]], typer.Option(
    "--target-regions", show_default=False,
    help="Space-separated regions, each <region>[=<replica count>][=<storage account type>]. Default: the "
         "gallery's region. Replication takes 20 minutes per region, one region after another.")]
ReplicaCount = Annotated[Optional[int], typer.Option("--replica-count", help="The default number of replicas per "
                                                     "region.", show_default=False)]
ExcludeFromLatest = Annotated[Optional[str], typer.Option(
    "--exclude-from-latest", metavar="[true|false]", show_default=False,
    help="If true, scale sets and VMs deployed with the version omitted (the definition id) do not use this "
         "version, and automatic OS upgrades never roll it out.")]


def _rg(resource_group: str | None) -> str | None:
    from vmss_cli.cli.common import default_group

    return resource_group or default_group()


def _tags(tags: list[str] | None) -> dict | None:
    from vmss_cli.cli.group import parse_tags

    return parse_tags(tags) if tags is not None else None


def _bool(value: str | None, flag: str) -> bool | None:
    from vmss_cli.cli.vmss import parse_bool

    return parse_bool(value, flag)


def _ctx():
    from vmss_cli.cli import context

    return context.service()


def _show(arm: dict) -> None:
    from vmss_cli.render import views

    emit(views.az_form(arm))


# ---- galleries -------------------------------------------------------------------------------------

@app.command("create")
def create(resource_group: ResourceGroup = None, gallery_name: GalleryName = None, location: Location = None,
           description: Annotated[Optional[str], typer.Option("--description", help="The description of the "
                                                              "gallery.", show_default=False)] = None,
           tags: Tags = None) -> None:
    """Create a shared image gallery.

    Example: vmss sig create -g myResourceGroup -r myGallery
    """
    from vmss_cli.service import galleries

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg, "--gallery-name/-r": gallery_name})
    _show(galleries.put_gallery(_ctx(), rg, gallery_name, location, description, _tags(tags))[1])


@app.command("show")
def show(resource_group: ResourceGroup = None, gallery_name: GalleryName = None) -> None:
    """Retrieve information about a shared image gallery."""
    from vmss_cli.service import galleries

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg, "--gallery-name/-r": gallery_name})
    _show(galleries.get_gallery(_ctx(), rg, gallery_name))


@app.command("list")
def list_(resource_group: ResourceGroup = None) -> None:
    """List shared image galleries (in a resource group with -g)."""
    from vmss_cli.render import views
    from vmss_cli.service import galleries

    emit([views.az_form(g) for g in galleries.list_galleries(_ctx(), _rg(resource_group))])


# ---- image definitions -----------------------------------------------------------------------------

@definition_app.command("create")
def definition_create(
    resource_group: ResourceGroup = None, gallery_name: GalleryName = None,
    gallery_image_definition: Definition = None,
    publisher: Annotated[Optional[str], typer.Option("--publisher", "-p", help="Image publisher.",
                                                     show_default=False)] = None,
    offer: Annotated[Optional[str], typer.Option("--offer", "-f", help="Image offer.", show_default=False)] = None,
    sku: Annotated[Optional[str], typer.Option("--sku", "-s", help="Image sku.", show_default=False)] = None,
    os_type: Annotated[Optional[str], typer.Option("--os-type", help="Linux or Windows.", show_default=False)] = None,
    os_state: Annotated[str, typer.Option("--os-state", help="Generalized or Specialized.")] = "Generalized",
    hyper_v_generation: Annotated[str, typer.Option("--hyper-v-generation", help="V1 or V2.")] = "V1",
    location: Location = None,
    description: Annotated[Optional[str], typer.Option("--description", help="The description of the image "
                                                       "definition.", show_default=False)] = None,
    tags: Tags = None,
) -> None:
    """Create a gallery image definition.

    Example: vmss sig image-definition create -g myResourceGroup -r myGallery -i myImage --publisher contoso
    --offer web --sku ubuntu --os-type Linux
    """
    from vmss_cli.service import galleries

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg, "--gallery-name/-r": gallery_name,
             "--gallery-image-definition/-i": gallery_image_definition, "--publisher/-p": publisher,
             "--offer/-f": offer, "--sku/-s": sku, "--os-type": os_type})
    _, arm = galleries.put_image(_ctx(), rg, gallery_name, gallery_image_definition, publisher=publisher,
                                 offer=offer, sku=sku, os_type=os_type, os_state=os_state,
                                 hyper_v_generation=hyper_v_generation, location=location,
                                 description=description, tags=_tags(tags))
    _show(arm)


@definition_app.command("show")
def definition_show(resource_group: ResourceGroup = None, gallery_name: GalleryName = None,
                    gallery_image_definition: Definition = None) -> None:
    """Get information about a gallery image definition."""
    from vmss_cli.service import galleries

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg, "--gallery-name/-r": gallery_name,
             "--gallery-image-definition/-i": gallery_image_definition})
    _show(galleries.get_image(_ctx(), rg, gallery_name, gallery_image_definition))


@definition_app.command("list")
def definition_list(resource_group: ResourceGroup = None, gallery_name: GalleryName = None) -> None:
    """List the image definitions of a gallery."""
    from vmss_cli.render import views
    from vmss_cli.service import galleries

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg, "--gallery-name/-r": gallery_name})
    emit([views.az_form(i) for i in galleries.list_images(_ctx(), rg, gallery_name)])


# ---- image versions --------------------------------------------------------------------------------

@version_app.command("create")
def version_create(
    resource_group: ResourceGroup = None, gallery_name: GalleryName = None,
    gallery_image_definition: Definition = None, gallery_image_version: Version = None,
    target_regions: TargetRegions = None, replica_count: ReplicaCount = None,
    storage_account_type: Annotated[Optional[str], typer.Option(
        "--storage-account-type", show_default=False,
        help="The default storage account type per region: Standard_LRS (default), Standard_ZRS, Premium_LRS.")] = None,
    exclude_from_latest: ExcludeFromLatest = None,
    end_of_life_date: Annotated[Optional[str], typer.Option("--end-of-life-date", help="The end of life date, e.g. "
                                                            "'2030-12-31'.", show_default=False)] = None,
    managed_image: Annotated[Optional[str], typer.Option(
        "--managed-image", show_default=False,
        help="Source image id, recorded as storageProfile.source (vmss captures nothing).")] = None,
    location: Location = None,
    tags: Tags = None,
    boot_time: Annotated[Optional[str], typer.Option(
        "--boot-time", show_default=False,
        help="Emulator: how long an instance on this version takes to turn healthy: 90s, 5m, PT5M. "
             "Default: 60s.")] = None,
    fail_percent: Annotated[int, typer.Option("--fail-percent", help="Emulator: share of instances (0-100) that "
                                              "never turn healthy on this version.")] = 0,
    no_wait: NoWait = False,
) -> None:
    """Create a new image version; it replicates to each target region in turn (20 minutes each).

    A scale set that uses the image definition id with automatic OS upgrades gets the version once it
    has replicated to the set's region (unless it is excluded from latest). Blocks until replication
    is done (the world clock advances); --no-wait returns at once.

    Example: vmss sig image-version create -g myResourceGroup -r myGallery -i myImage -e 1.0.1
    --target-regions eastus westus
    """
    from vmss_cli.core.world import timeutil
    from vmss_cli.service import galleries

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg, "--gallery-name/-r": gallery_name,
             "--gallery-image-definition/-i": gallery_image_definition,
             "--gallery-image-version/-e": gallery_image_version})
    exclude = _bool(exclude_from_latest, "--exclude-from-latest")
    boot_seconds = (timeutil.parse_duration(boot_time, "--boot-time") if boot_time is not None
                    else galleries.DEFAULT_BOOT_SECONDS)
    targets = galleries.target_regions(target_regions, replica_count, storage_account_type) \
        if target_regions else None
    _, view = galleries.put_version(
        _ctx(), rg, gallery_name, gallery_image_definition, gallery_image_version, target_regions=targets,
        replica_count=replica_count, storage_account_type=storage_account_type,
        exclude_from_latest=bool(exclude), end_of_life_date=end_of_life_date, source_id=managed_image,
        location=location, tags=_tags(tags), boot_seconds=boot_seconds, fail_percent=fail_percent, wait=not no_wait)
    if not no_wait:
        _show(view)


@version_app.command("update")
def version_update(
    resource_group: ResourceGroup = None, gallery_name: GalleryName = None,
    gallery_image_definition: Definition = None, gallery_image_version: Version = None,
    target_regions: TargetRegions = None, replica_count: ReplicaCount = None,
    exclude_from_latest: ExcludeFromLatest = None,
    no_wait: NoWait = False,
) -> None:
    """Update an image version: replicate it to more regions (or fewer), or change excludeFromLatest.

    New regions replicate after those still pending, 20 minutes each; blocks until done unless --no-wait.

    Example: vmss sig image-version update -g myResourceGroup -r myGallery -i myImage -e 1.0.1
    --target-regions eastus westus westeurope
    """
    from vmss_cli.service import galleries

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg, "--gallery-name/-r": gallery_name,
             "--gallery-image-definition/-i": gallery_image_definition,
             "--gallery-image-version/-e": gallery_image_version})
    exclude = _bool(exclude_from_latest, "--exclude-from-latest")
    targets = galleries.target_regions(target_regions, replica_count, None) if target_regions else None
    _, view = galleries.patch_version(_ctx(), rg, gallery_name, gallery_image_definition, gallery_image_version,
                                      target_regions=targets, replica_count=replica_count,
                                      exclude_from_latest=exclude, wait=not no_wait)
    if not no_wait:
        _show(view)


@version_app.command("show")
def version_show(
    resource_group: ResourceGroup = None, gallery_name: GalleryName = None,
    gallery_image_definition: Definition = None, gallery_image_version: Version = None,
    expand: Annotated[Optional[str], typer.Option("--expand", help="The expand expression to apply on the "
                                                  "operation, e.g. 'ReplicationStatus'.", show_default=False)] = None,
) -> None:
    """Get information about a gallery image version (--expand ReplicationStatus: per-region progress).

    Example: vmss sig image-version show -g myResourceGroup -r myGallery -i myImage -e 1.0.1
    --expand ReplicationStatus
    """
    from vmss_cli.service import galleries

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg, "--gallery-name/-r": gallery_name,
             "--gallery-image-definition/-i": gallery_image_definition,
             "--gallery-image-version/-e": gallery_image_version})
    _show(galleries.get_version(_ctx(), rg, gallery_name, gallery_image_definition, gallery_image_version, expand))


@version_app.command("list")
def version_list(resource_group: ResourceGroup = None, gallery_name: GalleryName = None,
                 gallery_image_definition: Definition = None) -> None:
    """List the versions of a gallery image definition."""
    from vmss_cli.render import views
    from vmss_cli.service import galleries

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg, "--gallery-name/-r": gallery_name,
             "--gallery-image-definition/-i": gallery_image_definition})
    emit([views.az_form(v) for v in galleries.list_versions(_ctx(), rg, gallery_name, gallery_image_definition)])
