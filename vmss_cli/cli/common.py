"""Flags shared by many commands, spelled as az spells them."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the read path; annotations are strings
if TYPE_CHECKING:
    from typing import Any, Callable

# (no typing import: the fast path must not load it; annotations are strings under __future__)


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


from vmss_cli.render.errors import DEFAULT_NAME_LABEL, NAME_LABELS  # noqa: E402 (az's labels of -n)


def need_rg_name(rg: str | None, name: str | None, command: str | None = None) -> tuple[str, str]:
    """argparse's required -g and -n (exit 2), labelled as az's `command` labels them."""
    from vmss_cli.cli.context import require

    rg = rg or default_group()
    require({"--resource-group/-g": rg, NAME_LABELS.get(command or "", DEFAULT_NAME_LABEL): name})
    check_names(rg, name)
    return rg, name  # type: ignore[return-value]  # checked above


def need_aaz(rg: str | None, name: str | None) -> tuple[str, str]:
    """AAZ commands (rolling-upgrade, delete) check required fields after parsing: exit 1, not argparse's 2."""
    from vmss_cli.errors import CliError

    rg = rg or default_group()
    if rg is None:
        raise CliError("InvalidArgumentValue: Missing required field: --resource-group")
    if name is None:
        raise CliError("InvalidArgumentValue: Missing required field: -n")
    return rg, name


def need_rg_name_or_ids(rg: str | None, name: str | None) -> tuple[str, str]:
    """Commands taking --ids check -g/-n after parsing (azure-cli core parse_ids_arguments): exit 1."""
    from vmss_cli.errors import CliError

    rg = rg or default_group()
    missing = [option for option, value in (("--resource-group", rg), ("--name", name)) if value is None]
    if missing:
        raise CliError(f"({' '.join(missing)} | --ids) are required")
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
    from vmss_cli.store import names

    if rg is not None:
        names.validate_resource_group(rg)
    if name is not None:
        names.validate_scale_set_name(name)


def _warn_ignored(given: dict[str, object]) -> None:
    from vmss_cli.cli.context import warn

    for option, value in given.items():
        if value:
            warn(f"option '{option}' will be ignored due to use of '--ids'.")


def expand_ids(ids: list[str]) -> list[str]:
    """az's --ids values: ids, lines of ids (`$(az vmss list --query [].id -o tsv)`), or JSON holding
    objects with an `id` (`$(az vmss list)`), as azure-cli core's parse_ids_arguments reads them."""
    import json

    out: list[str] = []
    for value in ids:
        try:
            parsed = json.loads(value)
        except ValueError:
            out += value.splitlines()
            continue
        out += [v["id"] for v in (parsed if isinstance(parsed, list) else [parsed])
                if isinstance(v, dict) and "id" in v]
    return out


def parse_id(rid: str) -> tuple[str, str, str | None]:
    """(resource group, scale set, instance id or None) of a scale set or scale set VM id."""
    from vmss_cli.errors import CliError

    parts = rid.strip("/").split("/")
    if len(parts) not in (8, 10) or parts[0].lower() != "subscriptions" or parts[2].lower() != "resourcegroups" \
            or parts[6].lower() != "virtualmachinescalesets" \
            or (len(parts) == 10 and parts[8].lower() != "virtualmachines"):
        raise CliError(f"invalid resource ID: {rid}")
    return parts[3], parts[7], parts[9] if len(parts) == 10 else None


