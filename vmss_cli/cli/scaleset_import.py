"""`vmss import` (no az command): create a scale set from `az vmss show -o json` output or an ARM
GET body, to rehearse releases against a copy of a production set. The conversion is
core.scaleset_import; this module reads the file (or stdin) and prints."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import ResourceGroup, ScaleSetName
from vmss_cli.cli.context import emit, require, subscription, warn

MAX_FILE_BYTES = 4 * 1024 * 1024  # the same 4 MB as an ARM template; a scale set is a few KB


def register(app: typer.Typer) -> None:
    app.command("import")(import_)


def read_bounded(path: str) -> str:
    """The text of `path` (`-`: standard input), reading at most MAX_FILE_BYTES + 1 bytes, so a
    device or a pipe that never ends cannot exhaust memory."""
    from vmss_cli.errors import CliError

    too_big = CliError(f"'{path}' is larger than {MAX_FILE_BYTES} bytes (4 MB), the most vmss import reads; "
                       "a scale set's JSON is a few KB.")
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if hasattr(sys.stdin, "buffer") else \
                sys.stdin.read(MAX_FILE_BYTES + 1).encode("utf-8")
        else:
            with open(path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise CliError(f"[Errno 2] No such file or directory: '{path}'") from None
    except IsADirectoryError:
        raise CliError(f"[Errno 21] Is a directory: '{path}'") from None
    except OSError as exc:
        raise CliError(f"[Errno {exc.errno}] {exc.strerror}: '{path}'") from None
    if len(data) > MAX_FILE_BYTES:
        raise too_big
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"Failed to parse '{path}', please check whether it is a valid JSON format") from None


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
    from vmss_cli.cli.common import check_names, default_group
    from vmss_cli.core.resources import scaleset_import
    from vmss_cli.render import views
    from vmss_cli.store.state import transaction

    resource_group = resource_group or default_group()
    require({"--resource-group/-g": resource_group, "--file/-f": file})
    check_names(resource_group, name)
    label = "<stdin>" if file == "-" else file
    body = scaleset_import.parse(read_bounded(file), label)
    with transaction() as tx:
        doc, notes = scaleset_import.import_scale_set(tx, resource_group, name, body, subscription(),
                                                      skip_validation=skip_validation)
    for note in notes:
        warn(note)
    from vmss_cli.cli.context import GLOBALS

    if GLOBALS.verbose:  # the policy traps `vmss update --verbose` names, for the imported policy
        from vmss_cli.core.resources import validation

        for message in validation.lint(doc["scaleSet"]):
            warn(message)
    shown = views.scale_set(doc)
    shown["virtualMachineProfile"].get("osProfile", {}).pop("customData", None)  # never echoed, as ARM's GET
    emit(shown, views.SCALE_SET_TABLE)
