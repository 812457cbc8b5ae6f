"""A stand-in for the ARM service layer (`vmss_cli.service`, issue 11) with exactly its signatures
(SERVICE_API: `fn(ctx, ...)`, ARM form out, `(status, body)` from writes, errors raised), built on
today's core functions. serve imports its names from here; when the service layer lands, the import
in serve/resources.py changes to `vmss_cli.service` and this module goes.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Callable, Sequence

from vmss_cli.core import timeutil
from vmss_cli.core.world import DEFAULT_SUBSCRIPTION
from vmss_cli.store.state import transaction

_STATUS = {"RollingForward": "InProgress", "RollingBack": "InProgress", "Completed": "Succeeded",
           "Faulted": "Failed", "Cancelled": "Canceled"}


class Context:
    def __init__(self, root: Path | None = None, subscription: str = DEFAULT_SUBSCRIPTION,
                 listeners: Sequence[Callable[[dict], None]] = (), interrupted: Callable[[], bool] = lambda: False):
        from vmss_cli.store import paths

        self.root = root or paths.home()
        self.subscription = subscription.lower()
        self.listeners = listeners
        self.interrupted = interrupted


def _read(ctx: Context):
    return transaction(ctx.root, write=False)


def _write(ctx: Context):
    return transaction(ctx.root, write=True)


def _operation(doc: dict, op: dict) -> dict:
    return {"id": f"{doc['scaleSet']['id']}/rollingUpgrades/{op['operationId']}", "name": op["operationId"],
            "status": _STATUS[op["status"]], "startTime": timeutil.format_time(op["startTime"]),
            "endTime": timeutil.format_time(op["endTime"]) if op.get("endTime") is not None else None,
            "error": op.get("error")}


class resource_groups:
    @staticmethod
    def put(ctx, rg, body):
        from vmss_cli.core import groups

        with _write(ctx) as tx:
            existed = tx.load(_group_path(tx, rg), "group") is not None
            doc = groups.create(tx, rg, body.get("location") or "", body.get("tags"))
        return (200 if existed else 201), groups.view(doc)

    @staticmethod
    def get(ctx, rg):
        from vmss_cli.core import groups

        with _read(ctx) as tx:
            return groups.view(groups.get(tx, rg))

    @staticmethod
    def list(ctx):
        from vmss_cli.core import groups

        with _read(ctx) as tx:
            return [groups.view(d) for d in groups.list_all(tx)]

    @staticmethod
    def delete(ctx, rg):
        from vmss_cli.core import groups

        with _write(ctx) as tx:
            groups.delete(tx, rg)
        groups.remove_empty_dirs(ctx.root, rg)
        return 200, None


def _group_path(tx, rg):
    from vmss_cli.core import names
    from vmss_cli.store import paths

    names.validate_resource_group(rg)
    return paths.group_file(tx.root, rg)


class scale_sets:
    @staticmethod
    def get(ctx, rg, name):
        from vmss_cli.core import scaleset

        with _read(ctx) as tx:
            return copy.deepcopy(scaleset.load(tx, rg, name)["scaleSet"])

    @staticmethod
    def list(ctx, rg):
        from vmss_cli.core import scaleset

        with _read(ctx) as tx:
            return [copy.deepcopy(d["scaleSet"]) for d in scaleset.list_docs(tx, rg)]

    @staticmethod
    def put(ctx, rg, name, body):
        """PUT an existing set's model (service API: 404 when it does not exist; creation is create_scale_set)."""
        return scale_sets.update(ctx, rg, name, lambda current: copy.deepcopy(body))

    @staticmethod
    def update(ctx, rg, name, change):
        """GET, change(copy of the resource) -> body, PUT: one locked transaction."""
        from vmss_cli.core import scaleset

        with _write(ctx) as tx:
            doc = scaleset.load(tx, rg, name)
            new_doc = _replace_model(tx, doc, change(copy.deepcopy(doc["scaleSet"])))
        return 200, copy.deepcopy(new_doc["scaleSet"])

    @staticmethod
    def patch(ctx, rg, name, body):
        return scale_sets.update(ctx, rg, name, lambda current: _merge(current, body))

    @staticmethod
    def delete(ctx, rg, name):
        from vmss_cli.core import scaleset

        with _write(ctx) as tx:
            scaleset.delete(tx, rg, name)
        return 200, None


def create_scale_set(ctx, rg, name, body, api_version=None):
    """A PUT that creates a set (not yet in the service layer): as a template deployment creates it."""
    from vmss_cli.core import groups, template_vmss

    with _write(ctx) as tx:
        group = groups.get(tx, rg)
        res = {"name": name, "location": body.get("location"), "sku": body.get("sku"), "tags": body.get("tags"),
               "zones": body.get("zones"), "properties": body.get("properties"), "apiVersion": api_version}
        doc = template_vmss.deploy_scale_set(tx, group, res, ctx.subscription)
        return 201, copy.deepcopy(doc["scaleSet"])


