"""`$VMSS_HOME/config.toml`: az-style defaults and simulation settings.

    [defaults]  group, location          used when -g / -l are omitted (az config's defaults)
    [core]      output                   default output format
    [sim]       seed, start_time         fixed when the world is first created
Read with tomllib, written with tomli-w (atomically, 0600).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from vmss_cli.core.errors import CliError, StoreError
from vmss_cli.store import paths

KNOWN = {"defaults": ("group", "location"), "core": ("output",), "sim": ("seed", "start_time")}


def load(root: Path) -> dict:
    return _load(str(paths.config_file(root)))


@lru_cache(maxsize=4)
def _load(path_text: str) -> dict:
    path = Path(path_text)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    import tomllib

    try:
        return tomllib.loads(raw.decode())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StoreError(f"Config file '{path}' is not valid TOML: {exc}. It was left untouched; fix or remove it.") \
            from None


def value(root: Path, section: str, key: str):
    """A configured default, or None (also None when the store does not exist yet)."""
    section_doc = load(root).get(section)
    return section_doc.get(key) if isinstance(section_doc, dict) else None


def split_key(name: str) -> tuple[str, str]:
    section, dot, key = name.partition(".")
    if not dot or section not in KNOWN or key not in KNOWN[section]:
        allowed = ", ".join(f"{s}.{k}" for s, keys in KNOWN.items() for k in keys)
        raise CliError(f"Unknown configuration key '{name}'. Known keys: {allowed}.")
    return section, key


def save(root: Path, doc: dict) -> None:
    import os

    import tomli_w

    from vmss_cli.store import files

    path = paths.config_file(root)
    files.ensure_dir(root)
    data = tomli_w.dumps(doc).encode()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    _load.cache_clear()
