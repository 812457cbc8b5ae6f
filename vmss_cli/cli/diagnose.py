"""Explain an unexpected failure: when a command fails outside the VmssError tree, look for a state
file that vmss did not write (hand-edited, foreign, from a broken tool) and name it.

Runs only on that error path, so reads never pay for the deep checks (store/kinds.py, and the
model's JSON types as `vmss update` checks them, core/validation.py).
"""

from __future__ import annotations

import copy
from pathlib import Path

from vmss_cli.errors import StoreError, VmssError


def bad_state_file() -> StoreError | None:
    """The first state file that is not one vmss could have written, as the error to report."""
    from vmss_cli.core.resources import validation
    from vmss_cli.store import files, kinds, paths

    try:
        listed = kinds.state_files(paths.home())
    except OSError:
        return None
    for path, kind in listed:
        try:
            doc = files.read_json(path, kind)
        except StoreError as exc:
            return exc
        if doc is None:
            continue
        problem = kinds.deep_problem(doc, kind)
        if problem is None and kind == "scaleSet":
            try:
                validation.check_types(copy.deepcopy(doc["scaleSet"]))
            except VmssError as exc:
                problem = exc.message.rstrip(".")
            except Exception:  # noqa: BLE001 (a model too broken to check is broken)
                problem = "its model cannot be read"
        if problem is not None:
            return kinds.error(path, kind, problem)
    return None
