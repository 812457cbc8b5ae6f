"""Entry point: global arguments, lazy command groups, and the one error handler.

Only the module of the command group named on the command line is imported, so a command pays
for its own group's typer definitions and nothing else (see README "Start-up time"); the hot read
commands and `vmss --help` do not reach typer at all (cli/fast.py).
"""

from __future__ import annotations

import sys
import time

_STARTED = time.perf_counter()  # az's "init" is the time before the command runs

TYPE_CHECKING = False
if TYPE_CHECKING:
    from vmss_cli.cli.context import Invocation

# command group -> module defining `app` (a typer.Typer). Top-level vmss commands live in cli.vmss.
GROUPS = {
    "group": ("vmss_cli.cli.group", "Manage resource groups (az group)."),
    "image": ("vmss_cli.cli.image", "Platform images (az vm image)."),
    "rolling-upgrade": ("vmss_cli.cli.rolling", "Manage rolling upgrades of a scale set."),
    "sim": ("vmss_cli.cli.sim", "Emulator controls: clock, image publishing, fault injection."),
    "sig": ("vmss_cli.cli.sig", "Manage shared image galleries (az sig): definitions, versions, replication."),
    "deployment": ("vmss_cli.cli.deployment", "Deploy ARM templates to a resource group (az deployment group)."),
    "config": ("vmss_cli.cli.config", "Manage defaults (az config): defaults.group, defaults.location, core.output."),
    "az-shim": ("vmss_cli.cli.az_shim", "Run az scripts unchanged: install an `az` that routes az's vmss commands to vmss."),
    "serve": ("vmss_cli.cli.serve", "Serve the store as a local Azure endpoint for the real az and the SDKs."),
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
    "import": "Create a VMSS from its JSON (az vmss show -o json), to rehearse releases.",
}


