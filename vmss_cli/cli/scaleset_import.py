"""`vmss import` (no az command): create a scale set from `az vmss show -o json` output or an ARM
GET body, to rehearse releases against a copy of a production set. The conversion is
service.scale_sets.import_; this module reads the file (or stdin) and prints."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import ResourceGroup, ScaleSetName
from vmss_cli.cli.context import emit, require, warn

MAX_FILE_BYTES = 4 * 1024 * 1024  # the same 4 MB as an ARM template; a scale set is a few KB


def register(app: typer.Typer) -> None:
    app.command("import")(import_)


def read_bounded(path: str) -> str:
    """The text of `path` (`-`: standard input), at most MAX_FILE_BYTES."""
    from vmss_cli.cli.files import read_bounded as read
    from vmss_cli.errors import CliError

    return read(path, MAX_FILE_BYTES, lambda size: CliError(
        f"'{path}' is larger than {MAX_FILE_BYTES} bytes (4 MB), the most vmss import reads; a scale set's JSON "
        "is a few KB."))


def import_(
    resource_group: ResourceGroup = None,
    name: Annotated[Optional[str], typer.Option(
        "--name", "-n", help="Scale set name. Default: the name in the file.", show_default=False)] = None,
    file: Annotated[Optional[str], typer.Option(
        "--file", "-f", help="The scale set's JSON: what 'az vmss show -o json' prints, or an ARM GET body. "
                             "- reads standard input.", show_default=False)] = None,
    skip_validation: Annotated[bool, typer.Option(
        "--skip-validation", help="Import a set Azure would refuse (automatic OS upgrade requirements), "
                                  "with a warning, to see with 'rolling-upgrade plan' why it would fail.")] = False,
) -> None:
    """Create a scale set from its JSON, to rehearse releases against a copy of a production set.

    The resource group is created when missing, in the set's location. Read-only values
    (provisioningState, uniqueId, timeCreated, etag ...) are dropped and every change is reported
    as a warning. The model is validated as a PUT is; instances are created to match sku.capacity.

    Example: az vmss show -g prod -n web -o json | vmss import -g rehearsal --file -
    """
    from vmss_cli.cli import context
    from vmss_cli.cli.common import check_names, default_group
    from vmss_cli.render import views
    from vmss_cli.service import scale_sets

    resource_group = resource_group or default_group()
    require({"--resource-group/-g": resource_group, "--file/-f": file})
    check_names(resource_group, name)
    label = "<stdin>" if file == "-" else file
    _, arm, notes = scale_sets.import_(context.service(), resource_group, name, read_bounded(file), label,
                                       skip_validation=skip_validation)
    for note in notes:
        warn(note)
    if context.current().verbose:  # the policy traps `vmss update --verbose` names, for the imported policy
        for message in scale_sets.advice(arm):
            warn(message)
    emit(views.az_form(arm), views.SCALE_SET_TABLE)
