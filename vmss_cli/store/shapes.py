"""What a state file must look like, so a foreign or hand-edited file is reported with its path instead
of failing somewhere deep in the engine.

Two levels, chosen per file kind in store/kinds.py (the one table of kinds):
  top   on every read, cheap: the top-level keys and types (plus the kind's identity check: the file
        holds the resource its path names -- a copied or renamed file would otherwise be saved over
        another one, or outside the store: ids become paths);
  deep  everything the emulator reads (instances, OS disks, rollouts, the queue), run only to explain a
        command that failed unexpectedly (cli/diagnose.py), so reads do not pay for it.
A spec is a type, a tuple of alternatives, a dict of keys (a trailing '?' marks a key that may be
absent, not null: code reads it with .get(key, default); unknown keys are allowed: a newer vmss may
add some), or a one-item list for "list of".
"""

from __future__ import annotations

from pathlib import Path

MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z: the last second a timestamp can be printed


class _Epoch:
    """World time: whole seconds since 1970 that still print as a date."""


class _Count:
    """A non-negative integer."""


EPOCH, COUNT = _Epoch(), _Count()
NONE = type(None)
TEXT_LIST = [str]

QUEUED_EVENT = {"at": EPOCH, "seq": int, "kind": str, "rg": str, "name": str, "data?": dict}
WORLD = {"now": EPOCH, "seed": int, "startTime": EPOCH, "sequence?": int, "queue?": [QUEUED_EVENT]}
IMAGE_VERSION = {"publisher": str, "offer": str, "sku": str, "location": str, "version": str,
                 "bootSeconds?": COUNT, "failPercent?": COUNT, "publishedAt?": EPOCH}
IMAGES = {"versions?": [IMAGE_VERSION]}
GROUP = {"id": str, "name": str, "location": str, "tags?": (dict, NONE), "properties?": (dict, NONE)}

DISK = {"name": str, "id": str, "imageReference": {"exactVersion": str}, "generation?": int, "timeCreated?": EPOCH}
INSTANCE = {"instanceId": str, "name": str, "vmId": str, "computerName": str, "zone?": (str, NONE),
            "platformUpdateDomain": int, "platformFaultDomain": int, "osDisk": DISK, "previousOsDisk?": (DISK, NONE),
            "dataDisks": [{"lun": int, "name": str}], "powerState": str, "provisioningState": str,
            "extensions?": [{"name": str, "status": str, "lastRun?": (EPOCH, NONE)}], "bootedAt?": (EPOCH, NONE),
            "healthyAt?": (EPOCH, NONE), "healthOverride?": (str, NONE), "modelVersion": int,
            "upgrade?": (dict, NONE)}
OPERATION = {"operationId": str, "kind?": str, "startedBy": str, "policy": dict, "rollback?": bool, "target": dict,
             "targetInfo?": dict, "status": str, "startTime": EPOCH, "endTime": (EPOCH, NONE), "lastAction": str,
             "lastActionTime": EPOCH, "total?": int, "pending": TEXT_LIST, "inProgress": TEXT_LIST,
             "succeeded": TEXT_LIST, "failed": TEXT_LIST, "rolledBack": int, "rollbackFailed": int,
             "batches": [TEXT_LIST], "cancelRequested?": bool, "error?": (dict, NONE)}
EVENT_RECORD = {"time": str, "type": str, "message": str}
EXTENSION = {"name": str, "properties?": dict}
MODEL = {"id": str, "name": str, "location": str, "sku": {"name": str, "capacity": COUNT}, "tags?": (dict, NONE),
         "zones?": ([str], NONE),
         "properties": {"virtualMachineProfile": {
             "osProfile": dict,
             "storageProfile": {"imageReference": dict, "osDisk?": dict, "dataDisks?": [{"lun": (int, str)}]},
             "networkProfile?": dict,
             "extensionProfile?": {"extensions?": [EXTENSION]}},
             "upgradePolicy?": (dict, NONE), "platformFaultDomainCount?": int}}
SCALE_SET_TOP = {"scaleSet": {"id": str, "name": str, "location": str, "sku": dict, "properties": dict},
                 "instances": list, "rollingUpgrades": list, "modelVersion": int, "nextInstanceIndex": int,
                 "secrets?": (dict, NONE), "events?": list, "autoOSUpgrade?": (dict, NONE), "rolloutCount?": int}
SCALE_SET = dict(SCALE_SET_TOP, scaleSet=MODEL, instances=[INSTANCE], rollingUpgrades=[OPERATION],
                 **{"events?": [EVENT_RECORD]})

GALLERY_TOP = {"gallery": {"id": str, "name": str, "location": str}, "images": dict}
DEPLOYMENT_TOP = {"deployment": {"id": str, "name": str}}


def problem(doc: dict, spec) -> str | None:
    """What is wrong with `doc` against `spec`, in words, or None."""
    return _problem(doc, spec, "")


def _problem(value, spec, where: str) -> str | None:
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return f"{where or 'the document'} must be an object"
        for key, sub in spec.items():
            optional = key.endswith("?")
            name = key[:-1] if optional else key
            here = f"{where}.{name}" if where else name
            if name not in value:
                if optional:
                    continue
                return f"'{here}' is missing"
            found = _problem(value[name], sub, here)
            if found:
                return found
        return None
    if isinstance(spec, list):
        if not isinstance(value, list):
            return f"'{where}' must be a list"
        for i, item in enumerate(value):
            found = _problem(item, spec[0], f"{where}[{i}]")
            if found:
                return found
        return None
    if isinstance(spec, tuple):
        failures = [_problem(value, alternative, where) for alternative in spec]
        return None if any(f is None for f in failures) else failures[0]
    if spec is EPOCH:
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_EPOCH
        return None if ok else f"'{where}' must be a time in whole seconds since 1970"
    if spec is COUNT:
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value
        return None if ok else f"'{where}' must be a whole number of 0 or more"
    if spec is NONE:
        return None if value is None else f"'{where}' must be null"
    if spec is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, spec)
    return None if ok else f"'{where}' must be {_TYPE_WORDS.get(spec, spec.__name__)}"


_TYPE_WORDS = {str: "text", int: "an integer", bool: "true or false", dict: "an object", list: "a list"}

