"""Microsoft.Compute/virtualMachineScaleSets: GET, list, PUT (that creates, or that changes a set, and
the atomic read-modify-write az's generic update needs), PATCH, DELETE, scale, manualupgrade; and the
PUTs the CLI makes from `vmss create`'s flags and from `vmss import`'s file.

What a PUT means (validation, server-owned fields, secrets kept, model version, platform
scheduling) is core.resources.model_update.put_model, and for a new set
core.templates.scaleset_template; this module opens the transaction and answers in ARM form.
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


def put(ctx: Context, rg: str, name: str, body: Document, api_version: str | None = None) -> tuple[int, Document]:
    """Azure's PUT. On an existing set (200): what the body omits (absent or null) at the resource, its
    properties, the VM profile, its storage and OS profiles is kept from the stored model (CRP keeps
    it: `az vmss update` PUTs no imageReference, `az vmss scale` only location and sku, and no client
    sends back the write-only customData), then model_update.put_model's semantics. On a new set (201):
    created as a template deployment creates it (defaults, validation, instances); `api_version`
    2017-03-30 reads the legacy `upgradePolicy.automaticOSUpgrade`."""
    import copy  # (lazy, as model_update: a GET's start-up does without them)

    from vmss_cli.core.resources import groups, model_update
    from vmss_cli.store import names, paths

    with ctx.transaction() as tx:
        names.validate_scale_set_name(name)
        group = groups.get(tx, rg)
        if tx.load(paths.scale_set_file(tx.root, group["name"], name), "scaleSet") is None:
            from vmss_cli.core.templates import scaleset_template

            res = {"name": name, "location": body.get("location"), "sku": body.get("sku"), "tags": body.get("tags"),
                   "zones": body.get("zones"), "properties": body.get("properties"), "apiVersion": api_version}
            created: Document = copy.deepcopy(scaleset_template.deploy_scale_set(tx, group, res,
                                                                                 ctx.subscription)["scaleSet"])
            return 201, created
        doc = scaleset.load(tx, rg, name)
        new_doc = model_update.put_model(tx, doc, _keep_omitted(doc["scaleSet"], body))
        return 200, model.as_returned(new_doc["scaleSet"])


# What a PUT keeps when it omits it, level by level (see put).
_KEPT_LEVELS = ((), ("properties",), ("properties", "virtualMachineProfile"),
                ("properties", "virtualMachineProfile", "storageProfile"),
                ("properties", "virtualMachineProfile", "osProfile"))


def _keep_omitted(old: Document, body: Document) -> Document:
    """The PUT body with what it omits taken from the stored set."""
    import copy

    new: Document = copy.deepcopy(body) if isinstance(body, dict) else {}
    for level in _KEPT_LEVELS:
        stored: object = old
        given = new
        for key in level:
            stored = stored.get(key) if isinstance(stored, dict) else None
            if not isinstance(given.get(key), dict):
                given[key] = {}
            given = given[key]
        if isinstance(stored, dict):
            for key, value in stored.items():
                if given.get(key) is None:
                    given[key] = copy.deepcopy(value)
    return new


def create(ctx: Context, rg: str, name: str, **az_create: object) -> tuple[int, Document]:
    """The PUT `az vmss create`'s client-side template makes, from its flags already given az's
    defaults by the client (core.resources.scaleset.create's keywords: image, location, instance_count,
    vm_sku, orchestration_mode, upgrade_policy_mode, ...): (201, the scale set)."""
    with ctx.transaction() as tx:
        doc = scaleset.create(tx, resource_group=rg, name=name, subscription=ctx.subscription,
                              **az_create)  # type: ignore[arg-type]
        return 201, model.as_returned(doc["scaleSet"])


def import_(ctx: Context, rg: str, name: str | None, text: str, label: str,
            skip_validation: bool = False) -> tuple[int, Document, builtins.list[str]]:
    """`vmss import`: create the set `text` describes (`az vmss show -o json` output or an ARM GET body;
    the group is made when missing). (201, the scale set, notes: what was changed or dropped)."""
    from vmss_cli.core.resources import scaleset_import

    body = scaleset_import.parse(text, label)
    with ctx.transaction() as tx:
        doc, notes = scaleset_import.import_scale_set(tx, rg, name, body, ctx.subscription,
                                                      skip_validation=skip_validation)
        return 201, model.as_returned(doc["scaleSet"]), notes


def check_az_types(az: Document) -> None:
    """The service's deserializer on a generic update's result (az form): a value of the wrong JSON type
    is refused with Azure's text before the body is unflattened (the client calls this before its PUT)."""
    from vmss_cli.core.resources import validation

    validation.check_az_types(az)


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
    """DELETE: the set, its instances and event log (404 ResourceNotFound when there is none)."""
    with ctx.transaction() as tx:
        scaleset.delete(tx, rg, name)
    return 200, None


def scale(ctx: Context, rg: str, name: str, capacity: int) -> tuple[int, Document]:
    """A PUT that changes only sku.capacity (what `az vmss scale`'s GET + PUT amounts to): scale out with
    new instances on the model, or in (highest ids first)."""
    with ctx.transaction() as tx:
        from vmss_cli.core.resources import model_update

        return 200, model.as_returned(model_update.scale(tx, rg, name, capacity)["scaleSet"])


def update_instances(ctx: Context, rg: str, name: str, instance_ids: builtins.list[str]) -> tuple[int, None]:
    """POST manualupgrade: the listed instances ('*' for all) take the latest model now."""
    with ctx.transaction() as tx:
        from vmss_cli.core.resources import model_update

        model_update.update_instances(tx, rg, name, instance_ids)
    return 200, None
