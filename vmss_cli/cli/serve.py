"""`vmss serve`: the emulator as a local Azure endpoint (ARM over HTTPS) for the real az and the SDKs."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

app = typer.Typer(invoke_without_command=True, rich_markup_mode=None)


@app.callback()
def serve(ctx: typer.Context,
          host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", help="Port to listen on; 0 picks a free one.")] = 8443,
          clock: Annotated[str, typer.Option("--clock", help="How world time moves: on-poll (a poll of a running "
                                             "rolling upgrade moves it to the next step), frozen, or "
                                             "realtime[:SPEED].")] = "on-poll",
          log: Annotated[bool, typer.Option("--log", help="Print one line per request on stderr.")] = False) -> None:
    """Serve the store as a local Azure Resource Manager endpoint over HTTPS (foreground; Ctrl-C stops it).

    Writes the endpoint URL to $VMSS_HOME/serve/endpoint and the local CA to $VMSS_HOME/serve/ca.pem.
    The real az (after 'vmss serve az-login') and Azure SDK programs then see the same world as vmss.

    Example: vmss serve --port 0
    """
    if ctx.invoked_subcommand is not None:
        return
    from vmss_cli.errors import CliError
    from vmss_cli.serve.clock import Clock
    from vmss_cli.store.paths import home

    if not 0 <= port <= 65535:
        raise CliError(f"argument --port: {port} is not a port number (0-65535).")
    Clock(clock)  # a bad --clock is a usage error before anything listens
    try:
        from vmss_cli.serve import server
    except ModuleNotFoundError as exc:
        raise CliError(f"vmss serve needs the '{exc.name}' package: pip install trustme") from None
    import gc

    gc.enable()  # a long-running server needs the cyclic collector (a command's process runs without: cli/main.py)
    try:
        raise typer.Exit(server.run(home(), host, port, clock, log))
    except OSError as exc:
        if isinstance(exc, (PermissionError,)) or exc.errno in (98, 99, 13, 48):
            raise CliError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
        raise


@app.command("az-login")
def az_login(endpoint: Annotated[Optional[str], typer.Option("--endpoint", help="The serve endpoint. Default: the "
                                                             "one in $VMSS_HOME/serve/endpoint.")] = None) -> None:
    """Point the az on PATH at a running 'vmss serve' (honours AZURE_CONFIG_DIR).

    Registers and selects the cloud 'VmssEmulator' for the endpoint and logs in with a service principal
    the emulator's token endpoint accepts. Undo: az cloud set -n AzureCloud (and az cloud unregister -n
    VmssEmulator).

    Example: vmss serve az-login
    """
    from vmss_cli.serve import azlogin
    from vmss_cli.store.paths import home

    azlogin.run(home(), endpoint)
