"""`$VMSS_HOME/config.toml`: az-style defaults and simulation settings."""

from __future__ import annotations

from pathlib import Path

from vmss_cli.core.errors import StoreError
from vmss_cli.store import paths


def load(root: Path) -> dict:
    path = paths.config_file(root)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    import tomllib

    try:
        return tomllib.loads(raw.decode())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StoreError(f"Config file '{path}' is not valid TOML: {exc}.") from None
