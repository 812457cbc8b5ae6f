"""Template deployments as az prints them: the resource as the SDK returns it (`properties` kept
nested, unset fields null), with az's `resourceGroup` added beside every id."""

from __future__ import annotations

import copy

from vmss_cli.render.views import add_resource_group


def deployment(doc: dict) -> dict:
    return with_resource_groups(copy.deepcopy(doc["deployment"]))


def with_resource_groups(value):
    """az adds `resourceGroup` to any dict whose `id` names one (and that has none yet)."""
    if isinstance(value, list):
        return [with_resource_groups(v) for v in value]
    if not isinstance(value, dict):
        return value
    return add_resource_group({k: with_resource_groups(v) for k, v in value.items()})


def deployment_table(result):
    """`az deployment group list/show -o table`: Name, State, Timestamp, Mode, ResourceGroup."""
    rows = result if isinstance(result, list) else [result]
    return [{"Name": r.get("name"), "State": (r.get("properties") or {}).get("provisioningState"),
             "Timestamp": (r.get("properties") or {}).get("timestamp"),
             "Mode": (r.get("properties") or {}).get("mode"), "ResourceGroup": r.get("resourceGroup")}
            for r in rows]
