"""Generate vmss_cli/data/az_key_order.json: the order of keys inside each object az 2.91 prints.

az builds its results from its own models, so inside an object keys come in the model's order, not
in the order the service sent them: for AAZ commands the schema's field order (client-flattened
`properties` spliced in its place), for SDK commands the model's `_attribute_map` order. JSON and
YAML output sort keys, so this only shows through --query (`keys(@)`, an object quoted in an error,
`-o table` columns of an object picked by the query). render/key_order.py applies the table.

Run with az 2.91's own Python (it imports azure-cli's modules; nothing of vmss):
    /path/to/az291/bin/python scripts/gen_az_key_order.py > vmss_cli/data/az_key_order.json
tests/differential/test_key_order.py checks that the shipped table is what this prints.
"""

from __future__ import annotations

import importlib
import json
import sys

# kind -> (module under azure.cli.command_modules.vm.aaz.latest, command class, operation class)
AAZ_KINDS = {
    "scaleSet": ("vmss._show", "Show", "VirtualMachineScaleSetsGet"),
    "instance": ("vmss.vms._show", "Show", "VirtualMachineScaleSetVMsGet"),
    "scaleSetInstanceView": ("vmss.instance_view._show", "Show", "VirtualMachineScaleSetsGetInstanceView"),
    "instanceView": ("vmss.vms.instance_view._show", "Show", "VirtualMachineScaleSetVMsGetInstanceView"),
    "rollingUpgradeStatus": ("vmss.rolling_upgrade._get_latest", "GetLatest", "VirtualMachineScaleSetRollingUpgradesGetLatest"),
    "osUpgradeHistory": ("vmss._get_os_upgrade_history", "GetOsUpgradeHistory", "VirtualMachineScaleSetsGetOSUpgradeHistory"),
    "virtualMachineImage": ("vm.image._show", "Show", "VirtualMachineImagesGet"),
    # list-publishers, list-offers and list-skus share this schema (checked below)
    "imageResource": ("vm.image._list_publishers", "ListPublishers", "VirtualMachineImagesListPublishers"),
}
# kind -> SDK model (azure-mgmt-resource), walked through its _attribute_map (the order its __init__ sets them,
# which azure.cli.core.util.todict walks)
SDK_KINDS = {
    "resourceGroup": ("azure.mgmt.resource.resources.models", "ResourceGroup"),
    "deployment": ("azure.mgmt.resource.resources.models", "DeploymentExtended"),
}


def aaz_tree(schema, depth: int = 0):
    """{key: subtree or None} in the order AAZ serializes; a list is its element, a map is data."""
    from azure.cli.core.aaz._field_type import AAZDictType, AAZListType, AAZObjectType

    if isinstance(schema, AAZListType):
        return aaz_tree(schema.Element, depth)
    if isinstance(schema, AAZDictType) or not isinstance(schema, AAZObjectType) or depth > 40:
        return None
    out: dict = {}
    for part in [schema, *(getattr(schema, "_discriminators", None) or {}).values()]:
        for name, field in part._fields.items():
            sub = aaz_tree(field, depth + 1)
            if field._flags.get("client_flatten") and isinstance(field, AAZObjectType):
                for key, value in (sub or {}).items():
                    out.setdefault(key, value)
            else:
                out.setdefault(field._serialized_name or name, sub)
    return out


def sdk_tree(module, cls, depth: int = 0):
    from azure.cli.core.util import to_camel_case

    out: dict = {}
    for attr, spec in cls._attribute_map.items():
        if attr == "additional_properties":
            continue
        kind = spec["type"].strip("[]")
        sub = getattr(module, kind, None)
        out[to_camel_case(attr)] = sdk_tree(module, sub, depth + 1) if hasattr(sub, "_attribute_map") and \
            depth < 20 else None
    return out


def main() -> None:
    kinds = {}
    for kind, (module, command, operation) in AAZ_KINDS.items():
        mod = importlib.import_module(f"azure.cli.command_modules.vm.aaz.latest.{module}")
        tree = aaz_tree(getattr(getattr(mod, command), operation)._build_schema_on_200())
        kinds[kind] = tree["value"] if list(tree) == ["nextLink", "value"] else tree  # a page: its items
    for module, command, operation in (("_list_offers", "ListOffers", "VirtualMachineImagesListOffers"),
                                       ("_list_skus", "ListSkus", "VirtualMachineImagesListSkus")):
        mod = importlib.import_module(f"azure.cli.command_modules.vm.aaz.latest.vm.image.{module}")
        assert aaz_tree(getattr(getattr(mod, command), operation)._build_schema_on_200()) == kinds["imageResource"]
    for kind, (module, cls) in SDK_KINDS.items():
        mod = importlib.import_module(module)
        kinds[kind] = sdk_tree(mod, getattr(mod, cls))
    json.dump({"generator": "scripts/gen_az_key_order.py", "azure-cli": "2.91.0", "kinds": kinds}, sys.stdout,
              separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