def build_app(first: str | None, second: str | None = None, listing: bool = False):
    """The typer app for this command line. Only what `first` (and, for a group, `second`) names is
    imported and registered: typer converts every registered command's signature on each run.
    With `listing`, a group that the line does not name is an empty stand-in with its help text: no
    command of it can run, and the root's help lists only its name and help (`vmss --help`)."""
    import typer

    from vmss_cli import __version__

    app = typer.Typer(name="vmss", add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                      pretty_exceptions_enable=False, context_settings={"help_option_names": ["-h", "--help"]},
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
        if first in VMSS_COMMANDS:
            app = only(app, first, copy=False)
    for name in wanted:
        module, help_text = GROUPS[name]
        if listing and name != first:
            app.add_typer(typer.Typer(), name=name, help=help_text)
            continue
        sub = importlib.import_module(module).app
        app.add_typer(only(sub, second) if name == first else sub, name=name, help=help_text)
    return app


def listed_only(app, named: set):
    """`app` (a copy) in which every command not named on the line is a stand-in with its name and help
    but no parameters. Click can only run a command whose name is a word of the line; the others are
    at most listed (help, "No such command"), and a listing needs no parameters. typer converts every
    registered command's signature (typing.get_type_hints and all) when it builds the click tree:
    `vmss --help` spent most of its time converting signatures it never showed."""
    import copy
    import inspect

    def stand_in(info):
        info = copy.copy(info)
        callback = info.callback
        info.name = info.name or callback.__name__.lower().replace("_", "-")
        if info.name not in named:
            info.help = info.help if info.help is not None else inspect.getdoc(callback)
            info.callback = _listed
        return info

    app = copy.copy(app)
    app.registered_commands = [stand_in(c) for c in app.registered_commands]
    groups = []
    for group in app.registered_groups:
        group = copy.copy(group)
        group.typer_instance = listed_only(group.typer_instance, named)
        groups.append(group)
    app.registered_groups = groups
    return app


def _listed() -> None:
    """A command shown in a listing only (see listed_only); click never runs it."""


def only(app, name: str | None, copy: bool = True):
    """`app` keeping just the command or sub-group called `name`; unchanged when nothing is called
    that (click then reports the unknown name with the full list). A copy by default: the module-level
    group apps are reused by later in-process calls."""
    if name is None:
        return app

    def named(info) -> str | None:
        callback = getattr(info, "callback", None)
        return info.name or (callback.__name__.lower().replace("_", "-") if callback else None)

    commands = [c for c in app.registered_commands if named(c) == name]
    groups = [g for g in app.registered_groups if named(g) == name]
    if not commands and not groups:
        return app
    if copy:
        import copy as copy_module

        app = copy_module.copy(app)
    app.registered_commands, app.registered_groups = commands, groups
    return app


_AAZ_BOOLS = {"true": True, "t": True, "yes": True, "y": True, "1": True,
              "false": False, "f": False, "no": False, "n": False, "0": False}


def aaz_no_wait(argv: list[str]) -> list[str]:
    """AAZ commands (rolling-upgrade start/cancel, delete) also take `--no-wait true|false`."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] == "--no-wait" and i + 1 < len(argv) and argv[i + 1].lower() in _AAZ_BOOLS:
            if _AAZ_BOOLS[argv[i + 1].lower()]:
                out.append("--no-wait")
            i += 2
            continue
        out.append(argv[i])
        i += 1
    return out


def console() -> int:
    """The `vmss` console script and `python -m vmss_cli`: main() on this process's command line, then
    the process ends (end_process) without taking apart what the command made (`kept` holds its last
    store transaction till then)."""
    kept: list[object] = []
    return end_process(main(kept=kept))


def main(argv: list[str] | None = None, fast_path: bool = True, kept: list[object] | None = None) -> int:
    """Run one command line; with --verbose/--debug, az's timing line on stderr at the end. The console
    script times from the process's start (az's "init" includes the imports); an in-process call (tests,
    argv given) from the call."""
    process = argv is None  # the process's own command line: it exits when this returns
    if process:
        import gc

        # One command is one short process whose documents hold no reference cycles: no cyclic collection
        # while it runs. (The pause around a transaction, store.files.paused_gc, left the collector a first
        # pass after it over every object the transaction made: 0.12 s after a 500-set clock advance.)
        gc.disable()
    from vmss_cli.cli import context
    from vmss_cli.errors import VmssError

    started = _STARTED if argv is None else time.perf_counter()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        invocation, rest = context.extract_globals(argv)
    except VmssError as exc:
        return report(exc, False, argv)
    invocation.kept = kept
    end_invocation = context.activate(invocation)
    try:
        code = _main(invocation, argv, rest, fast_path)
    finally:
        end_invocation()
    if invocation.verbose or invocation.debug:
        end = time.perf_counter()
        invoke = end - (invocation.invoked or end)
        total = end - started
        name = "cli.__main__: " if invocation.debug else ""
        sys.stderr.write(f"INFO: {name}Command ran in {total:.3f} seconds (init: {total - invoke:.3f}, "
                         f"invoke: {invoke:.3f})\n")
    if process:
        import gc

        # The process ends next, and its final collection would walk every object the command left
        # (a second after a 500-set clock advance); frozen objects are not walked, and still freed.
        gc.freeze()
    return code


def end_process(code: int) -> int:
    """The console process ends here, without taking apart what its command made: freeing the documents
    of a 500-set clock advance (left alive by Invocation.kept) took 0.1 s, and the operating system frees
    the memory at once. What a normal exit does that anyone could see is done first: the atexit callbacks,
    then stdout and stderr flushed. Returns `code` for the usual exit instead while another thread runs
    (it would be cut off), under a tracer, profiler or `python -i` (they act when the program ends:
    `python -m cProfile`, coverage), or when a flush fails (the usual exit reports it, as before)."""
    import atexit
    import os
    import threading

    if threading.active_count() == 1 and sys.gettrace() is None and sys.getprofile() is None \
            and not sys.flags.inspect:
        try:
            atexit._run_exitfuncs()  # (a normal exit's first step; run once, the callbacks are cleared)
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001 (a flush that fails: the usual exit handles it)
            pass
        else:
            os._exit(code)
    return code


_SECRET_OPTIONS = {"--admin-password", "--protected-settings"}


def _main(invocation: Invocation, argv: list[str], rest: list[str], fast_path: bool = True) -> int:
    from vmss_cli.cli import context
    from vmss_cli.errors import VmssError

    if invocation.subscription is not None:
        try:
            context.check_subscription(invocation.subscription, invocation)
        except VmssError as exc:
            return report(exc, False, argv)
    if invocation.debug:
        import re

        from vmss_cli.render import redact

        secret_key = re.compile(r"(?i)password|secret|protectedsettings")
        # az echoes its arguments as typed; vmss never prints a password or a SAS signature
        shown = [redact.REDACTED if i and argv[i - 1] in _SECRET_OPTIONS
                 else a.split("=", 1)[0] + "=" + redact.REDACTED if secret_key.search(a.split("=", 1)[0]) and "=" in a
                 else a for i, a in enumerate(argv)]
        sys.stderr.write(redact.text(f"DEBUG: cli.knack.cli: Command arguments: {shown!r}\n"))
    words = [a for a in rest if not a.startswith("-")]
    first, second = (words + [None, None])[:2]
    if first in ("rolling-upgrade", "delete"):
        rest = aaz_no_wait(rest)
    if first == "update":
        from vmss_cli.cli.writes import extract_generic

        try:
            invocation.generic, rest = extract_generic(rest)
        except VmssError as exc:
            return report(exc, False, rest)
    try:
        from vmss_cli.cli import fast

        invocation.invoked = time.perf_counter()
        if fast_path and fast.run(rest, invocation.generic):  # a well-formed hot read command or the root help, without typer
            return 0
        app = listed_only(build_app(first, second, listing=True), set(words))
        # typer 0.28 vendors click as typer._click (pinned in pyproject; see README "Start-up time").
        from typer import exceptions as typer_exceptions
        from typer._click import exceptions as click

        import typer.main

        command = typer.main.get_command(app)
        if "--help" in rest:
            from vmss_cli.cli.help_layout import prepare

            prepare(command)
        try:
            invocation.invoked = time.perf_counter()
            result = command.main(args=expand_multi_values(command, rest), prog_name="vmss",
                                  standalone_mode=False, obj=invocation)
            if isinstance(result, int):  # --help / --version / typer.Exit return their exit code
                return result
        except click.NoArgsIsHelpError as exc:
            from vmss_cli.cli.help_layout import prepare

            prepare(exc.ctx.command)
            sys.stdout.write(exc.ctx.get_help() + "\n")
            return 0
        except typer_exceptions.Abort:
            sys.stderr.write("ERROR: Operation cancelled.\n")
            return 130
        except click.ClickException as exc:
            from vmss_cli.render.errors import usage_error_text

            node, prog = invoked(command, rest)
            from vmss_cli.cli.common import missing_required

            sys.stderr.write(usage_error_text(exc, node, prog, rest, missing_required(prog, rest)))
            return 2
        return 0
    except VmssError as exc:
        return report(exc, invocation.debug, rest)
    except KeyboardInterrupt:
        sys.stderr.write("ERROR: Operation cancelled.\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 (the last resort: a bug must not print a traceback)
        return report_unexpected(exc, invocation.debug)


THREE_STATE = "[true|false]"  # the metavar that marks an option as az's three-state flag


def expand_multi_values(command, args: list[str]) -> list[str]:
    """az's list options take several values after one flag (`--zones 1 2 3`, `--tags a=1 b=2`,
    `--instance-ids 0 1`); click wants the flag repeated. Rewrite the first form into the second for
    the options the invoked command declares as lists (typer `list[...]` = click `multiple`)."""
    node, _ = invoked(command, args)
    three_state = {opt for param in getattr(node, "params", ()) if getattr(param, "metavar", None) == THREE_STATE
                   for opt in getattr(param, "opts", ())}
    check_values(node, args, three_state)
    if three_state:  # az's three-state flags (get_three_state_flag): a bare `--flag` means `--flag true`
        args = [t for i, token in enumerate(args) for t in (
            [token, "true"] if token in three_state and (i + 1 == len(args) or args[i + 1].startswith("-"))
            else [token])]
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


def check_values(node, args: list[str], optional: set[str]) -> None:
    """argparse takes a word starting with `-` (other than a negative number) as an option, never as a
    value: `-n -x` is `argument --name/-n: expected one argument` (exit 2) in az; click would take `-x`."""
    import re

    from typer._click import exceptions as click

    takes_value = {opt for param in getattr(node, "params", ()) if not getattr(param, "is_flag", True)
                   and getattr(param, "param_type_name", "") == "option" for opt in getattr(param, "opts", ())}
    for token, following in zip(args, args[1:]):
        if token == "--":
            return
        if token in takes_value and token not in optional and following.startswith("-") and following != "-" \
                and not re.fullmatch(r"-\d+(\.\d*)?|-\.\d+", following):
            raise click.BadOptionUsage(token, f"Option '{token}' requires an argument.")


def report(exc, debug: bool, args: list[str] | None = None) -> int:
    from vmss_cli.render.errors import error_text

    if debug:
        print_traceback()
    if exc.exit_code == 2 and args is not None and getattr(exc, "trailer", True):  # a usage error: argparse's wording and az's trailer
        return report_usage(exc, args)
    sys.stderr.write(error_text(exc))
    return exc.exit_code


def report_usage(exc, args: list[str]) -> int:
    from vmss_cli.render import redact
    from vmss_cli.render.errors import usage_trailer

    words = [a for a in args if not a.startswith("-")]
    try:
        import typer.main

        node, prog = invoked(typer.main.get_command(build_app(*(words + [None, None])[:2])), args)
    except Exception:  # noqa: BLE001 (the trailer is a courtesy; the error line must be printed)
        node, prog = None, "vmss"
    message = exc.message
    if " is not a valid value for '" in message and not message.startswith("vmss"):
        message = f"{prog}: {message}"  # argparse names the command: `az vmss update: 'x' is not a valid value ...`
    sys.stderr.write(redact.text(f"ERROR: {message}\n") + usage_trailer(node))
    return exc.exit_code


def invoked(command, args: list[str]):
    """(the click command `args` names, its path `vmss a b`), walking down the command groups."""
    node, path = command, ["vmss"]
    for token in args:
        if token.startswith("-"):
            continue
        sub = getattr(node, "commands", {}).get(token)
        if sub is None:
            break
        node = sub
        path.append(token)
    return node, " ".join(path)


def report_unexpected(exc: Exception, debug: bool) -> int:
    """An exception outside the VmssError tree is a bug (or a state file edited into a shape vmss
    never writes). DESIGN.md: no traceback unless --debug; the store is untouched (nothing commits)."""
    from vmss_cli.render import redact

    if debug:
        print_traceback()
    try:
        from vmss_cli.cli.diagnose import bad_state_file

        found = bad_state_file()  # a hand-edited or foreign state file explains most such failures
    except Exception:  # noqa: BLE001 (the diagnosis must not fail the report)
        found = None
    if found is not None:
        return report(found, False)
    detail = f"{type(exc).__name__}: {exc}"[:300]
    sys.stderr.write(redact.text(
        f"ERROR: The command failed with an unexpected error ({detail}). This is a bug in vmss, unless a "
        "file under $VMSS_HOME was edited by hand; run the command again with --debug to see the traceback.\n"))
    return 1


def print_traceback() -> None:
    import traceback

    from vmss_cli.render import redact

    sys.stderr.write(redact.text(traceback.format_exc()))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
