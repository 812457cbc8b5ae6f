"""What the ARM service layer (`vmss_cli.service`, SERVICE_API) does not offer yet, with the signatures
it will have (`fn(ctx, ...)`, ARM form out, `(status, body)` from writes, errors raised), on the core
functions: deployments, VM instances, the image catalog, creating a scale set by PUT,
instance health, and the next queued event (serve's on-poll clock). When the service layer grows these,
serve/resources.py imports them from there and this module shrinks.
"""

from __future__ import annotations

import copy


def create_scale_set(ctx, rg, name, body, api_version=None):
    """A PUT that creates a set: as a template deployment creates it (validation, defaults, instances)."""
    from vmss_cli.core.resources import groups
    from vmss_cli.core.templates import scaleset_template

    with ctx.transaction() as tx:
        group = groups.get(tx, rg)
        res = {"name": name, "location": body.get("location"), "sku": body.get("sku"), "tags": body.get("tags"),
               "zones": body.get("zones"), "properties": body.get("properties"), "apiVersion": api_version}
        doc = scaleset_template.deploy_scale_set(tx, group, res, ctx.subscription)
        return 201, copy.deepcopy(doc["scaleSet"])


def exists_scale_set(ctx, rg, name) -> bool:
    from vmss_cli.core.resources import groups
    from vmss_cli.store import names, paths

    with ctx.transaction(write=False) as tx:
        names.validate_scale_set_name(name)
        group = groups.get(tx, rg)
        return tx.load(paths.scale_set_file(tx.root, group["name"], name), "scaleSet") is not None


class instances:
    @staticmethod
    def list(ctx, rg, name):
        from vmss_cli.core.resources import scaleset
        from vmss_cli.render import views

        with ctx.transaction(write=False) as tx:
            doc = scaleset.load(tx, rg, name)
            return [views.instance_arm(doc, i) for i in sorted(doc["instances"], key=lambda i: int(i["instanceId"]))]

    @staticmethod
    def get(ctx, rg, name, instance_id):
        from vmss_cli.core.resources import scaleset
        from vmss_cli.render import views

        with ctx.transaction(write=False) as tx:
            doc = scaleset.load(tx, rg, name)
            return views.instance_arm(doc, scaleset.find_instance(doc, instance_id))

    @staticmethod
    def get_instance_view(ctx, rg, name, instance_id):
        from vmss_cli.core.resources import scaleset
        from vmss_cli.core.world import clock
        from vmss_cli.render import views

        with ctx.transaction(write=False) as tx:
            doc = scaleset.load(tx, rg, name)
            return views.instance_view(doc, scaleset.find_instance(doc, instance_id), clock.now(tx))


def scale_set_instance_view(ctx, rg, name):
    """GET …/virtualMachineScaleSets/{name}/instanceView (`az vmss get-instance-view` without --instance-id)."""
    from vmss_cli.core.resources import scaleset
    from vmss_cli.core.world import clock
    from vmss_cli.render import views

    with ctx.transaction(write=False) as tx:
        return views.scale_set_instance_view(scaleset.load(tx, rg, name), clock.now(tx))


class images:
    @staticmethod
    def list_publishers(ctx, location):
        from vmss_cli.core.resources import catalog

        with ctx.transaction(write=False) as tx:
            return catalog.list_publishers(tx, catalog.check_location(location), ctx.subscription)

    @staticmethod
    def list_offers(ctx, location, publisher):
        from vmss_cli.core.resources import catalog

        with ctx.transaction(write=False) as tx:
            return catalog.list_offers(tx, catalog.check_location(location), publisher, ctx.subscription)

    @staticmethod
    def list_skus(ctx, location, publisher, offer):
        from vmss_cli.core.resources import catalog

        with ctx.transaction(write=False) as tx:
            return catalog.list_skus(tx, catalog.check_location(location), publisher, offer, ctx.subscription)

    @staticmethod
    def list_versions(ctx, location, publisher, offer, sku):
        from vmss_cli.core.resources import catalog
        from vmss_cli.errors import NotFoundError

        with ctx.transaction(write=False) as tx:
            loc = catalog.check_location(location)
            entry = catalog.find_sku(publisher, offer, sku)
            if entry is None:
                raise NotFoundError("Artifact: VMImage was not found.", code="NotFound")
            return [catalog.image_resource(ctx.subscription, loc, entry, v["version"])
                    for v in catalog.versions(tx, loc, entry)]

    @staticmethod
    def get_version(ctx, location, publisher, offer, sku, version):
        from vmss_cli.core.resources import catalog

        with ctx.transaction(write=False) as tx:
            return catalog.show(tx, catalog.check_location(location), publisher, offer, sku, version,
                                ctx.subscription)


