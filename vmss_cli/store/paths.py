"""Where the state lives and how a resource maps to a file.

Layout (names lower-cased, since Azure names are case-insensitive):
    $VMSS_HOME/config.toml
    $VMSS_HOME/world.json                                   clock, seed, event queue
    $VMSS_HOME/images.json                                  image versions published with `vmss sim image publish`
    $VMSS_HOME/resourceGroups/<rg>/group.json
    $VMSS_HOME/resourceGroups/<rg>/virtualMachineScaleSets/<name>.json
    $VMSS_HOME/resourceGroups/<rg>/virtualMachineScaleSets/<name>.events.jsonl   its event log (append-only)
$VMSS_HOME/resourceGroups/<rg>/virtualMachineScaleSets/<name>.events.1.jsonl its older events, once rotated
    $VMSS_HOME/resourceGroups/<rg>/galleries/<gallery>.json             definitions and versions inside
    $VMSS_HOME/resourceGroups/<rg>/deployments/<name>.json              template deployments (`vmss deployment`)
Callers validate names (core.names) before they reach these functions.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def home() -> Path:
    env = os.environ.get("VMSS_HOME")
    if env:
        return Path(env)
    import platformdirs  # lazy: only when VMSS_HOME is unset

    return platformdirs.user_data_path("vmss")


def groups_dir(root: Path) -> Path:
    return root / "resourceGroups"


def group_file(root: Path, rg: str) -> Path:
    return groups_dir(root) / rg.lower() / "group.json"


def scale_sets_dir(root: Path, rg: str) -> Path:
    return groups_dir(root) / rg.lower() / "virtualMachineScaleSets"


@lru_cache(maxsize=4096)  # the engine resolves it for every event it runs (benchmarks/scale.py)
def scale_set_file(root: Path, rg: str, name: str) -> Path:
    return scale_sets_dir(root, rg) / f"{name.lower()}.json"


@lru_cache(maxsize=4096)  # as scale_set_file: the engine saves a set on every event it runs
def scale_set_events_file(root: Path, rg: str, name: str) -> Path:
    """The set's append-only event log, one JSON object per line (`vmss sim events`)."""
    return scale_sets_dir(root, rg) / f"{name.lower()}.events.jsonl"


def rotated_log(log: Path) -> Path:
    """Where an append-only log's older lines go when it is rotated: `<name>.events.jsonl` ->
    `<name>.events.1.jsonl` (store.state.LOG_ROTATE_BYTES)."""
    return log.with_name(log.name[:-len(".jsonl")] + ".1.jsonl")


def galleries_dir(root: Path, rg: str) -> Path:
    return groups_dir(root) / rg.lower() / "galleries"


def gallery_file(root: Path, rg: str, name: str) -> Path:
    return galleries_dir(root, rg) / f"{name.lower()}.json"


def deployments_dir(root: Path, rg: str) -> Path:
    return groups_dir(root) / rg.lower() / "deployments"


def deployment_file(root: Path, rg: str, name: str) -> Path:
    return deployments_dir(root, rg) / f"{name.lower()}.json"


def world_file(root: Path) -> Path:
    return root / "world.json"


def images_file(root: Path) -> Path:
    return root / "images.json"


def config_file(root: Path) -> Path:
    return root / "config.toml"


def lock_file(root: Path) -> Path:
    return root / ".lock"
