"""Crash-safe JSON files: temp file in the same directory -> flush -> fsync -> os.replace.

A reader sees the old file or the new one, never half of one. Files are 0600, directories 0700,
whatever the umask. A file that does not parse is reported with its path and never overwritten.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from vmss_cli.core.errors import StoreError

SCHEMA_VERSION = 1

# Ordered migrations per file kind: MIGRATIONS[kind][n] upgrades a document from version n to n + 1.
# Version 0 is a file written before `schemaVersion` existed (none were released); the step only stamps it.
def _v0_to_v1(doc: dict) -> dict:
    return doc


MIGRATIONS: dict[str, list] = {
    "scaleSet": [_v0_to_v1],
    "group": [_v0_to_v1],
    "world": [_v0_to_v1],
    "images": [_v0_to_v1],
}


def ensure_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkdir's mode is masked by the umask; set it explicitly.
    os.chmod(path, 0o700)


def read_json(path: Path, kind: str) -> dict | None:
    """The migrated document at `path`, or None when the file does not exist."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"Cannot read state file '{path}': {exc.strerror}.") from None
    try:
        doc = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StoreError(f"State file '{path}' is not valid JSON ({exc}). "
                         "It was left untouched; fix or remove it.") from None
    if not isinstance(doc, dict):
        raise StoreError(f"State file '{path}' does not hold a JSON object. It was left untouched; fix or remove it.")
    return migrate(doc, kind, path)


def migrate(doc: dict, kind: str, path: Path | str = "<memory>") -> dict:
    version = doc.get("schemaVersion", 0)
    steps = MIGRATIONS[kind]
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise StoreError(f"State file '{path}' has an invalid schemaVersion {version!r}. It was left untouched.")
    if version > len(steps):
        raise StoreError(f"State file '{path}' has schemaVersion {version}, newer than this vmss understands "
                         f"({len(steps)}). Upgrade vmss. The file was left untouched.")
    for step in steps[version:]:
        doc = step(doc)
    doc["schemaVersion"] = len(steps)
    return doc


def write_json(path: Path, doc: dict) -> None:
    ensure_dir(path.parent)
    data = json.dumps(doc, indent=1, sort_keys=True).encode() + b"\n"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        return
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
