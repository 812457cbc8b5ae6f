"""The TypedDicts of core/arm/document_types.py name every key vmss writes: a document written by a real command
(a scale set after an automatic OS upgrade, a gallery with a replicated version, a deployment, the world)
has no key its type does not declare, so a key path mypy checks is a key path the store holds."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def _types() -> dict[str, type]:
    """The module's TypedDicts (it is imported by the type checker only; here, as any module)."""
    from vmss_cli.core.arm import document_types

    return {name: value for name, value in vars(document_types).items()
            if isinstance(value, type) and hasattr(value, "__total__")}


def _undeclared(value: object, type_name: str, types: dict[str, type], where: str) -> list[str]:
    """Keys of `value` that its TypedDict (and the TypedDicts of its typed parts) does not declare."""
    typed = types[type_name]
    hints = typed.__annotations__
    out = [f"{where}.{key}" for key in value if key not in hints]
    for key, sub in value.items():
        hint = hints.get(key, "")
        hint = str(getattr(hint, "__forward_arg__", hint))  # the annotation as written (a ForwardRef here)
        for name in types:
            if hint.replace(" | None", "") in (name, f"NotRequired[{name}]", f"NotRequired[{name} | None]") \
                    and isinstance(sub, dict):
                out += _undeclared(sub, name, types, f"{where}.{key}")
            elif hint == f"list[{name}]" and isinstance(sub, list):
                for i, item in enumerate(sub):
                    out += _undeclared(item, name, types, f"{where}.{key}[{i}]")
            elif hint == f"dict[str, {name}]" and isinstance(sub, dict):
                for k, item in sub.items():
                    out += _undeclared(item, name, types, f"{where}.{key}.{k}")
    return out


def ok(*args: str):
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def test_written_documents_have_only_declared_keys(vmss_home):
    ok("group", "create", "-n", "rg1", "-l", "eastus", "-o", "none")
    ok("create", "-g", "rg1", "-n", "ss", "--image", "Canonical:UbuntuServer:18.04-LTS:latest", "--instance-count", "3",
       "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true",
       "--data-disk-sizes-gb", "16", "-o", "none")
    ok("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
       "--version", "18.04.202612010", "-o", "none")
    ok("sim", "clock", "advance", "6h", "-o", "none", "--only-show-errors")
    ok("sig", "create", "-g", "rg1", "-r", "gal", "-o", "none")
    ok("sig", "image-definition", "create", "-g", "rg1", "-r", "gal", "-i", "app", "--publisher", "contoso",
       "--offer", "web", "--sku", "ubuntu", "--os-type", "Linux", "-o", "none")
    ok("sig", "image-version", "create", "-g", "rg1", "-r", "gal", "-i", "app", "-e", "1.0.0", "-o", "none")
    template = vmss_home.parent / "template.json"
    template.write_text(json.dumps({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/"
                                    "deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": []}))
    ok("deployment", "group", "create", "-g", "rg1", "-n", "d1", "--template-file", str(template), "-o", "none")

    def read(pattern: str) -> dict:
        found = sorted(vmss_home.glob(pattern))
        assert len(found) == 1, (pattern, found)
        return json.loads(found[0].read_text())

    types = _types()
    scale_set = read("**/virtualMachineScaleSets/ss.json")
    assert scale_set["rollingUpgrades"] and scale_set["instances"][0]["osDisk"]["generation"] == 2  # upgraded
    gallery = read("**/galleries/gal.json")
    assert gallery["images"]["app"]["versions"]["1.0.0"]["regions"]
    checks = [(scale_set, "ScaleSetFile"), (gallery, "GalleryFile"), (read("**/deployments/d1.json"), "DeploymentFile"),
              (read("world.json"), "World")]
    undeclared = [key for doc, name in checks for key in _undeclared(doc, name, types, name)]
    assert undeclared == []


def test_the_catalog_type_declares_every_key_of_the_shipped_catalog():
    from vmss_cli.core.resources import catalog

    types = _types()
    assert set(catalog.shipped()) == set(types["ImageCatalog"].__annotations__)
    assert _undeclared(catalog.shipped(), "ImageCatalog", types, "images.json") == []