class deployments:
    @staticmethod
    def put(ctx, rg, name, body):
        import json

        from vmss_cli.core.resources import groups
        from vmss_cli.core.templates import deployments as templates
        from vmss_cli.errors import InvalidParameterError
        from vmss_cli.store import paths

        props = body.get("properties") if isinstance(body, dict) else None
        if not isinstance(props, dict) or not isinstance(props.get("template"), (dict, str)):
            raise InvalidParameterError("The request content was invalid: 'properties.template' is required.",
                                        code="InvalidRequestContent")
        parameters = props.get("parameters") or {}
        sources = [("text", json.dumps(parameters), None)] if parameters else []
        with ctx.transaction() as tx:
            templates.validate_deployment_name(name)
            existed = tx.load(paths.deployment_file(tx.root, groups.get(tx, rg)["name"], name),
                              "deployment") is not None
            template = props["template"]  # an object, or the template file's text (as az sends it)
            doc = templates.deploy(tx, rg, template if isinstance(template, str) else json.dumps(template),
                                   "template", sources, name,
                                   mode=props.get("mode") or "Incremental", no_prompt=True,
                                   subscription=ctx.subscription)
            return (200 if existed else 201), copy.deepcopy(doc["deployment"])

    @staticmethod
    def validate(ctx, rg, name, body):
        """POST …/deployments/{name}/validate: the whole deployment run, then rolled back (nothing kept)."""
        result: dict = {}

        class _RollBack(Exception):
            pass

        try:
            with _RollbackContext(ctx) as rollback_ctx:
                result["deployment"] = deployments.put(rollback_ctx, rg, name, body)[1]
                raise _RollBack
        except _RollBack:
            pass
        dep = result["deployment"]
        dep["properties"]["validatedResources"] = dep["properties"].pop("outputResources", [])
        dep["properties"].pop("outputs", None)
        return dep

    @staticmethod
    def get(ctx, rg, name):
        from vmss_cli.core.templates import deployments as templates

        with ctx.transaction(write=False) as tx:
            return copy.deepcopy(templates.load(tx, rg, name)["deployment"])

    @staticmethod
    def list(ctx, rg):
        from vmss_cli.core.templates import deployments as templates

        with ctx.transaction(write=False) as tx:
            return [copy.deepcopy(d["deployment"]) for d in templates.list_docs(tx, rg)]


def publish_image(ctx, location, publisher, offer, sku, version, boot_seconds=None, fail_percent=0):
    """A release (service.world.publish_image, the catalog's default boot time when none is given), as
    VirtualMachineImage."""
    from vmss_cli.core.resources import catalog
    from vmss_cli.service import world

    boot = catalog.DEFAULT_BOOT_SECONDS if boot_seconds is None else boot_seconds
    record = world.publish_image(ctx, location, publisher, offer, sku, version, boot, fail_percent)
    entry = catalog.find_sku(record["publisher"], record["offer"], record["sku"])
    return catalog.image_version(ctx.subscription, record["location"], entry, record["version"])


def image_aliases() -> dict:
    """The alias document az reads for `az vm image list` ({"Linux": {alias: urn parts}, "Windows": …})."""
    from vmss_cli.core.resources import catalog

    out: dict = {"Linux": {}, "Windows": {}}
    for entry in catalog.shipped()["images"]:
        if entry.get("urnAlias"):
            out["Windows" if entry["osType"] == "Windows" else "Linux"][entry["urnAlias"]] = {
                "publisher": entry["publisher"], "offer": entry["offer"], "sku": entry["sku"],
                "version": "latest", "architecture": entry.get("architecture", "x64")}
    return out


def locations() -> tuple[str, ...]:
    """The regions the store accepts (Azure's public regions)."""
    from vmss_cli.core.resources.regions import PUBLIC_REGIONS

    return PUBLIC_REGIONS


def store_subscription(root) -> str:
    """The store's one subscription, fixed when it is first written."""
    from vmss_cli.core.world import clock
    from vmss_cli.store.state import transaction

    with transaction(root, write=False) as tx:
        return clock.subscription(tx)


class _RollbackContext:
    """A context whose one write transaction is shared by the calls made with it and never committed
    (the exception that ends the `with` block rolls it back)."""

    def __init__(self, ctx) -> None:
        self._ctx = ctx
        self.subscription = ctx.subscription
        self.root = ctx.root
        self.listeners, self.interrupted = ctx.listeners, ctx.interrupted

    def __enter__(self):
        self._cm = self._ctx.transaction()
        self._tx = self._cm.__enter__()
        return self

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)

    def transaction(self, write: bool = True):
        from contextlib import nullcontext

        return nullcontext(self._tx)


def next_event(ctx):
    """World time (epoch seconds) of the next queued event, or None (serve's on-poll clock)."""
    from vmss_cli.core.world import clock

    with ctx.transaction(write=False) as tx:
        queue = clock.load(tx).get("queue") or []
    return min(e["at"] for e in queue) if queue else None


def set_health(ctx, rg, name, instance_ids, state, until):
    from vmss_cli.core.rollout import faults

    with ctx.transaction() as tx:
        return faults.set_health(tx, rg, name, instance_ids, state, until)
