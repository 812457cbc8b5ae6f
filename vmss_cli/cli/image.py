"""`vmss image ...` = `az vm image ...` (list, list-publishers, list-offers, list-skus, show).

The emulated cloud's image endpoints answer from the shipped catalog plus the versions published
in the store (`vmss sim image publish`); nothing is ever fetched.
"""

from __future__ import annotations

import enum
from typing import Annotated, Optional

import typer

from vmss_cli.cli.context import emit, require, service

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


class Architecture(str, enum.Enum):
    """ArchitectureTypes; az's enum flag is case-insensitive and passes the canonical spelling on."""
    Arm64 = "Arm64"
    x64 = "x64"


Location = Annotated[Optional[str], typer.Option("--location", "-l", help="Location (region), e.g. westus.",
                                                 show_default=False)]
Publisher = Annotated[Optional[str], typer.Option("--publisher", "-p", help="Image publisher.", show_default=False)]
Offer = Annotated[Optional[str], typer.Option("--offer", "-f", help="Image offer.", show_default=False)]
Sku = Annotated[Optional[str], typer.Option("--sku", "-s", help="Image sku.", show_default=False)]

SHOW_ARGS_ERROR = "Please specify all of (--publisher, --offer, --sku, --version), or --urn"
SHOW_URN_RECOMMENDATION = "Try to use --urn publisher:offer:sku:version or --urn publisher:offer:sku:edge_zone:version"
URN_FORMAT_ERROR = ("--urn should be in the format of publisher:offer:sku:version or "
                    "publisher:offer:sku:edge_zone:version")


@app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Retrieve image list from live Azure service rather using an "
                                       "offline image list.")] = False,
    location: Location = None,
    publisher: Annotated[Optional[str], typer.Option("--publisher", "-p", help="Image publisher name. Partial name "
                                                     "is accepted.", show_default=False)] = None,
    offer: Annotated[Optional[str], typer.Option("--offer", "-f", help="Image offer name. Partial name is accepted.",
                                                 show_default=False)] = None,
    sku: Annotated[Optional[str], typer.Option("--sku", "-s", help="Image sku name. Partial name is accepted.",
                                               show_default=False)] = None,
    architecture: Annotated[Optional[Architecture], typer.Option("--architecture", case_sensitive=False,
                                                                 help="Image architecture.",
                                                                 show_default=False)] = None,
) -> None:
    """List the VM/VMSS images available in the Azure Marketplace.

    Example: vmss image list --all -p Canonical -f UbuntuServer -o table
    """
    from vmss_cli.cli import reads

    reads.image_list(all_, location, publisher, offer, sku, architecture.value if architecture is not None else None)


@app.command("list-publishers")
def list_publishers(location: Location = None) -> None:
    """List the VM image publishers available in a region.

    Example: vmss image list-publishers -l westus -o table
    """
    from vmss_cli.service import images

    require({"--location/-l": location})
    emit(images.list_publishers(service(), location))


@app.command("list-offers")
def list_offers(location: Location = None, publisher: Publisher = None) -> None:
    """List the VM image offers available in a region from a publisher.

    Example: vmss image list-offers -l westus -p MicrosoftWindowsServer -o table
    """
    from vmss_cli.service import images

    require({"--location/-l": location, "--publisher/-p": publisher})
    emit(images.list_offers(service(), location, publisher))


@app.command("list-skus")
def list_skus(location: Location = None, publisher: Publisher = None, offer: Offer = None) -> None:
    """List the VM image SKUs available in a region for a publisher's offer.

    Example: vmss image list-skus -l westus -p Canonical -f UbuntuServer -o table
    """
    from vmss_cli.service import images

    require({"--location/-l": location, "--publisher/-p": publisher, "--offer/-f": offer})
    emit(images.list_skus(service(), location, publisher, offer))


@app.command("show")
def show(
    urn: Annotated[Optional[str], typer.Option("--urn", help="URN, in format of 'publisher:offer:sku:version' or "
                                               "'publisher:offer:sku:edge_zone:version'. If specified, other "
                                               "argument values can be omitted.", show_default=False)] = None,
    publisher: Publisher = None,
    offer: Offer = None,
    sku: Sku = None,
    version: Annotated[Optional[str], typer.Option("--version", help="Image sku's version; 'latest' is the "
                                                   "highest.", show_default=False)] = None,
    location: Annotated[Optional[str], typer.Option("--location", "-l", help="Location. Default: westus.",
                                                    show_default=False)] = None,
) -> None:
    """Get the details for a VM image available in the Azure Marketplace.

    Example: vmss image show --urn Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest -l eastus
    """
    from vmss_cli.errors import CliError
    from vmss_cli.render import views
    from vmss_cli.service import images

    # az's checks, in az's order (azure-cli vm/custom.py show_vm_image); all are exit 1, not usage errors.
    if urn:
        if any((publisher, offer, sku, version)):
            raise CliError(f"{SHOW_ARGS_ERROR}\n{SHOW_URN_RECOMMENDATION}")
        items = urn.split(":")
        if len(items) not in (4, 5):
            raise CliError(URN_FORMAT_ERROR)
        if len(items) == 5:
            raise CliError("Edge zones are not emulated: use --urn publisher:offer:sku:version.")
        publisher, offer, sku, version = items
    elif not (publisher and offer and sku and version):
        raise CliError(SHOW_ARGS_ERROR)
    # az asks one of the subscription's locations when -l is omitted, and prefers westus
    emit(views.az_form(images.get_version(service(), location or images.DEFAULT_LOCATION, publisher, offer, sku,
                                          version)))
