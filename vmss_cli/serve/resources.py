"""The ARM resources vmss emulates, as thin handlers: request -> one service call -> ARM JSON.

Statuses are Azure's: PUT 201 created / 200 updated, scale set PUT and DELETE and the rollout POSTs
answered as long-running operations (Azure-AsyncOperation, Location, Retry-After), resource group
DELETE 202 + Location, HEAD 204/404. Lists are `{"value": [...]}` (with `nextLink` when paged).
"""

from __future__ import annotations

# The ARM service layer (docs/service-api.md): one call per request.
from vmss_cli.service import (deployments, images, instances, operations, resource_groups,  # noqa: F401
                              rolling_upgrades, scale_sets, world)
from vmss_cli.service.context import Context  # noqa: F401
from vmss_cli.service.simulator import next_event  # noqa: F401 (the clock's: see _this_module)
from vmss_cli.serve import lro
from vmss_cli.serve.errors import ArmError
from vmss_cli.serve.messages import Request, Response

HISTORY_PAGE_SIZE = 2  # osUpgradeHistory entries per page: small, so clients' nextLink paging is exercised


def camel_case(name: str) -> str:
    """ARM's JSON serializer camel-cases output names as Newtonsoft's CamelCasePropertyNamesContractResolver
    does: the leading run of capitals goes lower-case ('VMSS' -> 'vmss', 'URLValue' -> 'urlValue').
    az reads `deployment_result['vmss']` of its template's `VMSS` output."""
    chars = list(name)
    for i, ch in enumerate(chars):
        if not ch.isupper() or (i == 1 and not chars[i].isupper()):
            break
        if i > 0 and i + 1 < len(chars) and not chars[i + 1].isupper():
            if chars[i + 1] == " ":
                chars[i] = ch.lower()
            break
        chars[i] = ch.lower()
    return "".join(chars)


def _api(req: Request) -> str:
    return req.query["api-version"]


def now(ctx) -> str:
    """World time (ISO 8601)."""
    return world.clock_state(ctx)["now"]


# ---- resource groups --------------------------------------------------------------------------------

def group(app, req: Request, sub: str, rg: str) -> Response:
    ctx = app.context(sub)
    if req.method == "PUT":
        body = req.json()
        location, tags = body.get("location"), body.get("tags")
        if not isinstance(location, str) or not location:
            raise ArmError(400, "LocationRequired", "The location property is required for this definition.")
        if tags is not None and not (isinstance(tags, dict) and all(isinstance(v, str) for v in tags.values())):
            raise ArmError(400, "InvalidRequestContent", "The request content was invalid: 'tags' must be an "
                           "object of strings.")
        status, group = resource_groups.put(ctx, rg, {"location": location, "tags": tags})
        return Response(status, group)
    if req.method == "GET":
        return Response(200, resource_groups.get(ctx, rg))
    if req.method == "HEAD":
        try:
            resource_groups.get(ctx, rg)
        except Exception as exc:  # noqa: BLE001 - only "not found" means 404 here
            if getattr(exc, "exit_code", None) == 3:
                return Response(404)
            raise
        return Response(204)
    # DELETE: 202 + Location; the group is gone when the poll arrives (ARM deletes asynchronously)
    resource_groups.delete(ctx, rg)
    op = lro.done(now(ctx))
    url = lro.compute_status_url(req.base, sub, "global", op, _api(req))
    return Response(202, None, {"Location": url.replace("?api-version=", "?monitor=true&api-version=", 1),
                                "Retry-After": str(lro.RETRY_AFTER)})


def group_list(app, req: Request, sub: str) -> Response:
    return Response(200, {"value": resource_groups.list(app.context(sub))})


# ---- deployments (az vmss create deploys a template) ------------------------------------------------

def _deployment_view(dep: dict) -> dict:
    """Outputs as ARM sends them: names camel-cased (see camel_case)."""
    outputs = (dep.get("properties") or {}).get("outputs")
    if isinstance(outputs, dict):
        dep["properties"]["outputs"] = {camel_case(k): v for k, v in outputs.items()}
    return dep


_AZ_TEMPLATE_SPLICE = b", template:"


