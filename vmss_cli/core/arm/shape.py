"""The two shapes of a scale set: ARM's (nested `properties`, what the REST API holds) and az's
(`properties` merged into their parent at every level, what `az vmss show` prints and what `--set` paths
address). `vmss update` flattens, applies the generic update, and puts the result back.

Flattening is generic, as az's output is; free-form maps (tags, extension settings) are copied untouched,
since a `properties` key there is the user's data. Unflattening needs to know which keys ARM keeps under
`properties` (the scale set, extensions, NIC configs, IP configs, public IP configs): the schema says.
Neither adds az's `resourceGroup`: rendering does.
"""

from __future__ import annotations

import copy

from vmss_cli.core.arm import schema as arm_schema


def az_flatten(arm: dict) -> dict:
    return _flatten(arm, arm_schema.load().root)


def arm_unflatten(az: dict) -> dict:
    return _unflatten(az, arm_schema.load().root)


def _flatten(value, node):
    if isinstance(value, list):
        item = node.item
        return [_flatten(v, item) for v in value]
    if not isinstance(value, dict):
        return value
    if node.free_form:
        return copy.deepcopy(value)
    out: dict = {}
    for key, sub in value.items():
        if key == "properties" and isinstance(sub, dict):
            continue
        out[key] = _flatten(sub, node.child(key))
    inner = value.get("properties")
    if isinstance(inner, dict):
        for key, sub in inner.items():
            # the inner value wins a clash: az prints an extension's `type` from `properties.type`
            out[key] = _flatten(sub, node.child(key))
    return out


def _unflatten(value, node):
    if isinstance(value, list):
        item = node.item
        return [_unflatten(v, item) for v in value]
    if not isinstance(value, dict):
        return value
    if node.kind != "object":
        return copy.deepcopy(value)
    wrapped = node.arm_properties or frozenset()
    out: dict = {}
    inner: dict = {}
    for key, sub in value.items():
        converted = _unflatten(sub, node.child(key))
        if key in wrapped:
            inner[key] = converted
        else:
            out[key] = converted
    if inner:
        out["properties"] = inner
    return out
