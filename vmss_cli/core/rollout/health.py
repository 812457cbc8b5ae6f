"""Instance health as the rollout engine sees it, from the scale set's one health source.

- load-balancer probe: Healthy once the app answers (`healthyAt` reached), else Unhealthy;
- Application Health extension, binary (typeHandlerVersion 1.x): the same;
- Application Health extension, rich (2.x): Initializing during the grace period, then
  Healthy, or Unknown when the app never answers (the engine treats Unknown as unhealthy);
- no health source: power state running and every extension provisioned (Succeeded).
`vmss sim health set` overrides whatever the source says until cleared.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.documents import Document

from vmss_cli.core.resources import model

HEALTHY = "Healthy"
UNHEALTHY = "Unhealthy"
UNKNOWN = "Unknown"
INITIALIZING = "Initializing"
STATES = (HEALTHY, UNHEALTHY, UNKNOWN, INITIALIZING)
BUSY_PHASES = ("Upgrading", "RollingBack")


def source(arm: Document) -> tuple[str, Document | None]:
    """('probe'|'binary'|'rich'|'default', health extension or None)."""
    # model.health_source's order, with the extension looked up once (the engine asks on every health check)
    if (arm["properties"]["virtualMachineProfile"].get("networkProfile") or {}).get("healthProbe"):
        return "probe", None
    ext = model.health_extension(arm)
    if ext:
        version = str((ext.get("properties") or {}).get("typeHandlerVersion", "1.0"))
        return ("rich" if not version.startswith("1") else "binary"), ext
    return "default", None


def grace_seconds(ext: Document | None) -> int:
    settings = ((ext or {}).get("properties") or {}).get("settings") or {}
    interval = _int(settings.get("intervalInSeconds"), 5)
    probes = _int(settings.get("numberOfProbes"), 1)
    return _int(settings.get("gracePeriod"), interval * probes)


def grace_end(arm: Document, inst: Document) -> int:
    """When an instance's rich-health grace period ends (Initializing can last no longer)."""
    _, ext = source(arm)
    return (inst.get("bootedAt") or 0) + grace_seconds(ext)


def state(arm: Document, inst: Document, now: int, src: tuple[str, Document | None] | None = None) -> str:
    if inst.get("healthOverride"):
        return str(inst["healthOverride"])
    kind, ext = src or source(arm)
    if (inst.get("upgrade") or {}).get("phase") in BUSY_PHASES:  # OS disk being replaced or rolled back
        return INITIALIZING if kind == "rich" else UNHEALTHY
    ready = inst.get("healthyAt") is not None and now >= inst["healthyAt"] and inst.get("powerState") == "running"
    if ready:
        return HEALTHY
    if kind == "rich":
        booted = inst.get("bootedAt") or 0
        return INITIALIZING if now < booted + grace_seconds(ext) else UNKNOWN
    return UNHEALTHY


def is_healthy(arm: Document, inst: Document, now: int, src: tuple[str, Document | None] | None = None) -> bool:
    return state(arm, inst, now, src) == HEALTHY


def unhealthy(arm: Document, members: list[Document], now: int, src: tuple[str, Document | None] | None = None) -> list[Document]:
    """The members that are not Healthy (`not is_healthy`), in one pass: the engine asks it of every
    instance before and after every batch, and a call per instance was a fifth of a fleet's advance."""
    src = src or source(arm)
    bad = []
    for inst in members:
        override = inst.get("healthOverride")
        if override:
            if override != HEALTHY:
                bad.append(inst)
            continue
        healthy_at = inst.get("healthyAt")
        if healthy_at is None or now < healthy_at or inst.get("powerState") != "running":
            bad.append(inst)
            continue
        upgrade = inst.get("upgrade")  # (looked at last: most instances are not being upgraded)
        if upgrade and upgrade.get("phase") in BUSY_PHASES:
            bad.append(inst)
    return bad


def extension_status(inst: Document, name: str, now: int) -> str:
    """Provisioning state of one extension on an instance, as instance view shows it."""
    if (inst.get("upgrade") or {}).get("phase") in BUSY_PHASES:
        return "Creating"
    for ext in inst.get("extensions", []):
        if ext["name"] == name:
            if ext.get("status") != "Succeeded":
                return str(ext.get("status", "Failed"))
    if inst.get("healthyAt") is None:
        return "Failed"
    return "Succeeded" if now >= inst["healthyAt"] else "Creating"


def _int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[call-overload,no-any-return]  # settings are free-form JSON
    except (TypeError, ValueError):
        return default
