"""Emulator controls under the reserved prefix `/_vmss/` (no ARM path starts with it), reachable with
`az rest`: the clock, image releases, instance health — what `vmss sim …` does in a shell."""

from __future__ import annotations

from vmss_cli.serve.errors import ArmError
from vmss_cli.serve.messages import Request, Response


def _body(req: Request) -> dict:
    body = req.json()
    if not isinstance(body, dict):
        raise ArmError(400, "InvalidRequestContent", "The request body must be a JSON object.")
    return body


def _field(body: dict, name: str, kind=str, required: bool = True):
    value = body.get(name)
    if value is None and not required:
        return None
    if value is None or not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ArmError(400, "InvalidRequestContent", f"The request body needs '{name}' "
                       f"({'a whole number' if kind is int else 'a string' if kind is str else kind.__name__}).")
    return value


def clock_show(app, req: Request) -> Response:
    from vmss_cli.service import world

    return Response(200, world.clock_state(app.context()) | {"clock": app.clock.describe()})


def clock_advance(app, req: Request) -> Response:
    """POST {"seconds": N} or {"duration": "PT1H" | "1h30m"}: run everything due in that span."""
    from vmss_cli.core.world import timeutil
    from vmss_cli.service import world

    body = _body(req)
    if "duration" in body:
        seconds = timeutil.parse_duration(_field(body, "duration"), "duration")
    else:
        seconds = _field(body, "seconds", int)
    if seconds < 0:
        raise ArmError(400, "InvalidParameter", "The clock only moves forward: 'seconds' must be 0 or more.")
    return Response(200, world.advance(app.context(), seconds) | {"clock": app.clock.describe()})


def image_publish(app, req: Request) -> Response:
    """POST {"location", "publisher", "offer", "sku", "version", "failPercent"?, "bootSeconds"?}."""
    from vmss_cli.service.simulator import publish_image

    body = _body(req)
    location, publisher, offer, sku, version = (_field(body, k) for k in ("location", "publisher", "offer", "sku",
                                                                          "version"))
    fail = _field(body, "failPercent", int, required=False) or 0
    boot = _field(body, "bootSeconds", int, required=False)
    return Response(200, publish_image(app.context(), location, publisher, offer, sku, version, boot, fail))


def health_set(app, req: Request) -> Response:
    """POST {"resourceGroup", "name", "instanceIds": ["0", …] | ["*"], "state", "until"?}."""
    from vmss_cli.service.simulator import set_health

    body = _body(req)
    rg, name, state = _field(body, "resourceGroup"), _field(body, "name"), _field(body, "state")
    ids = _field(body, "instanceIds", list)
    until = _field(body, "until", required=False) or "cleared"
    changed = set_health(app.context(), rg, name, [str(i) for i in ids], state, until)
    return Response(200, {"value": changed})


def aliases(app, req: Request) -> Response:
    """The image alias document az reads for `az vm image list` (cloud metadata `vmImageAliasDoc`)."""
    from vmss_cli.service import images

    return Response(200, {"$schema": "http://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json",
                          "contentVersion": "1.0.0.0", "parameters": {}, "variables": {}, "resources": [],
                          "outputs": {"aliases": {"type": "object", "value": images.alias_document()}}})
