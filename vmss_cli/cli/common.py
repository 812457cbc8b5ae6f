"""Flags shared by many commands, spelled as az spells them."""

from __future__ import annotations


def __getattr__(name: str):
    """The typer declarations of the shared flags (ResourceGroup, ScaleSetName, Ids, NoWait), built on
    first use: the helpers below serve the typer-free fast path of hot read commands (cli/fast.py) too,
    and importing this module must not import typer."""
    if name not in ("ResourceGroup", "ScaleSetName", "Ids", "NoWait"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from typing import Annotated, Optional

    import typer

    declared = {
        "ResourceGroup": Annotated[Optional[str], typer.Option("--resource-group", "-g",
                                                               help="Name of resource group.", show_default=False)],
        "ScaleSetName": Annotated[Optional[str], typer.Option("--name", "-n", "--vm-scale-set-name",
                                                              help="Scale set name.", show_default=False)],
        "Ids": Annotated[Optional[list[str]], typer.Option("--ids", help="One or more resource IDs (space-delimited).",
                                                           show_default=False)],
        "NoWait": Annotated[bool, typer.Option("--no-wait", help="Do not wait for the long-running operation to finish.")],
    }
    globals().update(declared)
    return declared[name]


def need_rg_name(rg: str | None, name: str | None) -> tuple[str, str]:
    from vmss_cli.cli.context import require

    rg = rg or default_group()
    require({"--resource-group/-g": rg, "-n/--name/--vm-scale-set-name": name})
    check_names(rg, name)
    return rg, name  # type: ignore[return-value]  # checked above


def default_group() -> str | None:
    """`defaults.group` from config.toml, as az's `az config set defaults.group=...`."""
    from vmss_cli.cli.context import configured

    return configured("defaults", "group")


def default_location() -> str | None:
    from vmss_cli.cli.context import configured

    return configured("defaults", "location")


def check_names(rg: str | None, name: str | None = None) -> None:
    """Azure's naming rules, before a command opens the store: a bad name writes nothing, not even
    the store's directory or lock file."""
    from vmss_cli.core import names

    if rg is not None:
        names.validate_resource_group(rg)
    if name is not None:
        names.validate_scale_set_name(name)


def need_aaz(rg: str | None, name: str | None) -> tuple[str, str]:
    """AAZ commands (rolling-upgrade ...) check required fields after parsing: exit 1, not argparse's 2."""
    from vmss_cli.core.errors import CliError

    rg = rg or default_group()
    if rg is None:
        raise CliError("InvalidArgumentValue: Missing required field: --resource-group")
    if name is None:
        raise CliError("InvalidArgumentValue: Missing required field: -n")
    return rg, name


def ids_to_rg_name(ids: list[str] | None, rg: str | None, name: str | None) -> tuple[str | None, str | None]:
    """`--ids` overrides -g/-n with az's warning."""
    if not ids:
        return rg, name
    from vmss_cli.cli.context import warn
    from vmss_cli.core.errors import CliError

    if rg:
        warn("option '--resource-group' will be ignored due to use of '--ids'.")
    if name:
        warn("option '--name' will be ignored due to use of '--ids'.")
    parts = ids[0].strip("/").split("/")
    if len(parts) != 8 or parts[0].lower() != "subscriptions" or parts[2].lower() != "resourcegroups" \
            or parts[6].lower() != "virtualmachinescalesets":
        raise CliError(f"invalid resource ID: {ids[0]}")
    return parts[3], parts[7]
