"""The invocation: az's global arguments (-o, --query, --only-show-errors, --verbose, --debug,
--subscription) and what main() took off the line for the command, and the helpers every command uses to
print its result and its logs.

One `Invocation` per command line, made by main() and active for that command only (`activate`): a
context variable, so that nothing of one invocation outlives it or leaks into the next one run in the same
process (tests, `vmss demo`), and the helpers below (emit, warn, info) need no argument threaded through
every command. The typer path also hands it to the command as click's context object (`ctx.obj`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from contextvars import ContextVar

Any = object  # for annotations only: importing typing costs every command ~1 ms (README "Start-up time")

from vmss_cli.errors import UsageError


class Invocation:
    """az's global arguments for one command line, and what main() took off it for the command. A plain
    class, not a dataclass: importing dataclasses costs every command ~1-2 ms of start-up (see README
    "Start-up time")."""

    def __init__(self) -> None:
        self.output = "json"
        self.query: str | None = None
        self.only_show_errors = False
        self.verbose = False
        self.debug = False
        self.subscription: str | None = None
        self.output_given = False
        self.generic: list[tuple[str, list[str]]] = []  # vmss update's --set/--add/--remove, in order
        self.invoked: float | None = None  # perf_counter() when the command itself started (az's "invoke")
        # where the command leaves its last store transaction, for a caller that ends the process without
        # freeing it (main.console)
        self.kept: list[Any] | None = None


_DEFAULT = Invocation()  # what the helpers see outside a command line (a command function called directly)
_CURRENT: ContextVar[Invocation] = ContextVar("vmss_invocation")
_VALUE_FLAGS = {"-o": "output", "--output": "output", "--query": "query", "--subscription": "subscription"}
_SWITCHES = {"--only-show-errors": "only_show_errors", "--verbose": "verbose", "--debug": "debug"}


def current() -> Invocation:
    """The invocation being run."""
    return _CURRENT.get(_DEFAULT)


def activate(invocation: Invocation) -> Callable[[], None]:
    """Make `invocation` the current one; returns the function that ends it (restores the previous)."""
    token = _CURRENT.set(invocation)
    return lambda: _CURRENT.reset(token)


def extract_globals(argv: list[str]) -> tuple[Invocation, list[str]]:
    """Split az's global arguments (accepted anywhere on the line) from the command's own."""
    g = Invocation()
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=")
        if arg == "--":
            rest.extend(argv[i:])
            break
        if name in _VALUE_FLAGS and name.startswith("--") and eq:
            setattr(g, _VALUE_FLAGS[name], value)
            g.output_given |= name == "--output"
        elif arg in _VALUE_FLAGS:
            if i + 1 >= len(argv):
                raise UsageError(f"argument {_flag_label(arg)}: expected one argument")
            setattr(g, _VALUE_FLAGS[arg], argv[i + 1])
            g.output_given |= _VALUE_FLAGS[arg] == "output"
            i += 1
        elif arg in _SWITCHES:
            setattr(g, _SWITCHES[arg], True)
        else:
            rest.append(arg)
        i += 1
    from vmss_cli.render.output import FORMATS

    if not g.output_given:
        g.output = configured("core", "output") or g.output
    g.output = g.output.lower()  # az parses -o with type=str.lower
    if g.output not in FORMATS:
        raise UsageError(f"'{g.output}' is not a valid value for '--output'. Allowed values: {', '.join(FORMATS)}.")
    if g.query is not None:  # argparse checks --query's syntax (exit 2) before the command runs
        from vmss_cli.render.output import compile_query

        compile_query(g.query)
    if g.subscription is not None:
        check_subscription(g.subscription, g)  # its warning already honours --only-show-errors
    return g, rest


def configured(section: str, key: str):
    """A default from $VMSS_HOME/config.toml (az config), read only when the file exists."""
    from vmss_cli.store import paths

    root = paths.home()
    if not paths.config_file(root).exists():
        return None
    from vmss_cli.store import config

    return config.value(root, section, key)


def _flag_label(flag: str) -> str:
    return {"-o": "--output/-o", "--output": "--output/-o"}.get(flag, flag)


def check_subscription(value: str, invocation: Invocation) -> None:
    """A store holds one subscription (README "Differences from az"): --subscription must name it, by its
    id (any case) or its name 'vmss'; anything else is az's unknown-subscription error."""
    if value.lower() in ("vmss", subscription()):
        return
    warn(f"Subscription '{value}' not recognized.", invocation)
    from vmss_cli.errors import CliError

    raise CliError(f"Subscription '{value}' not found. Check the spelling and casing and try again.")


def subscription() -> str:
    """The store's one subscription id, whatever --subscription said."""
    from vmss_cli.service import simulator
    from vmss_cli.store import paths

    return simulator.store_subscription(paths.home())


def service(**watchers):
    """The service layer's context for this invocation: the store, the subscription ids are minted in,
    and (from cli.rolling.watching) the listeners and the interruption check of a command that runs the world."""
    from vmss_cli.service.context import Context

    return Context(subscription=None, keep=current().kept, **watchers)  # None: the store's, read when needed


def emit(result: Any, table_transformer: Callable[[Any], Any] | None = None) -> None:
    from vmss_cli.render.output import render

    invocation = current()
    text = render(result, invocation.output, invocation.query, table_transformer)
    if text:
        try:
            if sys.stdout is None:  # the process started with its standard output closed (`vmss ... >&-`)
                import errno

                raise OSError(errno.EBADF, os.strerror(errno.EBADF))
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # `vmss ... | head`: main exits quietly
        except OSError as exc:  # stdout on a full or failing device: an output failure, not a bug
            from vmss_cli.errors import CliError

            sys.stdout = open(os.devnull, "w")  # the unwritten rest must not fail again at exit

            raise CliError(f"The result could not be written to standard output: {exc.strerror or exc}. The command "
                           "itself succeeded: any change it made was applied.") from None


def warn(message: str, invocation: Invocation | None = None) -> None:
    if not (invocation or current()).only_show_errors:
        from vmss_cli.render import redact

        sys.stderr.write(redact.text(f"WARNING: {message}\n"))


def info(message: str) -> None:
    invocation = current()
    if invocation.verbose or invocation.debug:
        from vmss_cli.render import redact

        sys.stderr.write(redact.text(f"INFO: {message}\n"))


def require(flags: dict[str, object]) -> None:
    """argparse's 'required' check, listing every missing flag at once (exit 2).
    `flags` maps az's label ('--resource-group/-g') to the value given (None when absent)."""
    missing = [label for label, value in flags.items() if value is None]
    if missing:
        raise UsageError("the following arguments are required: " + ", ".join(missing))


def progress_mode() -> str | None:
    """How a blocking command shows progress on stderr, as az does: a live view on a terminal, nothing
    on a pipe or file unless --verbose/--debug asks for one line per event, nothing with
    --only-show-errors."""
    invocation = current()
    if invocation.only_show_errors:
        return None
    if stderr_is_tty():
        return "live"
    return "lines" if invocation.verbose or invocation.debug else None


def stderr_is_tty() -> bool:
    return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
