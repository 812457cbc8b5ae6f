"""az's key order inside objects, applied before --query.

az 2.91 builds a command's result from its own models, so inside an object the keys come in the
model's order (data/az_key_order.json, generated from azure-cli 2.91 by scripts/gen_az_key_order.py),
not in the order vmss stores them. json, yaml and tsv sort keys (or follow a query's multiselect), so
the order only shows through --query: `keys(@)`, `values(@)`, an object quoted in an error message, and
the `-o table` columns of an object the query returns. render() therefore applies it only when a
query is given: the hot reads without --query do not load the table.
"""

from __future__ import annotations

import json
from pathlib import Path

_KINDS: dict | None = None
# az adds it to show/list results after building them from the model: it comes last, as in vmss
_ADDED_BY_AZ = {"resourceGroup"}


def _kinds() -> dict:
    global _KINDS  # a cache of a read-only package file, loaded once per process
    if _KINDS is None:
        _KINDS = json.loads((Path(__file__).parent.parent / "data" / "az_key_order.json").read_text())["kinds"]
    return _KINDS


def az_order(result: object) -> object:
    """`result` with the keys of every object it holds in az's order; a list's items each by its kind."""
    if isinstance(result, list):
        return [az_order(item) for item in result]
    if not isinstance(result, dict):
        return result
    tree = kind_of(result)
    return result if tree is None else _apply(result, tree)


def kind_of(obj: dict) -> dict | None:
    """The model whose fields include every key of `obj` (the smallest such model): which resource it is
    is not written on every result (an instance view has no `type`), its set of keys tells."""
    keys = obj.keys() - _ADDED_BY_AZ
    fits = [tree for tree in _kinds().values() if keys <= tree.keys()]
    return min(fits, key=len) if fits else None


def _apply(value: object, tree: dict | None) -> object:
    if isinstance(value, list):
        return [_apply(item, tree) for item in value]
    if tree is None or not isinstance(value, dict):
        return value  # a map (tags, a user's settings) keeps the service's order, as in az
    keys = [k for k in tree if k in value] + [k for k in value if k not in tree]
    return {k: _apply(value[k], tree.get(k)) for k in keys}
