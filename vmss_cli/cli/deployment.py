"""`vmss deployment group create | show | list` = `az deployment group ...` (ARM templates).

Only this module reads files: the template named by --template-file and the parameter files named
by `--parameters @FILE` (or a path that is a file, as az accepts). Nothing in a template or a
parameter file can make vmss open another file or fetch a URL.
"""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from vmss_cli.cli.common import NoWait, ResourceGroup
from vmss_cli.cli.context import emit, require, warn

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
group_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)
app.add_typer(group_app, name="group", help="Manage Azure Resource Manager template deployment at resource group.")

DeploymentName = Annotated[Optional[str], typer.Option("--name", "-n", help="The deployment name. Default: the "
                                                       "template file's base name.", show_default=False)]


def _rg(resource_group: str | None) -> str | None:
    from vmss_cli.cli.common import default_group

    return resource_group or default_group()


def _read(path: str) -> str:
    from vmss_cli.core.templates import deployments as template
    from vmss_cli.errors import CliError

    try:
        size = os.stat(path).st_size
        if os.path.isdir(path):
            raise CliError(f"[Errno 21] Is a directory: '{path}'")
        if size > template.MAX_TEMPLATE_BYTES:
            raise CliError(f"The file '{path}' is {size} bytes; an ARM template or parameter file may be at most "
                           f"{template.MAX_TEMPLATE_BYTES} bytes (4 MB).")
        with open(path, encoding="utf-8-sig") as handle:
            # at most one character past the limit: stat says 0 bytes for a device (/dev/zero)
            text = handle.read(template.MAX_TEMPLATE_BYTES + 1)
        if len(text.encode()) > template.MAX_TEMPLATE_BYTES:
            raise CliError(f"The file '{path}' is more than {template.MAX_TEMPLATE_BYTES} bytes; an ARM template or "
                           f"parameter file may be at most {template.MAX_TEMPLATE_BYTES} bytes (4 MB).")
        return text
    except FileNotFoundError:
        raise CliError(f"[Errno 2] No such file or directory: '{path}'") from None
    except UnicodeDecodeError:
        raise CliError(f"Failed to parse '{path}', please check whether it is a valid JSON format") from None
    except OSError as exc:
        raise CliError(f"[Errno {exc.errno}] {exc.strerror}: '{path}'") from None


def _sources(parameters: list[str] | None) -> list[tuple[str, str, str | None]]:
    """az's --parameters items: `@FILE` or an existing file path (read here), a JSON object, or k=v."""
    from vmss_cli.errors import CliError

    out: list[tuple[str, str, str | None]] = []
    for item in parameters or []:
        if item.startswith("@"):
            out.append(("file", _read(item[1:]), item[1:]))
        elif "=" not in item.split("{", 1)[0] and os.path.isfile(item):
            out.append(("file", _read(item), item))
        elif "://" in item.split("=", 1)[0]:
            raise CliError(f"vmss does not download parameter files: save '{item}' and pass it as @FILE.")
        else:
            out.append(("text", item, None))
    return out


@group_app.command("create")
def create(
    resource_group: ResourceGroup = None,
    template_file: Annotated[Optional[str], typer.Option("--template-file", "-f", help="A path to an ARM template "
                                                         "file (JSON; comments allowed).", show_default=False)] = None,
    template_uri: Annotated[Optional[str], typer.Option("--template-uri", "-u", help="Not emulated: vmss does not "
                                                        "download templates.", show_default=False)] = None,
    parameters: Annotated[Optional[list[str]], typer.Option(
        "--parameters", "-p", show_default=False,
        help="Parameters: `@FILE` (a parameters file), a JSON object, or space-separated KEY=VALUE pairs. "
             "Repeatable; a later value wins.")] = None,
    name: DeploymentName = None,
    mode: Annotated[str, typer.Option("--mode", help="Incremental (only Incremental is emulated).")] = "Incremental",
    no_prompt: Annotated[Optional[str], typer.Option(
        "--no-prompt", metavar="[true|false]", show_default=False,
        help="Do not fail client-side on missing parameters (the service then reports them).")] = None,
    no_wait: NoWait = False,
) -> None:
    """Start a deployment at resource group: scale sets are created as vmss create makes them;
    resource types vmss does not emulate are recorded with a warning.

    Example: vmss deployment group create -g myResourceGroup --template-file autoupdate.json
    --parameters vmssNamePrefix=myvmss instanceCount=3 adminUsername=azureuser adminPassword=...
    """
    from vmss_cli.cli.vmss import parse_bool
    from vmss_cli.core.templates import deployments as template
    from vmss_cli.errors import CliError
    from vmss_cli.render import deployments
    from vmss_cli.store.state import transaction

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg})
    if template_uri is not None:
        raise CliError("vmss does not download templates: save the template and pass --template-file.")
    require({"--template-file/-f": template_file})
    text = _read(template_file)
    sources = _sources(parameters)
    deployment_name = name or os.path.splitext(os.path.basename(template_file))[0]
    template.validate_deployment_name(deployment_name)
    with transaction() as tx:
        doc = template.deploy(tx, rg, text, template_file, sources, deployment_name, mode=mode,
                              no_prompt=bool(parse_bool(no_prompt, "--no-prompt")),
                              warn=warn)
    if not no_wait:
        emit(deployments.deployment(doc))


@group_app.command("show")
def show(resource_group: ResourceGroup = None, name: DeploymentName = None) -> None:
    """Get a deployment at resource group."""
    from vmss_cli.core.templates import deployments as template
    from vmss_cli.render import deployments
    from vmss_cli.store.state import transaction

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg, "--name/-n": name})
    with transaction(write=False) as tx:
        doc = template.load(tx, rg, name)
    emit(deployments.deployment(doc), deployments.deployment_table)


@group_app.command("list")
def list_(resource_group: ResourceGroup = None) -> None:
    """List the deployments of a resource group."""
    from vmss_cli.core.templates import deployments as template
    from vmss_cli.render import deployments
    from vmss_cli.store.state import transaction

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg})
    with transaction(write=False) as tx:
        docs = template.list_docs(tx, rg)
    emit([deployments.deployment(d) for d in docs], deployments.deployment_table)