def exists_scale_set(ctx, rg, name) -> bool:
    from vmss_cli.core import groups, names
    from vmss_cli.store import paths

    with _read(ctx) as tx:
        names.validate_scale_set_name(name)
        group = groups.get(tx, rg)
        return tx.load(paths.scale_set_file(tx.root, group["name"], name), "scaleSet") is not None


def _merge(target, patch):
    """JSON merge patch (RFC 7386): null deletes, objects merge, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = _merge(out.get(key), value)
    return out


def _replace_model(tx, doc: dict, body: dict) -> dict:
    """A PUT on an existing set: the body replaces the model (minus server-owned values and secrets it
    omits), validated and applied as `vmss update` applies its PUT."""
    from vmss_cli.core import platform, scaleset, update, validation
    from vmss_cli.core.events import Sim

    old_arm = doc["scaleSet"]
    new_arm = copy.deepcopy(body)
    for key in ("id", "name", "type", "resourceGroup"):
        new_arm.pop(key, None)
    new_arm.update(id=old_arm["id"], name=old_arm["name"], type=old_arm["type"])
    validation.check_types(new_arm)  # JSON types first: everything below walks the model
    update._restore_server_owned(old_arm, new_arm)
    update._move_secrets(doc, new_arm)
    new_doc = dict(doc, scaleSet=new_arm)
    validation.validate_model(tx, new_doc, previous=doc)
    sim = Sim(tx)
    if update._model_changed(old_arm, new_arm):
        new_doc["modelVersion"] = doc["modelVersion"] + 1
        update._propagate_model(sim, new_doc)
    update._capacity_change(tx, new_doc, old_arm, new_arm)
    was_auto, now_auto = platform.eligible(doc), platform.eligible(new_doc)
    if now_auto and not was_auto:
        platform.on_enabled(sim, new_doc)
    elif was_auto and not now_auto:
        platform.on_disabled(sim, new_doc)
    scaleset.save(tx, new_doc)
    sim.close()
    return new_doc


class instances:
    @staticmethod
    def list(ctx, rg, name):
        from vmss_cli.core import scaleset
        from vmss_cli.render import views

        with _read(ctx) as tx:
            doc = scaleset.load(tx, rg, name)
            return [views.instance_arm(doc, i) for i in sorted(doc["instances"], key=lambda i: int(i["instanceId"]))]

    @staticmethod
    def get(ctx, rg, name, instance_id):
        from vmss_cli.core import scaleset
        from vmss_cli.render import views

        with _read(ctx) as tx:
            doc = scaleset.load(tx, rg, name)
            return views.instance_arm(doc, scaleset.find_instance(doc, instance_id))

    @staticmethod
    def get_instance_view(ctx, rg, name, instance_id):
        from vmss_cli.core import scaleset, world
        from vmss_cli.render import views

        with _read(ctx) as tx:
            doc = scaleset.load(tx, rg, name)
            return views.instance_view(doc, scaleset.find_instance(doc, instance_id), world.now(tx))


def scale_set_instance_view(ctx, rg, name):
    """GET …/virtualMachineScaleSets/{name}/instanceView (`az vmss get-instance-view` without --instance-id)."""
    from vmss_cli.core import scaleset, world
    from vmss_cli.render import views

    with _read(ctx) as tx:
        return views.scale_set_instance_view(scaleset.load(tx, rg, name), world.now(tx))


class rolling_upgrades:
    @staticmethod
    def start_os_upgrade(ctx, rg, name, *, wait=False):
        from vmss_cli.core import rollouts, scaleset

        with _write(ctx) as tx:
            op = rollouts.start(tx, rg, name, wait=wait, interrupted=ctx.interrupted)
            doc = scaleset.load(tx, rg, name)
        return 202, _operation(doc, op)

    @staticmethod
    def cancel(ctx, rg, name, *, wait=False):
        from vmss_cli.core import rollouts, scaleset

        with _write(ctx) as tx:
            op = rollouts.cancel(tx, rg, name, wait=wait, interrupted=ctx.interrupted)
            doc = scaleset.load(tx, rg, name)
        return 202, _operation(doc, op)

    @staticmethod
    def latest(ctx, rg, name):
        from vmss_cli.core import history, scaleset

        with _read(ctx) as tx:
            return history.latest_status(scaleset.load(tx, rg, name))

    @staticmethod
    def os_upgrade_history(ctx, rg, name):
        from vmss_cli.core import history, scaleset, world

        with _read(ctx) as tx:
            return history.history(scaleset.load(tx, rg, name), world.now(tx))


class operations:
    @staticmethod
    def get(ctx, rg, name, op_id):
        from vmss_cli.core import scaleset
        from vmss_cli.core.errors import NotFoundError

        with _read(ctx) as tx:
            doc = scaleset.load(tx, rg, name)
        for op in doc["rollingUpgrades"]:
            if op["operationId"] == op_id:
                return _operation(doc, op)
        raise NotFoundError(f"The operation '{op_id}' was not found.", code="NotFound")


class images:
    @staticmethod
    def list_publishers(ctx, location):
        from vmss_cli.core import catalog

        with _read(ctx) as tx:
            return catalog.list_publishers(tx, catalog.check_location(location), ctx.subscription)

    @staticmethod
    def list_offers(ctx, location, publisher):
        from vmss_cli.core import catalog

        with _read(ctx) as tx:
            return catalog.list_offers(tx, catalog.check_location(location), publisher, ctx.subscription)

    @staticmethod
    def list_skus(ctx, location, publisher, offer):
        from vmss_cli.core import catalog

        with _read(ctx) as tx:
            return catalog.list_skus(tx, catalog.check_location(location), publisher, offer, ctx.subscription)

    @staticmethod
    def list_versions(ctx, location, publisher, offer, sku):
        from vmss_cli.core import catalog
        from vmss_cli.core.errors import NotFoundError

        with _read(ctx) as tx:
            loc = catalog.check_location(location)
            entry = catalog.find_sku(publisher, offer, sku)
            if entry is None:
                raise NotFoundError("Artifact: VMImage was not found.", code="NotFound")
            return [catalog.image_resource(ctx.subscription, loc, entry, v["version"])
                    for v in catalog.versions(tx, loc, entry)]

    @staticmethod
    def get_version(ctx, location, publisher, offer, sku, version):
        from vmss_cli.core import catalog

        with _read(ctx) as tx:
            return catalog.show(tx, catalog.check_location(location), publisher, offer, sku, version,
                                ctx.subscription)


class deployments:
    @staticmethod
    def put(ctx, rg, name, body):
        import json

        from vmss_cli.core import template
        from vmss_cli.core.errors import InvalidParameterError

        props = body.get("properties") if isinstance(body, dict) else None
        if not isinstance(props, dict) or not isinstance(props.get("template"), dict):
            raise InvalidParameterError("The request content was invalid: 'properties.template' is required.",
                                        code="InvalidRequestContent")
        parameters = props.get("parameters") or {}
        sources = [("text", json.dumps(parameters), None)] if parameters else []
        with _write(ctx) as tx:
            existed = tx.load(_deployment_path(tx, rg, name), "deployment") is not None
            doc = template.deploy(tx, rg, json.dumps(props["template"]), "template", sources, name,
                                  mode=props.get("mode") or "Incremental", no_prompt=True,
                                  subscription=ctx.subscription)
        return (200 if existed else 201), copy.deepcopy(doc["deployment"])

    @staticmethod
    def get(ctx, rg, name):
        from vmss_cli.core import template

        with _read(ctx) as tx:
            return copy.deepcopy(template.load(tx, rg, name)["deployment"])

    @staticmethod
    def list(ctx, rg):
        from vmss_cli.core import template

        with _read(ctx) as tx:
            return [copy.deepcopy(d["deployment"]) for d in template.list_docs(tx, rg)]


def _deployment_path(tx, rg, name):
    from vmss_cli.core import groups, template
    from vmss_cli.store import paths

    template.validate_deployment_name(name)
    return paths.deployment_file(tx.root, groups.get(tx, rg)["name"], name)


class world:
    @staticmethod
    def clock_state(ctx):
        from vmss_cli.core import world as w

        with _read(ctx) as tx:
            doc = w.load(tx)
            return {"now": timeutil.format_time(doc["now"]), "seed": doc["seed"],
                    "startTime": timeutil.format_time(doc["startTime"]), "pendingEvents": len(doc.get("queue", []))}

    @staticmethod
    def advance(ctx, seconds):
        from vmss_cli.core import engine, rollouts

        added = [fn for fn in ctx.listeners if fn not in engine.LISTENERS]
        engine.LISTENERS.extend(added)
        try:
            with _write(ctx) as tx:
                rollouts.advance(tx, int(seconds), interrupted=ctx.interrupted)
        finally:
            for fn in added:
                engine.LISTENERS.remove(fn)
        return world.clock_state(ctx)

    @staticmethod
    def publish_image(ctx, location, publisher, offer, sku, version, boot_seconds, fail_percent):
        from vmss_cli.core import catalog, platform
        from vmss_cli.core import world as w

        with _write(ctx) as tx:
            record = catalog.publish(tx, location, publisher, offer, sku, version, boot_seconds, fail_percent,
                                     w.now(tx))
            w.save(tx, w.load(tx))
            platform.on_image_published(tx, record)
        return record


def next_event(ctx):
    """World time (epoch seconds) of the next queued event, or None (serve's on-poll clock)."""
    from vmss_cli.core import world as w

    with _read(ctx) as tx:
        queue = w.load(tx).get("queue") or []
    return min(e["at"] for e in queue) if queue else None


def set_health(ctx, rg, name, instance_ids, state, until):
    from vmss_cli.core import faults

    with _write(ctx) as tx:
        return faults.set_health(tx, rg, name, instance_ids, state, until)
