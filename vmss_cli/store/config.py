"""`$VMSS_HOME/config.toml`: az-style defaults and simulation settings.

    [defaults]  group, location          used when -g / -l are omitted (az config's defaults)
    [core]      output                   default output format
    [sim]       seed, start_time,        fixed when the world is first created
                subscription             (the store's one subscription id)
Read with tomllib, written with tomli-w (atomically, 0600).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from vmss_cli.errors import CliError, StoreError
from vmss_cli.store import paths

KNOWN = {"defaults": ("group", "location"), "core": ("output",), "sim": ("seed", "start_time", "subscription")}
GUID = r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"


def load(root: Path) -> dict:
    return _load(str(paths.config_file(root)))


@lru_cache(maxsize=4)
def _load(path_text: str) -> dict:
    path = Path(path_text)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:  # a directory, unreadable
        raise StoreError(f"Cannot read config file '{path}': {exc.strerror or exc}.") from None
    import tomllib

    try:
        doc = tomllib.loads(raw.decode())
    except (ValueError, RecursionError) as exc:  # TOMLDecodeError, UnicodeDecodeError, a 5,000-digit integer
        what = "nested too deeply" if isinstance(exc, RecursionError) else exc
        raise StoreError(f"Config file '{path}' is not valid TOML: {what}. It was left untouched; fix or remove it.") \
            from None
    problem = _problem(doc)
    if problem:
        raise StoreError(f"Config file '{path}': {problem}. It was left untouched; fix or remove it.")
    return doc


def _problem(doc: dict) -> str | None:
    """The known settings have the types vmss reads them as (found by fuzzing: `sim = 5` or
    `seed = inf` used to fail deep inside the world's creation). Unknown sections and keys are left
    alone: a newer vmss may have written them."""
    import datetime

    for section in KNOWN:
        if section in doc and not isinstance(doc[section], dict):
            return f"[{section}] must be a table"
    sim = doc.get("sim", {})
    seed = sim.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        return f"[sim] seed must be an integer, not {seed!r}"
    start = sim.get("start_time")
    if start is not None and (not isinstance(start, (str, datetime.date)) or isinstance(start, datetime.time)):
        return f"[sim] start_time must be a date-time such as 2026-01-01T00:00:00Z, not {start!r}"
    sub = sim.get("subscription")
    if sub is not None and not (isinstance(sub, str) and is_guid(sub)):
        return f"[sim] subscription must be a subscription id (a GUID), not {sub!r}"
    for section, key in (("defaults", "group"), ("defaults", "location"), ("core", "output")):
        found = doc.get(section, {}).get(key)
        if found is not None and not isinstance(found, str):
            return f"[{section}] {key} must be text, not {found!r}"
    return None


def is_guid(text: str) -> bool:
    import re

    return re.fullmatch(GUID, text) is not None


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
    """Written as every state file is (store.files: whole or not at all, 0600, no temp file left)."""
    import tomli_w

    from vmss_cli.store import files

    files.write_bytes(paths.config_file(root), tomli_w.dumps(doc).encode())  # the store's one atomic writer
    _load.cache_clear()
