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
from vmss_cli.core.arm.schema import walk

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from vmss_cli.core.arm.documents import Document
    from vmss_cli.core.arm.schema import Node


def az_flatten(arm: Document) -> Document:
    out: Document = walk(arm, arm_schema.load().root, _flatten_object)
    return out


def arm_unflatten(az: Document) -> Document:
    out: Document = walk(az, arm_schema.load().root, _unflatten_object)
    return out


def _flatten_object(value: Document, node: Node) -> Any:
    if node.free_form:
        return copy.deepcopy(value)
    out: Document = {}
    for key, sub in value.items():
        if key == "properties" and isinstance(sub, dict):
            continue
        out[key] = walk(sub, node.child(key), _flatten_object)
    inner = value.get("properties")
    if isinstance(inner, dict):
        for key, sub in inner.items():
            # the inner value wins a clash: az prints an extension's `type` from `properties.type`
            out[key] = walk(sub, node.child(key), _flatten_object)
    return out


def _unflatten_object(value: Document, node: Node) -> Any:
    if node.kind != "object":
        return copy.deepcopy(value)
    wrapped = node.arm_properties or frozenset()
    out: Document = {}
    inner: Document = {}
    for key, sub in value.items():
        converted = walk(sub, node.child(key), _unflatten_object)
        if key in wrapped:
            inner[key] = converted
        else:
            out[key] = converted
    if inner:
        out["properties"] = inner
    return out