def for_each_id(ids: list[str] | None, rg: str | None, name: str | None, run: Callable[..., Any],
                instance_id: str | None = None, instance_option: str | None = None, aaz: bool = False):
    """az runs a command once per `--ids` value (azure-cli core AzCliCommandInvoker): one id gives
    that run's result; several give the list of results, in the order given (az runs them in
    parallel and lists them as they finish). A failing id, when another succeeded, is a
    `WARNING: <id>: "<error>"` and exit 0; when all of several fail, exit 1 with `Encountered more
    than one exception.` Commands whose ids also name an instance (`instance_option`, az's
    --instance-id on update and get-instance-view) need a VM id: run(rg, name, instance).
    An AAZ command (`aaz`) names its name option `-n` in the ignored-option warning, whatever was typed
    (its options list starts with -n; measured on az 2.91)."""
    if not ids:
        return run(rg, name, instance_id) if instance_option else run(rg, name)
    from vmss_cli.cli.context import warn
    from vmss_cli.errors import CliError, VmssError
    from vmss_cli.render.errors import error_text

    _warn_ignored({"--resource-group": rg, "-n" if aaz else "--name": name, **({instance_option: instance_id} if instance_option
                                                                else {})})
    targets = []
    for rid in expand_ids(ids):
        target = parse_id(rid)
        if instance_option and target[2] is None:
            raise CliError(f"Argument {instance_option} cannot be derived from ID {rid}. Please provide a complete "
                           "resource ID containing all information of 'Resource Id' arguments. ")
        targets.append((rid, target if instance_option else target[:2]))
    if len(targets) == 1:
        return run(*targets[0][1])
    results, failures = [], []
    for rid, target in targets:  # type: ignore[assignment]  # (two or three parts: run takes either)
        try:
            results.append(run(*target))
        except VmssError as exc:
            failures.append((rid, error_text(exc)[len("ERROR: "):].rstrip("\n")))
    for rid, text in failures:
        warn(f'{rid}: "{text}"')
    if failures and not results:
        raise CliError("Encountered more than one exception.")
    if failures:
        warn("Encountered more than one exception.")
    return results[0] if len(results) == 1 else results


# The options az 2.91's argparse marks required (commands that cannot take --ids), with its labels, in
# its order. argparse reports them missing before it reports unrecognized arguments (measured: `az vmss
# show extra` → `the following arguments are required: --resource-group/-g, --name/-n`).
_GROUP = ("--resource-group/-g", ("--resource-group", "-g"))
AZ_REQUIRED = {
    "vmss show": (_GROUP, ("--name/-n", ("--name", "-n"))),
    "vmss list-instances": (_GROUP, ("-n/--name/--virtual-machine-scale-set-name",
                                     ("-n", "--name", "--virtual-machine-scale-set-name"))),
    "vmss get-os-upgrade-history": (_GROUP, ("-n/--name/--vm-scale-set-name", ("-n", "--name",
                                                                               "--vm-scale-set-name"))),
    "vmss scale": (("--new-capacity", ("--new-capacity",)),),
    "vmss update-instances": (_GROUP, ("--name/-n", ("--name", "-n")), ("--instance-ids", ("--instance-ids",))),
    "vmss create": (("--name/-n", ("--name", "-n")), _GROUP),
    "vmss group show": (("--name/-n/--resource-group/-g", ("--name", "-n", "--resource-group", "-g")),),
    "vmss group exists": (("--name/-n/--resource-group/-g", ("--name", "-n", "--resource-group", "-g")),),
    "vmss group delete": (("--name/-n/--resource-group/-g", ("--name", "-n", "--resource-group", "-g")),),
    "vmss group create": (("--name/--resource-group/-n/-g", ("--name", "-n", "--resource-group", "-g")),
                          ("--location/-l", ("--location", "-l"))),
    "vmss image list-publishers": (("--location/-l", ("--location", "-l")),),
    "vmss image list-offers": (("--publisher/-p", ("--publisher", "-p")), ("--location/-l", ("--location", "-l"))),
    "vmss image list-skus": (("--location/-l", ("--location", "-l")), ("--publisher/-p", ("--publisher", "-p")),
                             ("--offer/-f", ("--offer", "-f"))),
    "vmss deployment group show": (_GROUP, ("--name/-n", ("--name", "-n"))),
    "vmss deployment group list": (_GROUP,),
}
# the ones az's config can fill (`az config set defaults.group=…` / `defaults.location=…`)
_DEFAULTED = {"--resource-group/-g": "group", "--location/-l": "location"}


def missing_required(prog: str, args: list[str]) -> list[str]:
    """az's labels of the required options of `prog` that `args` does not give (nor config defaults)."""
    missing = []
    for label, flags in AZ_REQUIRED.get(prog, ()):
        if any(arg in flags or arg.split("=", 1)[0] in flags for arg in args):
            continue
        if label in _DEFAULTED:
            if (default_group() if _DEFAULTED[label] == "group" else default_location()):
                continue
        missing.append(label)
    return missing
