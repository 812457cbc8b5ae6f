"""Running a scale set's extensions on an instance: sequencing and expired credentials.

- Extension sequencing: `provisionAfterExtensions` orders the runs; the model is rejected
  (InvalidParameter) for a cycle or a reference to an extension that is not in the model.
- Credentials (the seed's "Keep credentials up to date"): an extension whose settings or
  protectedSettings carry a credential that has expired at world time fails when it runs.
  Recognised: a SAS query string's `se=` (signed expiry) in any string value, and values of keys
  named `expiry`, `expiresOn`, `expiryTime`, `tokenExpiry` or `sasExpiry` (ISO 8601 date-times).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote

from vmss_cli.core.world import timeutil
from vmss_cli.errors import InvalidParameterError

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from typing import Any

    from vmss_cli.core.arm.documents import Document

EXTENSION_SECONDS = 30  # each extension (and custom data) run, in order
_EXPIRY_KEYS = {"expiry", "expireson", "expirytime", "tokenexpiry", "sasexpiry"}
_SAS_EXPIRY = re.compile(r"[?&]se=([^&\s\"']+)")


def _props(ext: Document) -> Document:
    props = ext.get("properties")
    return props if isinstance(props, dict) else ext


def sequence(extensions: list[Document]) -> list[Document]:
    """Extensions in run order (a stable topological sort of provisionAfterExtensions)."""
    by_name = {e.get("name"): e for e in extensions}
    for ext in extensions:
        for dep in _props(ext).get("provisionAfterExtensions") or []:
            if dep not in by_name:
                raise InvalidParameterError(
                    f"Extension '{ext.get('name')}' has '{dep}' in provisionAfterExtensions, but no extension of "
                    "that name is in the scale set model.",
                    target="virtualMachineProfile.extensionProfile.extensions.provisionAfterExtensions")
    done: list[Document] = []
    placed: set[str | None] = set()
    left = list(extensions)
    while left:
        ready = [e for e in left if set(_props(e).get("provisionAfterExtensions") or []) <= placed]
        if not ready:
            cycle = ", ".join(sorted(str(e.get("name")) for e in left))
            raise InvalidParameterError(
                f"The provisionAfterExtensions of extensions {cycle} form a cycle; extension sequencing needs an "
                "order in which every extension runs after the ones it names.",
                target="virtualMachineProfile.extensionProfile.extensions.provisionAfterExtensions")
        for ext in ready:
            done.append(ext)
            placed.add(ext.get("name"))
        left = [e for e in left if e.get("name") not in placed]
    return done


def credential_expiry(ext: Document, protected: Document | None) -> int | None:
    """The earliest credential expiry (world time) found in an extension's settings."""
    found: list[int] = []

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k))
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            if key.lower() in _EXPIRY_KEYS:
                _add(value)
            for match in _SAS_EXPIRY.finditer(value):
                _add(unquote(match.group(1)))
            if value.startswith("se=") or "&se=" in value:
                for item in parse_qs(value.lstrip("?")).get("se", []):
                    _add(item)

    def _add(text: str) -> None:
        try:
            found.append(timeutil.parse_time(text))
        except InvalidParameterError:
            pass  # not a date: not a credential we understand

    walk(_props(ext).get("settings"))
    walk(protected)
    return min(found) if found else None


# (id of the model's extension list, id of the protected settings, model version) -> (the list, the
# settings, [(name, credential expiry)] in run order). A rollout runs the same model on every
# instance: the order and the credential scan are worked out once, not once per instance. A model
# change writes a new model version (core.update), and the objects are kept so their ids stay theirs.
_PLANS: dict[tuple[int, int, object], tuple[list[Document], Document, list[tuple[Any, int | None]]]] = {}
_NOTHING: Document = {}  # one object for "none", so a set without extensions or secrets hits the cache too
_NONE: list[Document] = []


def _plan(doc: Document, declared: list[Document], protected: Document) -> list[tuple[Any, int | None]]:
    key = (id(declared), id(protected), doc.get("modelVersion"))
    cached = _PLANS.get(key)
    if cached is None:
        if len(_PLANS) > 256:  # in-process callers (tests) load many documents
            _PLANS.clear()
        order = [(ext.get("name"), credential_expiry(ext, protected.get(ext.get("name", ""))))
                 for ext in sequence(declared)]
        cached = _PLANS[key] = (declared, protected, order)
    return cached[2]


def run(doc: Document, inst: Document, start: int) -> tuple[int, list[Document]]:
    """Run the model's extensions on an instance from world time `start`, in sequence.
    Returns (when the last one finished, failures [{name, message}]); records per-extension status."""
    arm = doc["scaleSet"]
    vmp = arm["properties"]["virtualMachineProfile"]
    protected = (doc.get("secrets") or {}).get("protectedSettings") or _NOTHING
    t = start
    statuses = []
    failures = []
    for name, expiry in _plan(doc, (vmp.get("extensionProfile") or _NOTHING).get("extensions") or _NONE, protected):
        t += EXTENSION_SECONDS
        if expiry is not None and expiry <= t:
            # Azure's form (Azure/azure-linux-extensions#530, Azure/azure-quickstart-templates#3558): the
            # extension's own message in quotes; that message is vmss's.
            message = (f"VM has reported a failure when processing extension '{name}'. Error message: \"A credential "
                       f"in the extension settings expired at {timeutil.format_time(expiry)}; update the extension "
                       "in the scale set model with a new token, then update the instances.\".")
            failures.append({"name": name, "message": message})
            statuses.append({"name": name, "status": "Failed", "lastRun": t, "message": message})
        else:
            statuses.append({"name": name, "status": "Succeeded", "lastRun": t})
    if (vmp.get("osProfile") or {}).get("customData"):
        t += EXTENSION_SECONDS  # custom data scripts run too
    inst["extensions"] = statuses
    return t, failures
