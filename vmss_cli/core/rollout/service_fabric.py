"""Service Fabric node types (the seed's "Service Fabric requirements").

A scale set is a Service Fabric node type when its model carries the Service Fabric extension
(`ServiceFabricNode` on Windows, `ServiceFabricLinuxNode` on Linux). The cluster's durability for
the node type is declared with `vmss sim service-fabric set` (the emulator has no cluster
resource). Automatic OS upgrade needs Silver or Gold, extension typeHandlerVersion >= 1.1, and the
same durability in the cluster and the extension; no health probe is needed. A durability
mismatch makes the upgrade fail; rollouts go update domain by update domain.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

EXTENSION_TYPES = ("ServiceFabricNode", "ServiceFabricLinuxNode")
DURABILITY_LEVELS = ("Bronze", "Silver", "Gold")


def extension(arm: Document) -> Document | None:
    vmp = arm["properties"].get("virtualMachineProfile") or {}
    for ext in ((vmp.get("extensionProfile") or {}).get("extensions") or []):
        props = ext.get("properties") if isinstance(ext.get("properties"), dict) else ext
        if props.get("type") in EXTENSION_TYPES:
            found: Document = ext
            return found
    return None


def _props(ext: Document) -> Document:
    props = ext.get("properties")
    return props if isinstance(props, dict) else ext


def extension_durability(ext: Document) -> str | None:
    settings = _props(ext).get("settings") or {}
    value = settings.get("durabilityLevel") if isinstance(settings, dict) else None
    return str(value) if value is not None else None


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in str(text).split("."))


def requirement_error(arm: Document) -> str | None:
    """Why automatic OS upgrade cannot be enabled on this node type, or None."""
    ext = extension(arm)
    if ext is None:
        return None
    durability = extension_durability(ext)
    if durability not in ("Silver", "Gold"):
        return ("Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because the Service Fabric "
                f"durability level is {durability or 'not set'}; Silver or Gold is required.")
    version = _props(ext).get("typeHandlerVersion", "1.0")
    if _version(version) < (1, 1):
        return ("Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because the Service Fabric "
                f"extension typeHandlerVersion is {version}; 1.1 or above is required.")
    return None


def durability_mismatch(doc: Document) -> str | None:
    ext = extension(doc["scaleSet"])
    cluster = (doc.get("serviceFabricCluster") or {}).get("durabilityLevel")
    if ext is None or cluster is None:
        return None
    own = extension_durability(ext)
    if own != cluster:
        return (f"The Service Fabric durability level of the scale set's extension ({own}) does not match the "
                f"cluster's durability level for this node type ({cluster}). Make them the same before the OS "
                "image upgrade can proceed.")
    return None


def set_cluster(doc: Document, durability: str, cluster_name: str | None) -> Document:
    """Declare the cluster-side durability of the node type a scale set backs (on the set's document)."""
    from vmss_cli.errors import InvalidParameterError

    level = next((d for d in DURABILITY_LEVELS if d.lower() == durability.lower()), None)
    if level is None:
        raise InvalidParameterError(f"'{durability}' is not a durability level. Allowed values: "
                                    f"{', '.join(DURABILITY_LEVELS)}.", target="--durability")
    name = doc["scaleSet"]["name"]
    doc["serviceFabricCluster"] = {"clusterName": cluster_name or f"{name}-cluster", "nodeType": name,
                                   "durabilityLevel": level}
    cluster: Document = doc["serviceFabricCluster"]
    return cluster