def deployment_body(req: Request) -> dict:
    """A deployment's body. az 2.91 does not send JSON here: it splices the template file's text in as
    `…, template:<text>}}` (unquoted key; the text keeps its comments and whitespace, so that ARM's errors
    can name lines), which ARM's lenient reader takes. The template goes on as text."""
    at = req.body.rfind(_AZ_TEMPLATE_SPLICE)
    if at < 0 or not req.body.rstrip().endswith(b"}}"):
        return req.json()
    head = Request(req.method, "/", {}, req.body[:at] + b"}}").json()
    text = req.body[at + len(_AZ_TEMPLATE_SPLICE):req.body.rstrip().rfind(b"}}")]
    props = head.get("properties")
    if not isinstance(props, dict):
        raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be "
                       "deserialized: 'properties' must be an object.")
    props["template"] = text.decode("utf-8", "replace")
    return head


def deployment(app, req: Request, sub: str, rg: str, name: str) -> Response:
    ctx = app.context(sub)
    if req.method == "GET":
        return Response(200, _deployment_view(deployments.get(ctx, rg, name)))
    if req.method == "DELETE":  # 202 + Location (done when the poll arrives); 204 when there is none
        try:
            deployments.delete(ctx, rg, name)
        except Exception as exc:  # noqa: BLE001 - only "not found" means 204 here
            if getattr(exc, "code", None) == "DeploymentNotFound":
                return Response(204)
            raise
        url = lro.compute_status_url(req.base, sub, "global", lro.done(now(ctx)), _api(req))
        return Response(202, None, {"Location": url.replace("?api-version=", "?monitor=true&api-version=", 1),
                                    "Retry-After": str(lro.RETRY_AFTER)})
    status, body = deployments.put(ctx, rg, name, deployment_body(req))
    op = lro.done(now(ctx))
    url = f"{req.base}{req.path}/operationStatuses/{op}?api-version={_api(req)}"
    return Response(status, _deployment_view(body), {"Azure-AsyncOperation": url, "Retry-After": str(lro.RETRY_AFTER)})


def deployment_validate(app, req: Request, sub: str, rg: str, name: str) -> Response:
    """POST …/validate (az deployment group create asks first): the deployment as it would be; nothing kept."""
    return Response(200, _deployment_view(deployments.validate(app.context(sub), rg, name, deployment_body(req))))


def deployment_list(app, req: Request, sub: str, rg: str) -> Response:
    return Response(200, {"value": [_deployment_view(d) for d in deployments.list(app.context(sub), rg)]})


def deployment_status(app, req: Request, sub: str, rg: str, name: str, op: str) -> Response:
    fields = lro.parse(op)
    deployments.get(app.context(sub), rg, name)
    return Response(200, {"status": fields.get("s", "Succeeded")})


# ---- scale sets -------------------------------------------------------------------------------------

AUTO_OS_DEFAULTS = {"enableAutomaticOSUpgrade": False, "disableAutomaticRollback": False}


def _scale_set_view(arm: dict) -> dict:
    """The set as serve sends it: `upgradePolicy.automaticOSUpgradePolicy` with its defaults when the
    model has none. The seed's `az vmss update --set upgradePolicy.automaticOSUpgradePolicy.
    enableAutomaticOSUpgrade=true` needs the object in the GET (az's --set cannot create it: "Couldn't
    find 'automaticOSUpgradePolicy' in 'upgradePolicy'"); the CLI's store keeps the model as given."""
    policy = (arm.get("properties") or {}).get("upgradePolicy")
    if isinstance(policy, dict):
        auto = policy.get("automaticOSUpgradePolicy")
        policy["automaticOSUpgradePolicy"] = AUTO_OS_DEFAULTS | (auto if isinstance(auto, dict) else {})
    return arm


