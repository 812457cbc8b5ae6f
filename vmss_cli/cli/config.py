"""`vmss config set | get | unset` = `az config ...`, stored in $VMSS_HOME/config.toml."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from vmss_cli.cli.context import emit

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


@app.command("set")
def set_(pairs: Annotated[Optional[list[str]], typer.Argument(help="KEY=VALUE pairs, e.g. defaults.group=myRG core.output=table.", show_default=False)] = None) -> None:
    """Set configurations.

    Example: vmss config set defaults.group=myResourceGroup defaults.location=eastus core.output=table
    """
    from vmss_cli.cli.context import require
    from vmss_cli.errors import CliError
    from vmss_cli.store import config
    from vmss_cli.store.state import transaction

    require({"KEY=VALUE": pairs})
    with transaction() as tx:
        doc = config.load(tx.root)
        doc = {s: dict(v) for s, v in doc.items() if isinstance(v, dict)}
        for pair in pairs:
            name, eq, value = pair.partition("=")
            if not eq:
                raise CliError(f"usage error: '{pair}' is not KEY=VALUE")
            section, key = config.split_key(name)
            doc.setdefault(section, {})[key] = _typed(section, key, value)
        config.save(tx.root, doc)


def _typed(section: str, key: str, value: str):
    from vmss_cli.errors import CliError

    if (section, key) == ("sim", "seed"):
        try:
            return int(value)
        except ValueError:
            raise CliError(f"sim.seed must be an integer, not '{value}'.") from None
    if (section, key) == ("sim", "subscription"):
        from vmss_cli.store.config import is_guid

        if not is_guid(value):
            raise CliError(f"sim.subscription must be a subscription id (a GUID), not '{value}'.")
        return value.lower()
    if (section, key) == ("core", "output"):
        from vmss_cli.render.output import FORMATS

        if value not in FORMATS:
            raise CliError(f"core.output must be one of {', '.join(FORMATS)}, not '{value}'.")
    return value


@app.command("get")
def get(key: Annotated[Optional[str], typer.Argument(help="A section (defaults) or a key (defaults.group).", show_default=False)] = None) -> None:
    """Get configurations (all, a section, or one key)."""
    from vmss_cli.errors import NotFoundError
    from vmss_cli.store import config, paths

    root = paths.home()
    source = str(paths.config_file(root))
    doc = config.load(root)
    listing = {section: [{"name": k, "source": source, "value": v} for k, v in sorted(values.items())]
               for section, values in sorted(doc.items()) if isinstance(values, dict)}
    if key is None:
        return emit(listing)
    if "." not in key:
        if key not in listing:
            raise NotFoundError(f"Configuration section '{key}' is not set.", code=None)
        return emit(listing[key])
    section, name = key.split(".", 1)
    item = next((i for i in listing.get(section, []) if i["name"] == name), None)
    if item is None:
        raise NotFoundError(f"Configuration '{key}' is not set.", code=None)
    emit(item)


@app.command("unset")
def unset(keys: Annotated[Optional[list[str]], typer.Argument(help="Keys to remove, e.g. defaults.group.", show_default=False)] = None) -> None:
    """Unset configurations."""
    from vmss_cli.cli.context import require
    from vmss_cli.store import config
    from vmss_cli.store.state import transaction

    require({"KEY": keys})
    with transaction() as tx:
        doc = {s: dict(v) for s, v in config.load(tx.root).items() if isinstance(v, dict)}
        for name in keys:
            section, key = config.split_key(name)
            doc.get(section, {}).pop(key, None)
        config.save(tx.root, {s: v for s, v in doc.items() if v})
