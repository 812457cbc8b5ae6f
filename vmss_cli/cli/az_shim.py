"""`vmss az-shim install DIR`: an executable `DIR/az` so a script that calls `az vmss …` runs unchanged.

The shim is a small POSIX shell script (no Python start-up of its own): it maps az's command groups onto
vmss's and refuses everything else with a clear message and az's exit code for an unknown command (2).
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)

_SCRIPT = """#!/bin/sh
# az -> vmss, written by `vmss az-shim install`. Routes: az vmss, az vm image, az group, az sig,
# az deployment group, az config. Anything else is refused (exit 2).
PY={python}
case "$1" in
  vmss) shift; exec "$PY" -m vmss_cli "$@" ;;
  group|sig|config) exec "$PY" -m vmss_cli "$@" ;;
  vm) if [ "$2" = image ]; then shift 2; exec "$PY" -m vmss_cli image "$@"; fi ;;
  deployment) if [ "$2" = group ]; then exec "$PY" -m vmss_cli "$@"; fi ;;
esac
echo "ERROR: 'az $*' is not emulated: this az is the vmss shim ({where}), which runs only az vmss, az vm image, \\
az group, az sig, az deployment group and az config." >&2
exit 2
"""


def script(python: str, where: str) -> str:
    import shlex

    return _SCRIPT.format(python=shlex.quote(python), where=where)


@app.command("install")
def install(directory: Annotated[Optional[str], typer.Argument(help="Directory to write the `az` executable into (created if missing); put it first on PATH.", show_default=False)] = None) -> None:
    """Write an executable DIR/az that runs az's vmss, vm image, group, sig, deployment group and config commands with vmss.

    Example: vmss az-shim install ~/.local/vmss-az && PATH=~/.local/vmss-az:$PATH ./deploy.sh
    """
    import os
    import sys
    from pathlib import Path

    from vmss_cli.cli import context
    from vmss_cli.cli.context import require

    require({"DIR": directory})
    target = Path(directory).expanduser().resolve() / "az"
    target.parent.mkdir(parents=True, exist_ok=True)
    # this interpreter and this vmss, whatever PATH holds when the script runs
    text = script(sys.executable, str(target))
    tmp = target.with_name(".az.tmp")
    tmp.write_text(text)
    os.chmod(tmp, 0o755)
    os.replace(tmp, target)
    if not context.current().only_show_errors:
        sys.stderr.write(f"Wrote {target}: put {target.parent} first on PATH to run az scripts against vmss.\n")
