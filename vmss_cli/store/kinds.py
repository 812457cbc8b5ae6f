"""The one table of state file kinds: where each lives, its schema version and migrations, what its
top level must look like on every read, what the deep check (diagnose) looks for, and the identity
check (the file holds the resource its path names). The store (files.parse), the checker and
`diagnose` all read this table.

A kind's schema version is the length of its migration list: MIGRATIONS[n] upgrades a document from
version n to n + 1. Version 0 is a file written before `schemaVersion` existed (none were released);
the step only stamps it.
"""

from __future__ import annotations

from collections.abc import Callable  # not typing: this module is on every command's start-up path
from pathlib import Path

from vmss_cli.store import shapes


def _v0_to_v1(doc: dict) -> dict:
    return doc


def _world_v1_to_v2(doc: dict) -> dict:
    """world.json 2: its queue may hold joined instance events ({"op", "instances": [...]}: one event for
    a batch's instances due in the same second, core.world.events.Sim.schedule_instance); a version 1
    queue's one-instance events ({"op", "instance"}) still run as they are. The step only stamps: the
    version is there so that a vmss that knows only version 1 refuses the file with its clear error
    instead of failing on the first joined event it meets."""
    return doc


class Kind:
    """One kind of state file. A plain class (see cli/context.py on dataclasses and start-up)."""

    def __init__(self, name: str, what: str, pattern: str, top: object, deep: object,
                 identity: Callable[[dict, Path], str | None] | None,
                 migrations: list[Callable[[dict], dict]]) -> None:
        self.name = name
        self.what = what            # in an error message: "not a valid vmss <what> file"
        self.pattern = pattern      # glob relative to the store's root
        self.top = top              # shapes spec checked on every read (None: none)
        self.deep = deep            # shapes spec checked by diagnose (None: none)
        self.identity = identity    # (doc, path) -> problem or None
        self.migrations = migrations

    @property
    def schema_version(self) -> int:
        return len(self.migrations)


def _resource_id_parts(rid: object, provider: str, count: int = 9) -> list[str] | None:
    parts = rid.split("/") if isinstance(rid, str) else []
    if len(parts) != count or parts[3].lower() != "resourcegroups" or "/".join(parts[5:7]).lower() != provider:
        return None
    return parts


def _group_identity(doc: dict, path: Path) -> str | None:
    from vmss_cli.store import names

    names.validate_resource_group(doc["name"])
    if path.parent.name != doc["name"].lower():
        return f"it holds resource group '{doc['name']}', which belongs in another directory"
    return None


def _child_identity(what: str, key: str, provider: str, check_name: Callable[[str], str]) \
        -> Callable[[dict, Path], str | None]:
    """A resource stored at resourceGroups/<rg>/<collection>/<name>.json, its ARM document under `key`."""
    def identity(doc: dict, path: Path) -> str | None:
        from vmss_cli.store import names

        arm = doc[key]
        parts = _resource_id_parts(arm["id"], provider)
        if parts is None:
            return f"'{key}.id' is not a {what} resource id"
        rg, name = parts[4], parts[8]
        names.validate_resource_group(rg)
        check_name(arm["name"])
        if name != arm["name"] or path.name != f"{name.lower()}.json" or path.parent.parent.name != rg.lower():
            return f"it holds {what} '{arm['name']}' of resource group '{rg}', which belongs in another file"
        return None
    return identity


def _any_name(name: str) -> str:
    from vmss_cli.store import names

    return names.validate_file_name(name)


def _scale_set_name(name: str) -> str:
    from vmss_cli.store import names

    return names.validate_scale_set_name(name)


def _world_identity(doc: dict, path: Path) -> str | None:
    from vmss_cli.store import names

    for event in doc.get("queue") or []:
        if event["kind"].startswith(("rollout.", "platform.")):  # events that name a scale set
            names.validate_resource_group(event["rg"])
            names.validate_scale_set_name(event["name"])
    return None


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("world", "world", "world.json", shapes.WORLD, shapes.WORLD, _world_identity, [_v0_to_v1, _world_v1_to_v2]),
    Kind("images", "image catalog", "images.json", shapes.IMAGES, shapes.IMAGES, None, [_v0_to_v1]),
    Kind("group", "resource group", "resourceGroups/*/group.json", shapes.GROUP, shapes.GROUP, _group_identity,
         [_v0_to_v1]),
    Kind("scaleSet", "scale set", "resourceGroups/*/virtualMachineScaleSets/*.json", shapes.SCALE_SET_TOP,
         shapes.SCALE_SET, _child_identity("scale set", "scaleSet", "providers/microsoft.compute",
                                           _scale_set_name), [_v0_to_v1]),
    Kind("gallery", "gallery", "resourceGroups/*/galleries/*.json", shapes.GALLERY_TOP, shapes.GALLERY_TOP,
         _child_identity("gallery", "gallery", "providers/microsoft.compute", _any_name), [_v0_to_v1]),
    Kind("deployment", "deployment", "resourceGroups/*/deployments/*.json", shapes.DEPLOYMENT_TOP,
         shapes.DEPLOYMENT_TOP, _child_identity("deployment", "deployment", "providers/microsoft.resources",
                                                _any_name), [_v0_to_v1]),
)}


def check(doc: dict, kind: str, path: Path) -> None:
    """On every read: raise StoreError naming `path` when the document is not a `kind` file vmss can use."""
    from vmss_cli.errors import VmssError

    spec = KINDS[kind]
    problem = None if spec.top is None else shapes.problem(doc, spec.top)
    if problem is None and spec.identity is not None:
        try:
            problem = spec.identity(doc, path)
        except VmssError as exc:
            problem = exc.message.rstrip(".")
    if problem is not None:
        raise error(path, kind, problem)


def deep_problem(doc: dict, kind: str) -> str | None:
    spec = KINDS[kind].deep
    return None if spec is None else shapes.problem(doc, spec)


def error(path: Path, kind: str, problem: str):
    from vmss_cli.errors import StoreError

    return StoreError(f"State file '{path}' is not a valid vmss {KINDS[kind].what} file: {problem}. "
                      "It was left untouched; fix or remove it.")


def state_files(root: Path) -> list[tuple[Path, str]]:
    """Every state file under `root` with its kind, in the table's order (world first)."""
    found = []
    for kind in KINDS.values():
        found += [(p, kind.name) for p in sorted(root.glob(kind.pattern))
                  if not p.name.startswith(".") and p.is_file()]
    return found
