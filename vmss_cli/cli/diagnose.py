"""Explain an unexpected failure: when a command fails outside the VmssError tree, look for a state
file that vmss did not write (hand-edited, foreign, from a broken tool) and name it.

Runs only on that error path, so reads never pay for the deep checks (store/shapes.py, and the
model's JSON types as `vmss update` checks them, core/validation.py).
"""

from __future__ import annotations

import copy
from pathlib import Path

from vmss_cli.core.errors import StoreError, VmssError


def state_files(root: Path) -> list[tuple[Path, str]]:
    from vmss_cli.store import paths

    found = [(paths.world_file(root), "world"), (paths.images_file(root), "images")]
    groups = paths.groups_dir(root)
    for directory in sorted(groups.iterdir()) if groups.is_dir() else []:
        found.append((directory / "group.json", "group"))
        sets = directory / "virtualMachineScaleSets"
        if sets.is_dir():
            found += [(p, "scaleSet") for p in sorted(sets.glob("*.json")) if not p.name.startswith(".")]
    return [(p, kind) for p, kind in found if p.is_file()]


def bad_state_file() -> StoreError | None:
    """The first state file that is not one vmss could have written, as the error to report."""
    from vmss_cli.core import validation
    from vmss_cli.store import files, paths, shapes

    try:
        listed = state_files(paths.home())
    except OSError:
        return None
    for path, kind in listed:
        try:
            doc = files.read_json(path, kind)
        except StoreError as exc:
            return exc
        if doc is None:
            continue
        problem = shapes.deep_problem(doc, kind)
        if problem is None and kind == "scaleSet":
            try:
                validation.check_types(copy.deepcopy(doc["scaleSet"]))
            except VmssError as exc:
                problem = exc.message.rstrip(".")
            except Exception:  # noqa: BLE001 (a model too broken to check is broken)
                problem = "its model cannot be read"
        if problem is not None:
            return shapes._error(path, kind, problem)
    return None
