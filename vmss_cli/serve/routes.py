"""The route table: ARM paths matched case-insensitively (names keep the casing the client sent), the
api-version rule, and every error turned into an ARM error body."""

from __future__ import annotations

import re
import sys
import traceback

from vmss_cli.serve import admin, errors, identity, resources as r
from vmss_cli.serve.messages import Request, Response

_API_VERSION = re.compile(r"\d{4}-\d{2}-\d{2}(-(preview|alpha|beta|privatepreview))?", re.IGNORECASE)
_SEGMENT = r"([^/]+)"
S = "/subscriptions/{sub}"
RG = S + "/resourceGroups/{rg}"
V = RG + "/providers/Microsoft.Compute/virtualMachineScaleSets/{name}"
LOC = S + "/providers/Microsoft.Compute/locations/{location}"
IMG = LOC + "/publishers/{publisher}/artifacttypes/vmimage/offers"

# (path, {method: handler}, api-version required)
ROUTES = [
    ("/metadata/endpoints", {"GET": identity.metadata_endpoints}, False),
    ("/metadata/clouds", {"GET": identity.metadata_clouds}, False),
    ("/metadata/identity/oauth2/token", {"GET": identity.managed_identity_token}, False),
    ("/{tenant}/.well-known/openid-configuration", {"GET": identity.openid_configuration}, False),
    ("/{tenant}/v2.0/.well-known/openid-configuration", {"GET": identity.openid_configuration}, False),
    ("/{tenant}/oauth2/token", {"POST": identity.token}, False),
    ("/{tenant}/oauth2/v2.0/token", {"POST": identity.token}, False),
    ("/_vmss/aliases.json", {"GET": admin.aliases}, False),
    ("/_vmss/clock", {"GET": admin.clock_show}, False),
    ("/_vmss/clock/advance", {"POST": admin.clock_advance}, False),
    ("/_vmss/images/publish", {"POST": admin.image_publish}, False),
    ("/_vmss/health", {"POST": admin.health_set}, False),
    ("/subscriptions", {"GET": identity.list_subscriptions}, True),
    ("/tenants", {"GET": identity.list_tenants}, True),
    (S, {"GET": identity.get_subscription}, True),
    (S + "/locations", {"GET": identity.list_locations}, True),
    (S + "/resourcegroups", {"GET": r.group_list}, True),
    (RG, {"PUT": r.group, "GET": r.group, "HEAD": r.group, "DELETE": r.group}, True),
    (RG + "/providers/Microsoft.Resources/deployments", {"GET": r.deployment_list}, True),
    (RG + "/providers/Microsoft.Resources/deployments/{name}", {"PUT": r.deployment, "GET": r.deployment,
                                                                  "DELETE": r.deployment}, True),
    (RG + "/providers/Microsoft.Resources/deployments/{name}/validate", {"POST": r.deployment_validate}, True),
    (RG + "/providers/Microsoft.Resources/deployments/{name}/operationStatuses/{op}",
     {"GET": r.deployment_status}, True),
    (S + "/providers/Microsoft.Compute/virtualMachineScaleSets", {"GET": r.scale_set_list}, True),
    (RG + "/providers/Microsoft.Compute/virtualMachineScaleSets", {"GET": r.scale_set_list}, True),
    (V, {"GET": r.scale_set, "PUT": r.scale_set, "PATCH": r.scale_set, "DELETE": r.scale_set}, True),
    (V + "/osRollingUpgrade", {"POST": r.os_rolling_upgrade}, True),
    (V + "/rollingUpgrades/latest", {"GET": r.latest_rolling_upgrade}, True),
    (V + "/rollingUpgrades/cancel", {"POST": r.cancel_rolling_upgrade}, True),
    (V + "/manualupgrade", {"POST": r.manual_upgrade}, True),
    (V + "/osUpgradeHistory", {"GET": r.os_upgrade_history}, True),
    (V + "/instanceView", {"GET": r.scale_set_view}, True),
    (V + "/virtualMachines", {"GET": r.vm_list}, True),
    (V + "/virtualMachines/{instance_id}", {"GET": r.vm}, True),
    (V + "/virtualMachines/{instance_id}/instanceView", {"GET": r.vm_instance_view}, True),
    (LOC + "/operations/{op}", {"GET": r.operation_status}, True),
    (LOC + "/publishers", {"GET": r.publishers}, True),
    (IMG, {"GET": r.offers}, True),
    (IMG + "/{offer}/skus", {"GET": r.skus}, True),
    (IMG + "/{offer}/skus/{sku}/versions", {"GET": r.versions}, True),
    (IMG + "/{offer}/skus/{sku}/versions/{version}", {"GET": r.version}, True),
    # lists of resource types vmss does not model (networks, load balancers, ...): empty
    (RG + "/providers/{namespace}/{kind}", {"GET": r.unmodelled_list}, True),
    (S + "/providers/{namespace}/{kind}", {"GET": r.unmodelled_list}, True),
]


def _compile(path: str) -> re.Pattern:
    pattern = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", re.escape(path))
    return re.compile(pattern + "/?", re.IGNORECASE)


TABLE = [(_compile(path), methods, needs_api) for path, methods, needs_api in ROUTES]


def match(path: str):
    for pattern, methods, needs_api in TABLE:
        found = pattern.fullmatch(path)
        if found:
            return found.groupdict(), methods, needs_api
    return None


def dispatch(app, req: Request) -> Response:
    try:
        found = match(req.path)
        if found is None:
            raise errors.not_found_route(req.method, req.path)
        params, methods, needs_api = found
        handler = methods.get(req.method)
        if handler is None:
            raise errors.method_not_allowed(req.method, req.path)
        if needs_api:
            check_api_version(req)
        if "sub" in params and params["sub"].lower() != app.subscription:
            raise errors.ArmError(404, "SubscriptionNotFound", f"The subscription '{params['sub']}' could not be "
                                  "found.")
        return handler(app, req, **params)
    except errors.ArmError as exc:
        return Response(exc.status, exc.body())
    except Exception as exc:  # noqa: BLE001 - every failure becomes an ARM error body
        from vmss_cli.errors import VmssError

        if isinstance(exc, VmssError):
            return Response(errors.status_of(exc), errors.body_of(exc))
        traceback.print_exc(file=sys.stderr)
        return Response(500, {"error": {"code": "InternalServerError",
                                        "message": f"vmss serve failed on this request: {type(exc).__name__}: {exc}"}})


def check_api_version(req: Request) -> None:
    value = req.query.get("api-version")
    if not value:
        raise errors.ArmError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) "
                              "is required for all requests.")
    if not _API_VERSION.fullmatch(value):
        raise errors.ArmError(400, "InvalidApiVersionParameter", f"The api-version '{value}' is invalid. The "
                              "supported versions are well-formed dates such as '2024-11-01' (vmss accepts any).")