def scale_set(app, req: Request, sub: str, rg: str, name: str) -> Response:
    ctx = app.context(sub)
    if req.method == "GET":
        return Response(200, _scale_set_view(scale_sets.get(ctx, rg, name)))
    if req.method == "DELETE":
        location = scale_sets.get(ctx, rg, name)["location"]
        scale_sets.delete(ctx, rg, name)
        op = lro.done(now(ctx))
        return Response(202, None, lro.headers(lro.compute_status_url(req.base, sub, location, op, _api(req))))
    body = req.json()
    check_top_level(body)
    if req.method == "PATCH":
        status, arm = scale_sets.patch(ctx, rg, name, body)
    else:
        status, arm = scale_sets.put(ctx, rg, name, body, _api(req))
    op = lro.done(now(ctx))
    return Response(status, _scale_set_view(arm), lro.headers(lro.compute_status_url(req.base, sub, arm["location"], op, _api(req)),
                                             location=False))


_KINDS = {str: "a string", dict: "an object", list: "an array"}
_TOP_LEVEL = {"location": str, "sku": dict, "properties": dict, "tags": dict, "zones": list, "identity": dict,
              "plan": dict, "extendedLocation": dict}


def check_top_level(body: dict) -> None:
    """The resource envelope's JSON types, as ARM's deserializer checks them before the provider sees the
    body (the model inside is the service's to validate)."""
    for key, kind in _TOP_LEVEL.items():
        if body.get(key) is not None and not isinstance(body[key], kind):
            raise ArmError(400, "InvalidRequestContent", f"The request content was invalid and could not be "
                           f"deserialized: '{key}' must be {_KINDS[kind]}.")
    if body.get("tags") is not None and not all(isinstance(v, str) for v in body["tags"].values()):
        raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be "
                       "deserialized: 'tags' values must be strings.")


def scale_set_list(app, req: Request, sub: str, rg: str | None = None) -> Response:
    return Response(200, {"value": [_scale_set_view(s) for s in scale_sets.list(app.context(sub), rg)]})


def _rollout_accepted(req: Request, sub: str, rg: str, name: str, location: str, operation: dict,
                      kind: str = "rollout") -> Response:
    op = lro.token(k=kind, g=rg, n=name, o=operation["name"])
    return Response(202, None, lro.headers(lro.compute_status_url(req.base, sub, location, op, _api(req))))


def os_rolling_upgrade(app, req: Request, sub: str, rg: str, name: str) -> Response:
    ctx = app.context(sub)
    _, operation = rolling_upgrades.start_os_upgrade(ctx, rg, name)
    return _rollout_accepted(req, sub, rg, name, scale_sets.get(ctx, rg, name)["location"], operation)


def cancel_rolling_upgrade(app, req: Request, sub: str, rg: str, name: str) -> Response:
    ctx = app.context(sub)
    _, operation = rolling_upgrades.cancel(ctx, rg, name)
    # the cancel request is its own operation: it succeeds when the rollout has stopped (Cancelled)
    return _rollout_accepted(req, sub, rg, name, scale_sets.get(ctx, rg, name)["location"], operation, "cancel")


def manual_upgrade(app, req: Request, sub: str, rg: str, name: str) -> Response:
    """POST manualupgrade (`az vmss update-instances`): the listed instances take the latest model."""
    ids = req.json().get("instanceIds")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise ArmError(400, "InvalidParameter", "The value of parameter 'instanceIds' is invalid: a list of "
                       "instance ids is required.")
    ctx = app.context(sub)
    scale_sets.update_instances(ctx, rg, name, ids)
    op = lro.done(now(ctx))
    return Response(202, None, lro.headers(lro.compute_status_url(req.base, sub, scale_sets.get(ctx, rg, name)[
        "location"], op, _api(req))))


def latest_rolling_upgrade(app, req: Request, sub: str, rg: str, name: str) -> Response:
    return Response(200, rolling_upgrades.latest(app.context(sub), rg, name))


def os_upgrade_history(app, req: Request, sub: str, rg: str, name: str) -> Response:
    entries = rolling_upgrades.os_upgrade_history(app.context(sub), rg, name)
    try:
        skip = max(0, int(req.query.get("$skiptoken") or 0))
    except ValueError:
        raise ArmError(400, "InvalidParameter", "The value of '$skiptoken' is not valid.") from None
    page = entries[skip:skip + HISTORY_PAGE_SIZE]
    body: dict = {"value": page}
    if skip + HISTORY_PAGE_SIZE < len(entries):
        body["nextLink"] = f"{req.base}{req.path}?api-version={_api(req)}&$skiptoken={skip + HISTORY_PAGE_SIZE}"
    return Response(200, body)


