"""Entry point: global arguments, lazy command groups, and the one error handler.

Only the module of the command group named on the command line is imported, so a command pays
for its own group's typer definitions and nothing else (see README "Start-up time").
"""

from __future__ import annotations

import sys

# command group -> module defining `app` (a typer.Typer). Top-level vmss commands live in cli.vmss.
GROUPS = {
    "group": ("vmss_cli.cli.group", "Manage resource groups (az group)."),
    "image": ("vmss_cli.cli.image", "Platform images (az vm image)."),
    "rolling-upgrade": ("vmss_cli.cli.rolling", "Manage rolling upgrades of a scale set."),
    "sim": ("vmss_cli.cli.sim", "Emulator controls: clock, image publishing, fault injection."),
}
VMSS_COMMANDS = {
    "create": "Create an Azure Virtual Machine Scale Set.",
    "show": "Get details on VMs within a VMSS.",
    "list": "List VMSS.",
    "delete": "Delete a VMSS.",
    "scale": "Change the number of VMs within a VMSS.",
    "list-instances": "Get a list of all virtual machines in a VM scale sets.",
    "get-instance-view": "View an instance of a VMSS.",
    "get-os-upgrade-history": "Get the OS upgrade history of a VMSS.",
    "update": "Update a VMSS.",
    "update-instances": "Upgrade VMs within a VMSS to the latest model.",
    "demo": "Run the automatic OS upgrade demo in a temporary store.",
    "approve-rolling-upgrade": "Approve deferred OS upgrades of a VMSS.",
}


def build_app(first: str | None):
    import typer

    from vmss_cli import __version__

    app = typer.Typer(name="vmss", add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                      pretty_exceptions_enable=False,
                      help="vmss: Azure VM scale set automatic OS image upgrades, emulated offline.\n\n"
                           "Global arguments on every command: -o/--output json|jsonc|yaml|yamlc|table|tsv|none, "
                           "--query JMESPATH, --only-show-errors, --verbose, --debug, --subscription ID.")

    def version_callback(value: bool) -> None:
        if value:
            sys.stdout.write(f"vmss {__version__}\n")
            raise typer.Exit()

    @app.callback()
    def root(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                          help="Show the version and exit.")) -> None:
        """vmss: Azure VM scale set automatic OS image upgrades, emulated offline."""

    import importlib

    wanted = [first] if first in GROUPS else list(GROUPS) if first not in VMSS_COMMANDS else []
    if first is None or first in VMSS_COMMANDS or first not in GROUPS:
        importlib.import_module("vmss_cli.cli.vmss").register(app, first)
    for name in wanted:
        module, help_text = GROUPS[name]
        try:
            sub = importlib.import_module(module).app
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue  # a group not built yet
        app.add_typer(sub, name=name, help=help_text)
    return app


def main(argv: list[str] | None = None) -> int:
    from vmss_cli.cli import context
    from vmss_cli.core.errors import VmssError

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        context.GLOBALS, rest = context.extract_globals(argv)
    except VmssError as exc:
        return report(exc, False)
    first = next((a for a in rest if not a.startswith("-")), None)
    if first == "update":
        from vmss_cli.cli.update import extract_generic

        try:
            context.GLOBALS.generic, rest = extract_generic(rest)
        except VmssError as exc:
            return report(exc, False)
    try:
        app = build_app(first)
        # typer 0.28 vendors click as typer._click (pinned in pyproject; see README "Start-up time").
        from typer import exceptions as typer_exceptions
        from typer._click import exceptions as click

        import typer.main

        command = typer.main.get_command(app)
        try:
            result = command.main(args=expand_multi_values(command, rest), prog_name="vmss",
                                  standalone_mode=False)
            if isinstance(result, int):  # --help / --version / typer.Exit return their exit code
                return result
        except click.NoArgsIsHelpError as exc:
            sys.stdout.write(exc.ctx.get_help() + "\n")
            return 0
        except typer_exceptions.Abort:
            sys.stderr.write("ERROR: Operation cancelled.\n")
            return 130
        except click.ClickException as exc:
            from vmss_cli.render.errors import usage_error_text

            sys.stderr.write(usage_error_text(exc, rest))
            return 2
        return 0
    except VmssError as exc:
        return report(exc, context.GLOBALS.debug)
    except KeyboardInterrupt:
        sys.stderr.write("ERROR: Operation cancelled.\n")
        return 130
    except BrokenPipeError:
        return 0


def expand_multi_values(command, args: list[str]) -> list[str]:
    """az's list options take several values after one flag (`--zones 1 2 3`, `--tags a=1 b=2`,
    `--instance-ids 0 1`); click wants the flag repeated. Rewrite the first form into the second for
    the options the invoked command declares as lists (typer `list[...]` = click `multiple`)."""
    node = command
    for token in args:  # walk down the command groups named on the line
        if token.startswith("-"):
            continue
        sub = getattr(node, "commands", {}).get(token)
        if sub is None:
            break
        node = sub
    multi = {opt for param in getattr(node, "params", ()) if getattr(param, "multiple", False)
             and not getattr(param, "is_flag", False) for opt in getattr(param, "opts", ())}
    if not multi:
        return args
    out: list[str] = []
    current = None
    for i, token in enumerate(args):
        if token == "--":
            return out + args[i:]
        if token in multi or token.partition("=")[0] in multi:
            current = token.partition("=")[0]
            out.append(token)
            continue
        if token.startswith("-"):
            current = None
        elif current is not None and out[-1] != current:
            out.append(current)  # a further value of the same list option
        out.append(token)
    return out


def report(exc, debug: bool) -> int:
    from vmss_cli.render.errors import error_text

    if debug:
        import traceback

        traceback.print_exc()
    sys.stderr.write(error_text(exc))
    return exc.exit_code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
