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
    from vmss_cli.cli.files import read_bounded
    from vmss_cli.errors import CliError
    from vmss_cli.service.deployments import MAX_TEMPLATE_BYTES as MAX

    def too_big(size: int | None) -> CliError:
        return CliError(f"The file '{path}' is {size} bytes; an ARM template or parameter file may be at most "
                        f"{MAX} bytes (4 MB)." if size is not None else
                        f"The file '{path}' is more than {MAX} bytes; an ARM template or parameter file may be at "
                        f"most {MAX} bytes (4 MB).")

    return read_bounded(path, MAX, too_big)


def az_error(exc):
    """How az prints a deployment the service refused: InvalidTemplate as the error object in JSON (az's
    deployment command prints the validate call's error); a provider's refusal of a resource as
    `Code - message` lines (az's _build_preflight_error_message). Other errors as they are."""
    import json

    from vmss_cli.errors import CliError

    if exc.code == "InvalidTemplate":
        return CliError(json.dumps(exc.to_api_error()))
    if exc.code == "InvalidTemplateDeployment":
        return CliError("\n".join(f"{e.get('code')} - {e.get('message')}"
                                   for e in [{"code": exc.code, "message": exc.message}, *exc.details]))
    return exc


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
    from vmss_cli.cli import context
    from vmss_cli.cli.vmss import parse_bool
    from vmss_cli.errors import CliError, VmssError
    from vmss_cli.render import deployments as render
    from vmss_cli.service import deployments

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg})
    if template_uri is not None:
        raise CliError("vmss does not download templates: save the template and pass --template-file.")
    require({"--template-file/-f": template_file})
    text = _read(template_file)
    sources = _sources(parameters)
    deployment_name = name or os.path.splitext(os.path.basename(template_file))[0]
    try:
        _, arm = deployments.deploy(context.service(), rg, deployment_name, text, template_file, sources, mode=mode,
                                    no_prompt=bool(parse_bool(no_prompt, "--no-prompt")), warn=warn)
    except VmssError as exc:
        raise az_error(exc) from None
    if not no_wait:
        emit(render.with_resource_groups(arm))


@group_app.command("show")
def show(resource_group: ResourceGroup = None, name: DeploymentName = None) -> None:
    """Get a deployment at resource group."""
    from vmss_cli.cli import context
    from vmss_cli.render import deployments as render
    from vmss_cli.service import deployments

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg, "--name/-n": name})
    emit(render.with_resource_groups(deployments.get(context.service(), rg, name)), render.deployment_table)


@group_app.command("list")
def list_(resource_group: ResourceGroup = None) -> None:
    """List the deployments of a resource group."""
    from vmss_cli.cli import context
    from vmss_cli.render import deployments as render
    from vmss_cli.service import deployments

    rg = _rg(resource_group)
    require({"--resource-group/-g": rg})
    emit([render.with_resource_groups(d) for d in deployments.list(context.service(), rg)],
         render.deployment_table)