def scale_set_view(app, req: Request, sub: str, rg: str, name: str) -> Response:
    return Response(200, instances.scale_set_instance_view(app.context(sub), rg, name))


def vm_list(app, req: Request, sub: str, rg: str, name: str) -> Response:
    return Response(200, {"value": instances.list(app.context(sub), rg, name)})


def vm(app, req: Request, sub: str, rg: str, name: str, instance_id: str) -> Response:
    return Response(200, instances.get(app.context(sub), rg, name, instance_id))


def vm_instance_view(app, req: Request, sub: str, rg: str, name: str, instance_id: str) -> Response:
    return Response(200, instances.get_instance_view(app.context(sub), rg, name, instance_id))


# ---- operation status (the Azure-AsyncOperation / Location URLs) -----------------------------------

def operation_status(app, req: Request, sub: str, location: str, op: str) -> Response:
    fields = lro.parse(op)
    monitor = req.query.get("monitor", "").lower() == "true"
    if fields["k"] == "done":
        if monitor:
            return Response(200)
        return Response(200, {"name": op, "status": fields.get("s", "Succeeded"), "startTime": fields.get("t"),
                              "endTime": fields.get("t")})
    ctx = app.context(sub)
    rg, name = fields["g"], fields["n"]
    operation = operations.get(ctx, rg, name, fields["o"])
    operation = app.clock.on_poll(_this_module(), ctx, rg, name, operation)
    if fields["k"] == "cancel" and operation["status"] != "InProgress":
        operation = dict(operation, status="Succeeded", error=None)
    if operation["status"] == "InProgress":
        headers = {"Retry-After": str(lro.RETRY_AFTER)}
        if monitor:
            return Response(202, None, headers | {"Location": f"{req.base}{req.path}?{req.raw_query}"})
        return Response(200, _status_body(op, operation), headers)
    if monitor:
        return Response(200)
    return Response(200, _status_body(op, operation))


def _status_body(op: str, operation: dict) -> dict:
    body = {"name": op, "status": operation["status"], "startTime": operation.get("startTime")}
    if operation.get("endTime"):
        body["endTime"] = operation["endTime"]
    if operation.get("error"):
        body["error"] = operation["error"]
    return body


def _this_module():
    """The calls the clock makes (now, next_event, world, operations, rolling_upgrades): this module's."""
    import sys

    return sys.modules[__name__]


# ---- the image catalog ------------------------------------------------------------------------------

def publishers(app, req: Request, sub: str, location: str) -> Response:
    return Response(200, images.list_publishers(app.context(sub), location))


def offers(app, req: Request, sub: str, location: str, publisher: str) -> Response:
    return Response(200, images.list_offers(app.context(sub), location, publisher))


def skus(app, req: Request, sub: str, location: str, publisher: str, offer: str) -> Response:
    return Response(200, images.list_skus(app.context(sub), location, publisher, offer))


def versions(app, req: Request, sub: str, location: str, publisher: str, offer: str, sku: str) -> Response:
    def version_key(name: str) -> tuple:
        return tuple(int(p) if p.isdigit() else 0 for p in name.split("."))

    found = images.list_versions(app.context(sub), location, publisher, offer, sku)
    if "name desc" in req.query.get("$orderby", "").lower():
        found = sorted(found, key=lambda v: version_key(v["name"]), reverse=True)
    top = req.query.get("$top")
    if top and top.isdigit():
        found = found[:int(top)]
    return Response(200, found)


def version(app, req: Request, sub: str, location: str, publisher: str, offer: str, sku: str,
            version: str) -> Response:
    return Response(200, images.get_version(app.context(sub), location, publisher, offer, sku, version))


# ---- what vmss does not model -----------------------------------------------------------------------

def unmodelled_list(app, req: Request, sub: str, rg: str | None = None, namespace: str = "",
                    kind: str = "") -> Response:
    """Networks, load balancers, ...: vmss keeps none, so their lists are empty (az vmss create reads
    the group's virtual networks before it deploys)."""
    if rg is not None:
        resource_groups.get(app.context(sub), rg)
    return Response(200, {"value": []})
