"""Microsoft.Resources/deployments at a resource group: PUT (deploy a template), POST validate (the whole
deployment run, then rolled back), GET, list, DELETE (the record only: the resources stay).

A refused template is `InvalidTemplate` (HTTP 400, the template position in `additionalInfo`); a
resource a provider refuses is `InvalidTemplateDeployment` with the provider's error as its first
detail. The errors are structured (vmss_cli.errors): the CLI prints them as az does, serve sends them.
What a deployment does is core.templates.deployments.
"""

from __future__ import annotations

import builtins

from vmss_cli.core.templates import deployments as templates
from vmss_cli.service.context import Context

TYPE_CHECKING = False  # typing stays off a read command's start-up path
if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from typing import Callable

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.store.state import Transaction

    Warn = Callable[[str], None]

MAX_TEMPLATE_BYTES = templates.MAX_TEMPLATE_BYTES  # ARM's limit on a template (and on a parameter file)


def _ignore(message: str) -> None:
    return None


def put(ctx: Context, rg: str, name: str, body: Document, warn: Warn = _ignore) -> tuple[int, Document]:
    """PUT {"properties": {"template": object or the template file's text, "parameters"?, "mode"?}}:
    (201 created | 200 replaced, the deployment)."""
    import json

    from vmss_cli.errors import InvalidParameterError

    props = body.get("properties") if isinstance(body, dict) else None
    if not isinstance(props, dict) or not isinstance(props.get("template"), (dict, str)):
        raise InvalidParameterError("The request content was invalid: 'properties.template' is required.",
                                    code="InvalidRequestContent")
    parameters = props.get("parameters") or {}
    template = props["template"]  # an object, or the template file's text (as az sends it)
    return deploy(ctx, rg, name, template if isinstance(template, str) else json.dumps(template), "template",
                  [("text", json.dumps(parameters), None)] if parameters else [],
                  mode=props.get("mode") or "Incremental", no_prompt=True, warn=warn)


def deploy(ctx: Context, rg: str, name: str, template_text: str, template_label: str,
           parameter_sources: builtins.list[tuple[str, str, str | None]], mode: str = "Incremental", no_prompt: bool = False,
           warn: Warn = _ignore) -> tuple[int, Document]:
    """The PUT as the CLI makes it from files: `parameter_sources` are az's --parameters items in order
    (("file", text, path) or ("text", JSON object or KEY=VALUE, None)); az's client-side merge of them
    and its missing-parameter check (`no_prompt`: warn and let ARM refuse) run before ARM's validation.
    `warn` hears az's warnings as they arise. (201 | 200, the deployment)."""
    import copy

    from vmss_cli.core.resources import groups
    from vmss_cli.errors import VmssError
    from vmss_cli.store import paths

    templates.validate_deployment_name(name)
    with ctx.transaction() as tx:
        try:  # (a missing or misnamed group is the deployment's own error, in its order: after the template's)
            existed = tx.load(paths.deployment_file(tx.root, groups.get(tx, rg)["name"], name),
                              "deployment") is not None
        except VmssError:
            existed = False
        doc = templates.deploy(tx, rg, template_text, template_label, parameter_sources, name, mode=mode,
                               no_prompt=no_prompt, subscription=ctx.subscription, warn=warn)
        return (200 if existed else 201), copy.deepcopy(doc["deployment"])


def validate(ctx: Context, rg: str, name: str, body: Document) -> Document:
    """POST …/deployments/{name}/validate: the deployment as it would be (validatedResources instead of
    outputResources, no outputs); nothing is kept."""
    result: dict[str, Document] = {}

    class _RollBack(Exception):
        pass

    try:
        with _RollbackContext(ctx) as rollback_ctx:
            result["deployment"] = put(rollback_ctx, rg, name, body)[1]
            raise _RollBack
    except _RollBack:
        pass
    dep = result["deployment"]
    dep["properties"]["validatedResources"] = dep["properties"].pop("outputResources", [])
    dep["properties"].pop("outputs", None)
    return dep


def get(ctx: Context, rg: str, name: str) -> Document:
    import copy

    with ctx.transaction(write=False) as tx:
        arm: Document = copy.deepcopy(templates.load(tx, rg, name)["deployment"])
        return arm


def delete(ctx: Context, rg: str, name: str) -> tuple[int, None]:
    """DELETE: the deployment's record goes; the resources it deployed stay (as in ARM). 404
    DeploymentNotFound when there is none."""
    from vmss_cli.store import paths

    with ctx.transaction() as tx:
        templates.load(tx, rg, name)  # (checks both names, and that there is one)
        tx.delete(paths.deployment_file(tx.root, rg, name))
    return 200, None


def list(ctx: Context, rg: str) -> builtins.list[Document]:  # noqa: A001 (ARM's operation name)
    import copy

    with ctx.transaction(write=False) as tx:
        return [copy.deepcopy(d["deployment"]) for d in templates.list_docs(tx, rg)]


class _RollbackContext(Context):
    """A context whose one write transaction is shared by the calls made with it and never committed
    (the exception that ends the `with` block rolls it back)."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx.root, ctx.subscription, ctx.listeners, ctx.interrupted)
        self._outer = ctx

    def __enter__(self) -> _RollbackContext:
        self._cm = self._outer.transaction()
        self._tx = self._cm.__enter__()
        return self

    def __exit__(self, *exc: object) -> bool | None:
        return self._cm.__exit__(*exc)  # type: ignore[arg-type]

    def transaction(self, write: bool = True) -> AbstractContextManager[Transaction]:
        from contextlib import nullcontext

        return nullcontext(self._tx)
