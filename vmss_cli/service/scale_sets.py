"""Microsoft.Compute/virtualMachineScaleSets: GET, list, PUT (and the atomic read-modify-write az's
generic update needs), PATCH, DELETE, scale, manualupgrade.

What a PUT means (validation, server-owned fields, secrets kept, model version, platform
scheduling) is core.resources.model_update.put_model; this module opens the transaction and
answers in ARM form.
"""

from __future__ import annotations

import builtins

from vmss_cli.core.resources import model, scaleset
from vmss_cli.service.context import Context

TYPE_CHECKING = False  # typing stays off a read command's start-up path (GET is one)
if TYPE_CHECKING:
    from typing import Callable

    from vmss_cli.core.arm.documents import Document


def get(ctx: Context, rg: str, name: str) -> Document:
    with ctx.transaction(write=False) as tx:
        arm: Document = model.as_returned(scaleset.load(tx, rg, name)["scaleSet"])
        return arm


def list(ctx: Context, rg: str | None) -> builtins.list[Document]:  # noqa: A001 (ARM's operation name)
    with ctx.transaction(write=False) as tx:
        return [model.as_returned(doc["scaleSet"]) for doc in scaleset.list_docs(tx, rg)]


def put(ctx: Context, rg: str, name: str, body: Document) -> tuple[int, Document]:
    """PUT an existing scale set's model: (200, the resource)."""
    import copy  # (lazy, as model_update: a GET's start-up does without them)

    from vmss_cli.core.resources import model_update

    with ctx.transaction() as tx:
        doc = scaleset.load(tx, rg, name)
        new_doc = model_update.put_model(tx, doc, copy.deepcopy(body))
        return 200, model.as_returned(new_doc["scaleSet"])


def update(ctx: Context, rg: str, name: str, change: Callable[[Document], Document]) -> tuple[int, Document]:
    """GET, `change` (the client's edit of a copy of the ARM resource), PUT: in one locked transaction,
    so two clients editing different fields at once both land (ARM clients get this from If-Match)."""
    import copy  # (lazy, as model_update: a GET's start-up does without them)

    from vmss_cli.core.resources import model_update

    with ctx.transaction() as tx:
        doc = scaleset.load(tx, rg, name)
        body = change(copy.deepcopy(doc["scaleSet"]))
        new_doc = model_update.put_model(tx, doc, body)
        return 200, model.as_returned(new_doc["scaleSet"])


def patch(ctx: Context, rg: str, name: str, body: Document) -> tuple[int, Document]:
    """PATCH: a JSON merge of `body` into the stored model, then the PUT's semantics."""
    return update(ctx, rg, name, lambda current: _merge(current, body))


def _merge(target: Document, patch_body: Document) -> Document:
    import copy

    for key, value in patch_body.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target


def advice(arm: Document) -> builtins.list[str]:
    """Valid models with surprising results (batch above the unhealthy limit, ...): the CLI shows them
    with --verbose. Not part of Azure's answer."""
    from vmss_cli.core.resources import validation

    return validation.lint(arm)


def delete(ctx: Context, rg: str, name: str) -> tuple[int, None]:
    with ctx.transaction() as tx:
        scaleset.delete(tx, rg, name)
    return 200, None


def scale(ctx: Context, rg: str, name: str, capacity: int) -> tuple[int, Document]:
    with ctx.transaction() as tx:
        from vmss_cli.core.resources import model_update

        return 200, model.as_returned(model_update.scale(tx, rg, name, capacity)["scaleSet"])


def update_instances(ctx: Context, rg: str, name: str, instance_ids: builtins.list[str]) -> tuple[int, None]:
    """POST manualupgrade: the listed instances ('*' for all) take the latest model now."""
    with ctx.transaction() as tx:
        from vmss_cli.core.resources import model_update

        model_update.update_instances(tx, rg, name, instance_ids)
    return 200, None
