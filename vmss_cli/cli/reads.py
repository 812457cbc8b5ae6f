"""The bodies of the hot read commands (show, list-instances, get-os-upgrade-history,
rolling-upgrade get-latest, image list), free of typer.

Each command is declared once, with typer, where its group lives (cli/vmss.py, cli/rolling.py,
cli/rolling_commands.py, cli/image.py); that declaration calls the function of the same name here
with the same parameters. cli/fast.py calls these functions directly for a well-formed command line,
through a table generated from those declarations (cli/fast_table.py), so scripts calling them
hundreds of times do not pay for typer (README "Start-up time").
"""

from __future__ import annotations

from vmss_cli.cli.common import for_each_id, need_aaz, need_rg_name
from vmss_cli.cli.context import emit, warn

# az's warnings, word for word (azure-cli vm/custom.py list_vm_images). The offline one is printed
# without az's preceding "Failed to retrieve image alias doc ... Use local copy instead." line:
# az prints that only when its download fails, and the emulator never downloads.
OFFLINE_WARNING = "You are viewing an offline list of images, use --all to retrieve an up-to-date list"
ALL_WARNING = ("You are retrieving all the images from server which could take more than a minute. To shorten "
               "the wait, provide '--publisher', '--offer' , '--sku' or '--edge-zone'. Partial name search is "
               "supported.")


def show(resource_group: str | None, name: str | None, instance_id: str | None) -> None:
    from vmss_cli.render import views

    rg, name = need_rg_name(resource_group, name, "show")
    if instance_id is None:
        from vmss_cli.cli import context
        from vmss_cli.service import scale_sets

        emit(views.az_form(scale_sets.get(context.service(), rg, name)), views.SCALE_SET_TABLE)
        return
    from vmss_cli.cli import context
    from vmss_cli.service import instances

    emit(views.az_form(instances.get(context.service(), rg, name, instance_id)),
         views.SCALE_SET_TABLE)  # az's, on the VM


def list_instances(resource_group: str | None, name: str | None) -> None:
    from vmss_cli.cli import context
    from vmss_cli.render import views
    from vmss_cli.service import instances

    rg, name = need_rg_name(resource_group, name, "list-instances")
    emit(views.az_form(instances.list(context.service(), rg, name)))


def get_os_upgrade_history(resource_group: str | None, name: str | None, max_items: int | str | None,
                           next_token: str | None) -> None:
    from vmss_cli.cli import context
    from vmss_cli.service import rolling_upgrades

    rg, name = need_rg_name(resource_group, name)
    if max_items is not None:
        try:
            max_items = int(max_items)  # parsed after argparse, as az's paging arguments are (exit 1)
        except ValueError as exc:
            from vmss_cli.errors import CliError

            raise CliError(f"Failed to parse '--max-items' argument: {exc}") from None
    if max_items is not None and max_items < 1:  # az 2.91 (AAZ pagination limit, minimum 1), exit 1
        from vmss_cli.errors import CliError

        raise CliError(f"InvalidArgumentValue: --max-items: Invalid format: '{max_items}' is less than 1")
    items = rolling_upgrades.os_upgrade_history(context.service(), rg, name)
    start = int(next_token) if next_token and next_token.isdigit() else 0
    if max_items is not None:
        items = items[start:start + max_items]
    emit(items)


def get_latest(resource_group: str | None, name: str | None, ids: list[str] | None) -> None:
    from vmss_cli.cli import context
    from vmss_cli.render.views import az_form
    from vmss_cli.service import rolling_upgrades

    def one(rg: str | None, name: str | None) -> object:
        rg, name = need_aaz(rg, name)
        return az_form(rolling_upgrades.latest(context.service(), rg, name))

    emit(for_each_id(ids, resource_group, name, one, aaz=True))


def image_list(all_: bool, location: str | None, publisher: str | None, offer: str | None, sku: str | None,
               architecture: str | None) -> None:
    """`architecture` is the enum's value (typer passes the enum; cli/image.py unwraps it)."""
    from vmss_cli.service import images

    if not all_:
        # Like az, the offline list ignores -l: aliases name a SKU, not a region.
        found = images.aliases(publisher, offer, sku, architecture)
        warn(OFFLINE_WARNING)
        emit(found)
        return
    from vmss_cli.cli import context

    if not (publisher or offer or sku):
        warn(ALL_WARNING)
    # Without -l az asks one region (westus); the emulator walks every region and prints each URN
    # once, so a version published in any region shows up (README "Images").
    emit(images.list_all(context.service(), location, publisher, offer, sku, architecture))
