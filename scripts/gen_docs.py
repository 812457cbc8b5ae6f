#!/usr/bin/env python3
"""Shell completions (completions/) and man pages (man/), generated from the vmss command tree.

    python scripts/gen_docs.py            rewrite completions/ and man/ in this checkout
    python scripts/gen_docs.py --check    list stale, missing or extra files and exit 1; write nothing
    python scripts/gen_docs.py --out DIR  write DIR/completions/* and DIR/man/* instead

The tree is walked from `vmss_cli.cli.main.build_app(None)` (every command group), so a new command,
option or help text reaches every file on the next run, and tests/docs/ fail while the committed files
are stale. Most flag values are plain strings that the core validates, so click cannot list them:
VALUES below names them, from the core's own constants where it has any.

One module, longer than the house's ~500 lines, because both outputs share the tree and the value tables,
and most of its length is the four shells' and roff's templates; each emitter is a function of the tree
alone (bash, zsh, fish, powershell, man_overview, man_group).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a checkout without installing it

from vmss_cli.cli.help_layout import example_commands  # noqa: E402 (after the sys.path line above)
from vmss_cli.cli.main import THREE_STATE  # noqa: E402
from vmss_cli.core.rollout import faults, health, service_fabric  # noqa: E402
from vmss_cli.core.resources import gallery, validation  # noqa: E402
from vmss_cli.render.output import FORMATS  # noqa: E402
from vmss_cli.store.config import KNOWN as CONFIG_KEYS  # noqa: E402

REGENERATE = "python scripts/gen_docs.py"
BOOL = ("false", "true")

# option -> its values, in every command that declares it (az's get_enum_type / three-state flags)
VALUES: dict[str, tuple[str, ...]] = {
    "--upgrade-policy-mode": validation.UPGRADE_MODES,
    "--orchestration-mode": ("Flexible", "Uniform"),
    "--enable-auto-os-upgrade": BOOL,
    "--enable-auto-update": BOOL,
    "--enable-cross-zone-upgrade": BOOL,
    "--prioritize-unhealthy-instances": BOOL,
    "--max-surge": BOOL,
    "--durability": service_fabric.DURABILITY_LEVELS,
    "--os-type": gallery.OS_TYPES,
    "--os-state": gallery.OS_STATES,
    "--hyper-v-generation": gallery.HYPER_V_GENERATIONS,
    "--storage-account-type": gallery.STORAGE_ACCOUNT_TYPES,
    "--started-by": ("Platform", "User"),
    "--expand": ("ReplicationStatus",),
}
# (command path, option) -> values, where an option's name alone does not say what it takes
COMMAND_VALUES: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {
    (("sim", "health", "set"), "--state"): (*health.STATES, "clear"),
    (("sim", "health", "set"), "--until"): faults.UNTIL,
    (("deployment", "group", "create"), "--mode"): ("Incremental",),
}
_SETTINGS = tuple(f"{section}.{key}" for section, keys in CONFIG_KEYS.items() for key in keys)
# (command path, argument) -> values of a positional argument; a value ending in "=" expects more text
ARGUMENT_VALUES: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {
    (("config", "set"), "pairs"): tuple(f"{s}=" for s in _SETTINGS),
    (("config", "get"), "key"): (*CONFIG_KEYS, *_SETTINGS),
    (("config", "unset"), "keys"): _SETTINGS,
}


@dataclass(frozen=True)
class Option:
    names: tuple[str, ...]  # as declared: the first long name is the canonical one
    help: str
    takes_value: bool = True
    multiple: bool = False
    values: tuple[str, ...] = ()
    files: bool = False  # the value is a path: complete file names
    metavar: str = "VALUE"
    default: str | None = None

    @property
    def long(self) -> str:
        return next(n for n in self.names if n.startswith("--"))


@dataclass(frozen=True)
class Argument:
    name: str
    help: str
    many: bool
    values: tuple[str, ...] = ()


@dataclass
class Command:
    path: tuple[str, ...]
    help: str
    options: tuple[Option, ...] = ()
    arguments: tuple[Argument, ...] = ()
    children: dict[str, Command] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return " ".join(self.path)

    @property
    def full_name(self) -> str:
        return " ".join(("vmss", *self.path))

    @property
    def summary(self) -> str:
        return " ".join(self.help.split("\n\n", 1)[0].split())

    def walk(self):
        yield self
        for child in self.children.values():
            yield from child.walk()


# az's global arguments: cli/context.extract_globals takes them off the line before click parses it,
# so they are not in the click tree. load_tree() checks this list against context's own tables.
GLOBAL_OPTIONS = (
    Option(("--output", "-o"), "Output format. Default: json, or core.output in config.toml.", values=FORMATS,
           metavar="FORMAT"),
    Option(("--query",), "JMESPath query string, applied before the output format. See https://jmespath.org/.",
           metavar="JMESPATH"),
    Option(("--only-show-errors",), "Only show errors, suppressing warnings and progress.", takes_value=False),
    Option(("--verbose",), "Increase logging verbosity: INFO lines on stderr.", takes_value=False),
    Option(("--debug",), "Increase logging verbosity further, and print the traceback of an error.",
           takes_value=False),
    Option(("--subscription",), "Name or ID of subscription: the store's one subscription (sim.subscription in "
                                "vmss config, by default all zeros) or its name vmss.", metavar="ID"),
)
HELP_OPTION = Option(("--help",), "Show the help of a command or command group and exit.", takes_value=False)
def load_tree() -> Command:
    import typer.main

    from vmss_cli.cli import context
    from vmss_cli.cli.main import build_app

    declared = {n for o in GLOBAL_OPTIONS for n in o.names}
    if declared != set(context._VALUE_FLAGS) | set(context._SWITCHES):  # noqa: SLF001 (the one source of truth)
        raise SystemExit("gen_docs.py: GLOBAL_OPTIONS no longer matches cli/context.py's global arguments")
    used: set = set()
    root = _command(typer.main.get_command(build_app(None)), (), used)
    unused = (set(VALUES) | set(COMMAND_VALUES) | set(ARGUMENT_VALUES)) - used
    if unused:  # a renamed flag must not leave a silent, dead entry behind
        raise SystemExit(f"gen_docs.py: value table entries match no option: {sorted(map(str, unused))}")
    return root


def _command(cmd, path: tuple[str, ...], used: set) -> Command:
    options, arguments = [], []
    for param in cmd.params:
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            key = (path, param.name)
            used.add(key)
            arguments.append(Argument(param.name, _clean(getattr(param, "help", None)), param.nargs == -1,
                                      ARGUMENT_VALUES.get(key, ())))
            continue
        names = tuple(param.opts) + tuple(param.secondary_opts)
        long = next(n for n in names if n.startswith("--"))
        values: tuple[str, ...] = ()
        if (path, long) in COMMAND_VALUES:
            values = COMMAND_VALUES[(path, long)]
            used.add((path, long))
        elif getattr(param.type, "choices", None):
            values = tuple(str(c) for c in param.type.choices)
        elif param.metavar == THREE_STATE:
            values = BOOL
        elif long in VALUES:
            values = VALUES[long]
            used.add(long)
        is_flag = bool(getattr(param, "is_flag", False))
        if param.metavar:
            metavar = param.metavar
        elif values:
            metavar = "{" + "|".join(values) + "}"
        else:
            metavar = "N" if type(param.type).__name__ == "IntParamType" else param.name.strip("_").upper()
        default = param.default
        shown_default = None if is_flag or default in (None, False, ()) or callable(default) else str(default)
        options.append(Option(
            names, _clean(getattr(param, "help", None)), takes_value=not is_flag, multiple=bool(param.multiple),
            values=values, files=type(param.type).__name__ in ("Path", "File") or long.endswith("-file"),
            metavar=metavar, default=shown_default))
    children = {}
    for name in sorted(getattr(cmd, "commands", {})):
        sub = cmd.commands[name]
        if not getattr(sub, "hidden", False):
            children[name] = _command(sub, (*path, name), used)
    return Command(path, (cmd.help or "").strip(), tuple(options), tuple(arguments), children)


# --- the fast path's table of hot read commands ------------------------------------------------------
# command path -> the function of vmss_cli/cli/reads.py its typer declaration calls. cli/fast.py parses
# a well-formed line of these commands from the table below and calls the function without typer.
HOT = {
    ("show",): "show",
    ("list-instances",): "list_instances",
    ("get-os-upgrade-history",): "get_os_upgrade_history",
    ("rolling-upgrade", "get-latest"): "get_latest",
    ("image", "list"): "image_list",
    ("update",): "writes.update",  # a write: cli/writes.py, with the line's --set/--add/--remove (operations)
}
FAST_TABLE = "vmss_cli/cli/fast_table.py"


def _fast_kind(param) -> str:
    """How cli/fast.py reads an option's value; "other" sends the whole line to typer."""
    kind = type(param.type).__name__
    if param.metavar == THREE_STATE or getattr(param, "secondary_opts", None) or param.nargs != 1:
        return "other"
    if getattr(param, "is_flag", False):
        return "flag" if kind == "BoolParamType" else "other"
    if kind == "StringParamType":
        return "list" if param.multiple else "str"
    return "int" if kind == "IntParamType" and not param.multiple else "other"


def fast_table() -> str:
    """cli/fast_table.py: for each hot command, its options (every spelling -> parameter, kind) and the
    value typer passes for a parameter the line leaves out, read from the typer declarations."""
    import inspect

    import typer.main

    from vmss_cli.cli import reads, writes
    from vmss_cli.cli.main import build_app

    root = typer.main.get_command(build_app(None))
    lines = [f'"""Generated by `{REGENERATE}` from the typer declarations of the hot read commands; do not',
             'edit. cli/fast.py reads it; tests/docs fail while it is stale."""', "", "COMMANDS = {"]
    for path, function in HOT.items():
        cmd = root
        for word in path:
            cmd = cmd.commands[word]
        declared = [p.name for p in cmd.params]
        module_name, _, name = function.rpartition(".")
        module = writes if module_name == "writes" else reads
        expected = declared + (["operations"] if module is writes else [])  # writes take the line's --set...
        if list(inspect.signature(getattr(module, name)).parameters) != expected:
            raise SystemExit(f"gen_docs.py: {module.__name__}.{name} does not take the parameters of "
                             f"'vmss {' '.join(path)}' ({', '.join(expected)}), in that order")
        options = {name: (p.name, _fast_kind(p)) for p in cmd.params if p.param_type_name == "option"
                   for name in (*p.opts, *p.secondary_opts)}
        defaults = {p.name: None if p.multiple and p.default in (None, ()) else p.default for p in cmd.params}
        lines += [f"    {' '.join(path)!r}: (", f"        {function!r},",
                  *(["        {"] + [f"            {k!r}: {v!r}," for k, v in options.items()] + ["        },"]),
                  f"        {defaults!r},", "    ),"]
    return "\n".join(lines + ["}", "", "# `vmss --help` (and `vmss` alone) as typer prints it 80 columns wide or wider",
                              f"ROOT_HELP = {root_help()!r}", ""])


def root_help() -> str:
    """What the typer path prints for `vmss --help` when the terminal is 80 columns or wider (click
    wraps help at min(columns, 80) - 2)."""
    import contextlib
    import io
    import os

    from vmss_cli.cli import main as main_module

    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            code = main_module.main(["--help"], fast_path=False)
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    if code != 0:
        raise SystemExit(f"gen_docs.py: `vmss --help` exited {code}")
    return out.getvalue()


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _sorted_values(values) -> list[str]:
    return sorted(values, key=lambda v: (v.lower(), v))


def _header(comment: str) -> str:
    return (f"{comment} Generated by scripts/gen_docs.py from the vmss command tree: do not edit.\n"
            f"{comment} Regenerate with: {REGENERATE}\n")


# --- bash ---------------------------------------------------------------------------------------------

def bash(root: Command) -> str:
    """Static, data-in-case-statements: a TAB costs no Python start-up, and bash 3.2 (macOS) runs it."""
    nodes, values = [], []
    for cmd in root.walk():
        opts = (*cmd.options, HELP_OPTION)
        nodes.append(f'    "{cmd.key}")\n'
                     f'        _vmss_subs="{" ".join(cmd.children)}"\n'
                     f'        _vmss_flags="{" ".join(sorted(n for o in opts for n in o.names))}"\n'
                     f'        _vmss_valued="{" ".join(sorted(n for o in opts if o.takes_value for n in o.names))}" ;;')
        for opt in cmd.options:
            if opt.values or opt.files:
                pattern = "|".join(f'"{cmd.key}|{n}"' for n in sorted(opt.names))
                action = "_vmss_files=1" if opt.files else f'_vmss_vals="{" ".join(_sorted_values(opt.values))}"'
                values.append(f"    {pattern}) {action} ;;")
        for arg in cmd.arguments:
            if arg.values:
                values.append(f'    "{cmd.key}|") _vmss_vals="{" ".join(_sorted_values(arg.values))}" ;;')
    for opt in GLOBAL_OPTIONS:
        if opt.values:
            pattern = "|".join(f'*"|{n}"' for n in sorted(opt.names))
            values.append(f'    {pattern}) _vmss_vals="{" ".join(_sorted_values(opt.values))}" ;;')
    global_flags = " ".join(sorted(n for o in GLOBAL_OPTIONS for n in o.names))
    global_valued = " ".join(sorted(n for o in GLOBAL_OPTIONS if o.takes_value for n in o.names))
    nl = "\n"
    return f"""{_header("#")}#
# Install: source this file from ~/.bashrc, or copy it to
#   ${{XDG_DATA_HOME:-$HOME/.local/share}}/bash-completion/completions/vmss
# Global arguments are offered on every command: cli/context.py takes them off the line anywhere.

_vmss_global_flags="{global_flags}"
_vmss_global_valued="{global_valued}"

# command path -> its subcommands, its flags, and the flags that take a value; 1 for an unknown path
_vmss_node() {{
    case "$1" in
{nl.join(nodes)}
    *) return 1 ;;
    esac
}}

# "command path|flag" -> the flag's known values ("command path|" for a positional argument)
_vmss_values() {{
    _vmss_vals="" _vmss_files=""
    case "$1|$2" in
{nl.join(values)}
    esac
}}

_vmss() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="" flag="" prefix="" path="" word next i
    local _vmss_subs="" _vmss_flags="" _vmss_valued="" _vmss_vals="" _vmss_files=""
    COMPREPLY=()
    # Walk the words before the cursor: descend into command groups, step over flags and their values.
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        case "$word" in
        --) return 0 ;;
        -*)
            _vmss_node "$path"
            if [[ " $_vmss_valued $_vmss_global_valued " == *" $word "* ]]; then
                # skip the value, and the "=" that bash splits off --flag=value
                if [[ ${{COMP_WORDS[i+1]}} == "=" ]]; then i=$((i + 2)); else i=$((i + 1)); fi
            fi ;;
        =) i=$((i + 1)) ;;
        *)
            next="${{path:+$path }}$word"
            if _vmss_node "$next"; then path="$next"; fi ;;
        esac
    done
    _vmss_node "$path"
    (( COMP_CWORD > 1 )) && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    if [[ $cur == "=" ]]; then
        flag="$prev" cur=""
    elif [[ $prev == "=" ]]; then
        flag="${{COMP_WORDS[COMP_CWORD-2]}}"
    elif [[ $cur == --*=* ]]; then  # COMP_WORDBREAKS without "="
        flag="${{cur%%=*}}" prefix="${{cur%%=*}}=" cur="${{cur#*=}}"
    elif [[ $prev == -* ]]; then
        flag="$prev"
    fi
    if [[ -n $flag && " $_vmss_valued $_vmss_global_valued " == *" $flag "* ]]; then
        _vmss_values "$path" "$flag"
        if [[ -n $_vmss_files ]]; then
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
        else
            COMPREPLY=($(compgen -P "$prefix" -W "$_vmss_vals" -- "$cur"))
        fi
        return 0
    fi
    [[ $cur == "=" || $prev == "=" || -n $prefix ]] && return 0
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$_vmss_flags $_vmss_global_flags" -- "$cur"))
    elif [[ -n $_vmss_subs ]]; then
        COMPREPLY=($(compgen -W "$_vmss_subs" -- "$cur"))
    else
        _vmss_values "$path" ""
        COMPREPLY=($(compgen -W "$_vmss_vals" -- "$cur"))
        [[ ${{#COMPREPLY[@]}} -eq 1 && ${{COMPREPLY[0]}} == *= ]] && compopt -o nospace 2>/dev/null
    fi
    return 0
}}

complete -F _vmss vmss
"""


# --- zsh ----------------------------------------------------------------------------------------------

def _zsh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _zsh_desc(text: str) -> str:
    return _clean(text).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _zsh_specs(opt: Option) -> list[str]:
    exclusive = f"({' '.join(opt.names)})" if len(opt.names) > 1 and not opt.multiple else ""
    star = "*" if opt.multiple else ""
    action = ""
    if opt.takes_value:
        # az's three-state flags take an optional value (a bare --flag means true): "::" in _arguments
        message = (":" if opt.metavar == THREE_STATE else "") + opt.long[2:]
        if opt.values:
            action = f":{message}:({' '.join(_sorted_values(opt.values))})"
        else:
            action = f":{message}:_files" if opt.files else f":{message}: "
    return [_zsh_quote(f"{exclusive}{star}{name}[{_zsh_desc(opt.help)}]{action}") for name in sorted(opt.names)]


def _zsh_function(cmd: Command) -> str:
    name = "_vmss" + "".join("__" + p.replace("-", "_") for p in cmd.path)
    specs = ['"${_vmss_globals[@]}"']
    for opt in sorted(cmd.options, key=lambda o: o.long):
        specs += _zsh_specs(opt)
    for arg in cmd.arguments:
        head = f"*:{arg.name}:" if arg.many else f":{arg.name}:"
        if any(v.endswith("=") for v in arg.values):
            action = '{compadd -S "" -- ' + " ".join(_sorted_values(arg.values)) + "}"
        else:
            action = f"({' '.join(_sorted_values(arg.values))})" if arg.values else " "
        specs.append(_zsh_quote(head + action))
    body = " \\\n        ".join(specs)
    if not cmd.children:
        return f"{name}() {{\n    _arguments \\\n        {body}\n}}\n"
    commands = "\n".join(f"        {_zsh_quote(sub + ':' + child.summary)}" for sub, child in cmd.children.items())
    dispatch = "\n".join(f"            {sub}) {name}__{sub.replace('-', '_')} && ret=0 ;;" for sub in cmd.children)
    return f"""{name}() {{
    local curcontext="$curcontext" state line ret=1
    typeset -A opt_args
    _arguments -C \\
        {body} \\
        '1: :->command' \\
        '*:: :->argument' && ret=0
    case $state in
    command)
        local -a commands=(
{commands}
        )
        _describe -t commands {_zsh_quote(cmd.full_name + ' command')} commands && ret=0
        ;;
    argument)
        curcontext="${{curcontext%:*:*}}:{'-'.join(('vmss', *cmd.path))}-$words[1]:"
        case $words[1] in
{dispatch}
        esac
        ;;
    esac
    return ret
}}
"""


def zsh(root: Command) -> str:
    functions = "\n".join(_zsh_function(cmd) for cmd in root.walk())
    global_specs = [_zsh_quote(f"(- *)--help[{_zsh_desc(HELP_OPTION.help)}]")]
    for opt in sorted(GLOBAL_OPTIONS, key=lambda o: o.long):
        global_specs += _zsh_specs(opt)
    global_lines = "\n".join(f"    {spec}" for spec in global_specs)
    return f"""#compdef vmss
{_header("#")}#
# Install: copy this file as _vmss into a directory on $fpath before compinit runs, e.g.
#   mkdir -p ~/.zfunc && cp completions/vmss.zsh ~/.zfunc/_vmss
#   and in ~/.zshrc: fpath=(~/.zfunc $fpath); autoload -Uz compinit; compinit
# or source it from ~/.zshrc after compinit.
compdef _vmss vmss

# global arguments and --help: every command (cli/context.py takes them off the line anywhere)
typeset -ga _vmss_globals
_vmss_globals=(
{global_lines}
)

{functions}
# run the completion only when autoloaded as _vmss, not when this file is sourced
if [ "$funcstack[1]" = "_vmss" ]; then
    _vmss "$@"
fi
"""


# --- fish ---------------------------------------------------------------------------------------------

def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_option(opt: Option, condition: str) -> list[str]:
    lines = []
    longs = sorted(n[2:] for n in opt.names if n.startswith("--"))
    shorts = sorted(n[1:] for n in opt.names if not n.startswith("--"))
    for i, long in enumerate(longs):
        parts = ["complete -c vmss"]
        if condition:
            parts.append(f"-n {_fish_quote(condition)}")
        if i == 0:
            parts += [f"-s {s}" for s in shorts]
        parts.append(f"-l {long}")
        if opt.takes_value:
            if opt.values:
                parts.append(f"-x -a {_fish_quote(' '.join(_sorted_values(opt.values)))}")
            else:
                parts.append("-r -F" if opt.files else "-x")
        parts.append(f"-d {_fish_quote(_clean(opt.help))}")
        lines.append(" ".join(parts))
    return lines


def fish(root: Command) -> str:
    nodes = " ".join(_fish_quote(cmd.key) for cmd in root.walk() if cmd.path)
    valued = []
    lines = []
    for cmd in root.walk():
        condition = f'__vmss_at "{cmd.key}"'
        flags = [n for o in cmd.options if o.takes_value for n in o.names]
        if flags:
            valued.append(f"        case {_fish_quote(cmd.key)}\n            printf '%s\\n' {' '.join(sorted(flags))}")
        lines.append(f"\n# {cmd.full_name}")
        for sub, child in cmd.children.items():
            lines.append(f"complete -c vmss -n {_fish_quote(condition)} -a {sub} -d {_fish_quote(child.summary)}")
        for opt in sorted(cmd.options, key=lambda o: o.long):
            lines += _fish_option(opt, condition)
        for arg in cmd.arguments:
            if arg.values:
                lines.append(f"complete -c vmss -n {_fish_quote(condition)} "
                             f"-a {_fish_quote(' '.join(_sorted_values(arg.values)))}")
    global_lines = [line for opt in sorted(GLOBAL_OPTIONS, key=lambda o: o.long) for line in _fish_option(opt, "")]
    global_lines += _fish_option(HELP_OPTION, "")
    global_valued = " ".join(sorted(n for o in GLOBAL_OPTIONS if o.takes_value for n in o.names))
    nl = "\n"
    return f"""{_header("#")}#
# Install: copy this file to ~/.config/fish/completions/vmss.fish

set -g __vmss_nodes {nodes}

function __vmss_valued --description 'The flags of a vmss command that take a value'
    switch $argv[1]
{nl.join(valued)}
    end
end

function __vmss_path --description 'The vmss command path before the cursor, e.g. "rolling-upgrade start"'
    set -l line (commandline -pc)
    if test "$line" = "$__vmss_cache_line"
        echo $__vmss_cache_path
        return
    end
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path
    set -l skip 0
    for token in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        if string match -q -- '-*' $token
            if contains -- $token {global_valued} (__vmss_valued "$path")
                set skip 1
            end
            continue
        end
        set -l next (string trim -- "$path $token")
        if contains -- $next $__vmss_nodes
            set path $next
        end
    end
    set -g __vmss_cache_line $line
    set -g __vmss_cache_path "$path"
    echo "$path"
end

function __vmss_at --description 'True when the cursor is right under this vmss command path'
    set -l path (__vmss_path)
    test "$path" = "$argv[1]"
end

complete -c vmss -f

# global arguments: every command
{nl.join(global_lines)}
{nl.join(lines)}
"""


# --- PowerShell ---------------------------------------------------------------------------------------

def _ps_list(items) -> str:
    return "@(" + ", ".join("'" + i.replace("'", "''") + "'" for i in items) + ")"


def powershell(root: Command) -> str:
    nodes, values = [], []
    for cmd in root.walk():
        flags = sorted(n for o in (*cmd.options, HELP_OPTION) for n in o.names)
        valued = sorted(n for o in cmd.options if o.takes_value for n in o.names)
        nodes.append(f"        '{cmd.key}' = @{{ Subs = {_ps_list(cmd.children)}; Flags = {_ps_list(flags)}; "
                     f"Valued = {_ps_list(valued)} }}")
        for opt in cmd.options:
            for name in sorted(opt.names) if opt.values else ():
                values.append(f"        '{cmd.key}|{name}' = {_ps_list(_sorted_values(opt.values))}")
        for arg in cmd.arguments:
            if arg.values:
                values.append(f"        '{cmd.key}|' = {_ps_list(_sorted_values(arg.values))}")
    for opt in GLOBAL_OPTIONS:
        for name in sorted(opt.names) if opt.values else ():
            values.append(f"        '*|{name}' = {_ps_list(_sorted_values(opt.values))}")
    global_flags = _ps_list(sorted(n for o in GLOBAL_OPTIONS for n in o.names))
    global_valued = _ps_list(sorted(n for o in GLOBAL_OPTIONS if o.takes_value for n in o.names))
    nl = "\n"
    return f"""{_header("#")}#
# Install: add this line to your PowerShell profile ($PROFILE):
#   . /path/to/completions/vmss.ps1

Register-ArgumentCompleter -Native -CommandName 'vmss' -ScriptBlock {{
    param($wordToComplete, $commandAst, $cursorPosition)
    $globalFlags = {global_flags}
    $globalValued = {global_valued}
    $nodes = @{{
{nl.join(nodes)}
    }}
    $values = @{{
{nl.join(values)}
    }}
    # the words before the one under the cursor
    $words = @($commandAst.CommandElements | Where-Object {{ $_.Extent.EndOffset -lt $cursorPosition }} |
        ForEach-Object {{ $_.Extent.Text }})
    $path = ''
    $skip = $false
    for ($i = 1; $i -lt $words.Count; $i++) {{
        $word = $words[$i]
        if ($skip) {{ $skip = $false; continue }}
        if ($word.StartsWith('-')) {{
            if (($globalValued -ccontains $word) -or ($nodes[$path].Valued -ccontains $word)) {{ $skip = $true }}
            continue
        }}
        $next = if ($path) {{ "$path $word" }} else {{ $word }}
        if ($nodes.ContainsKey($next)) {{ $path = $next }}
    }}
    $node = $nodes[$path]
    if ($skip) {{
        $flag = $words[-1]
        $candidates = $values["$path|$flag"]
        if (-not $candidates) {{ $candidates = $values["*|$flag"] }}
    }} elseif ($wordToComplete.StartsWith('-')) {{
        $candidates = $node.Flags + $globalFlags
    }} elseif ($node.Subs.Count -gt 0) {{
        $candidates = $node.Subs
    }} else {{
        $candidates = $values["$path|"]
    }}
    @($candidates) | Where-Object {{ $_ -and $_.StartsWith($wordToComplete, [System.StringComparison]::Ordinal) }} |
        Sort-Object -Unique | ForEach-Object {{
            [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
        }}
}}
"""


# --- man pages ----------------------------------------------------------------------------------------

_ROFF = {"\\": "\\(rs", "-": "\\-", "'": "\\(aq", "`": "\\(ga", "~": "\\(ti", "^": "\\(ha"}


def roff(text: str) -> str:
    """Text for a roff input line: escapes, non-ASCII as \\[uXXXX], no line starting with a control
    character ("." or "'", which roff would take for a request)."""
    out = "".join(_ROFF.get(ch, ch) if ord(ch) < 128 else f"\\[u{ord(ch):04X}]" for ch in text)
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line for line in out.split("\n"))


def _bold(text: str) -> str:
    return f"\\fB{roff(text)}\\fR"


def _italic(text: str) -> str:
    return f"\\fI{roff(text)}\\fR"


def _paragraphs(help_text: str) -> list[str]:
    """A docstring as roff: prose filled, `Example:` paragraphs as unfilled command lines (a wrapped
    command's continuation lines joined back onto it)."""
    out = []
    for para in help_text.split("\n\n"):
        lines = [line.strip() for line in para.strip().splitlines() if line.strip()]
        if not lines:
            continue
        commands = example_commands(para)
        if commands is not None:
            label = re.match(r"(Examples?):", lines[0]).group(1)
            out.append(f".PP\n{label}:\n.RS 4\n.nf\n" + "\n".join(roff(c) for c in commands) + "\n.fi\n.RE")
        else:
            out.append(".PP\n" + roff("\n".join(lines)))
    return out


def _option_item(opt: Option) -> str:
    names = sorted(opt.names, key=lambda n: (not n.startswith("--"), opt.names.index(n)))
    tag = ", ".join(_bold(n) for n in names)
    if opt.takes_value:
        tag += " " + (roff(opt.metavar) if opt.metavar[0] in "[{" else _italic(opt.metavar))
        if opt.multiple:
            tag += " ..."
    text = opt.help
    if opt.values and not all(v in text for v in opt.values):
        text += f" Allowed values: {', '.join(_sorted_values(opt.values))}."
    if opt.default is not None and "Default" not in text:
        text += f" Default: {opt.default}."
    return f".TP\n{tag}\n{roff(text.strip())}" if text.strip() else f".TP\n{tag}"


def _synopsis(cmd: Command) -> str:
    parts = [f".B {roff(cmd.full_name)}"]
    parts += [f"{_italic(arg.name.upper())}{' ...' if arg.many else ''}" for arg in cmd.arguments]
    if cmd.options:
        parts.append(".RI [ options ]")
    return ".PP\n" + "\n".join(parts)


def _command_section(cmd: Command) -> str:
    out = [f'.SS "{roff(cmd.full_name)}"', _synopsis(cmd), *_paragraphs(cmd.help)]
    if cmd.arguments:
        out.append(".PP\nArguments:")
        out += [f".TP\n{_italic(a.name.upper())}{' ...' if a.many else ''}\n{roff(a.help)}" for a in cmd.arguments]
    if cmd.options:
        out.append(".PP\nOptions:")
        out += [_option_item(o) for o in cmd.options]
    return "\n".join(out)


def _tidy(page: str) -> str:
    """No paragraph break right under a heading (mandoc -Tlint: "skipping paragraph macro")."""
    return re.sub(r"^(\.S[HS] .*)\n\.PP\n", r"\1\n", page, flags=re.M)


def _th(title: str, version: str) -> str:
    # no hyphenation, ragged right: flags, paths and ids must not be split or stretched
    return f'.TH {roff(title.upper())} 1 "" "vmss {roff(version)}" "vmss manual"\n.nh\n.ad l'


def _global_arguments(extra: tuple[Option, ...] = ()) -> str:
    return "\n".join([".SH GLOBAL ARGUMENTS", roff("Accepted anywhere on the line, by every command, as in az."),
                      *(_option_item(o) for o in (*GLOBAL_OPTIONS, HELP_OPTION, *extra))])


ENVIRONMENT = (
    ("VMSS_HOME", "The state directory. Default: the platform's user data directory (~/.local/share/vmss on "
                  "Linux)."),
    ("VMSS_START_TIME", "The world clock's start (ISO 8601, e.g. 2026-01-01T00:00:00Z), read when the store is "
                        "first written. Default: start_time under [sim] in config.toml, else the wall clock."),
    ("VMSS_SEED", "The seed of every random outcome (an integer), read when the store is first written. "
                  "Default: seed under [sim] in config.toml, else 0."),
    ("VMSS_LOCK_TIMEOUT", "Seconds a command waits for another writer to finish before it fails. Default: 60."),
    ("NO_COLOR", "Turns colour off (jsonc, yamlc, progress). Colour is only used on a terminal anyway."),
)
EXIT_STATUS = (
    ("0", "Success."),
    ("1", "An error: validation (InvalidParameter), a conflict, a failed operation, a store file that cannot "
          "be read."),
    ("2", "A usage error: a missing required argument, an unknown argument or command, a bad value, an invalid "
          "--query."),
    ("3", "Not found (ResourceNotFound, ResourceGroupNotFound): what HTTP 404 gives in az."),
    ("130", "Interrupted (Ctrl-C); the store is left consistent."),
)
FILES = (
    ("$VMSS_HOME/config.toml", "Defaults and simulation settings, written by vmss config."),
    ("$VMSS_HOME/world.json", "The world: simulated clock, seed, event queue."),
    ("$VMSS_HOME/images.json", "Image versions published with vmss sim image publish."),
    ("$VMSS_HOME/resourceGroups/<rg>/group.json", "A resource group."),
    ("$VMSS_HOME/resourceGroups/<rg>/virtualMachineScaleSets/<name>.json",
     "A scale set: the ARM resource, its instances and its rollouts."),
    ("$VMSS_HOME/resourceGroups/<rg>/galleries/<gallery>.json",
     "A shared image gallery with its image definitions and versions."),
    ("$VMSS_HOME/resourceGroups/<rg>/deployments/<name>.json", "A template deployment."),
    ("$VMSS_HOME/.lock", "The writers' lock."),
    ("$VMSS_HOME/.journal.json", "Present only while a multi-file commit is being written."),
)
# (what it does, the command): tests/docs/test_man.py runs them in order against an empty store
EXAMPLES = (
    ("A 10-instance Uniform scale set with rolling upgrades and automatic OS image upgrades:",
     "vmss group create -n rg1 -l eastus"),
    (None, "vmss create -g rg1 -n web --image Canonical:UbuntuServer:18.04-LTS:latest --instance-count 10 "
           "--orchestration-mode Uniform --upgrade-policy-mode Rolling --enable-auto-os-upgrade true"),
    (None, "vmss show -g rg1 -n web -o table"),
    ("The publisher releases a version on which 30 % of instances never turn healthy:",
     "vmss sim image publish -l eastus -p Canonical -f UbuntuServer -s 18.04-LTS --version 18.04.202407010 "
     "--fail-percent 30"),
    ("Preview the rollout (batches, timeline, the stop rule that trips) without changing anything, then again "
     "as if the first 3 instances never turned healthy:",
     "vmss rolling-upgrade plan -g rg1 -n web -o table"),
    (None, "vmss rolling-upgrade plan -g rg1 -n web --assume-unhealthy 3 -o table"),
    ("Let the platform pick the version up and roll it out, then read the outcome the way a CI script does:",
     "vmss sim clock advance 4h"),
    (None, "vmss get-os-upgrade-history -g rg1 -n web --query \"[0].properties.runningStatus.code\" -o tsv"),
    ("Tune the rolling upgrade policy:",
     "vmss update -g rg1 -n web --max-batch-instance-percent 50 --pause-time-between-batches PT10S"),
)


def _definition_list(items) -> list[str]:
    return [f".TP\n{_bold(term)}\n{roff(text)}" for term, text in items]


def man_overview(root: Command, version: str) -> str:
    groups = {n: c for n, c in root.children.items() if c.children}
    commands = [c for c in root.children.values() if not c.children]
    see_also = ",\n".join(f".BR vmss\\-{roff(n)} (1)" for n in groups)
    examples = []
    for text, command in EXAMPLES:
        if text:
            examples.append(f".PP\n{roff(text)}")
        examples.append(f".RS 4\n.nf\n{roff(command)}\n.fi\n.RE")
    return _tidy("\n".join([
        _header('.\\"').rstrip(),
        _th("vmss", version),
        ".SH NAME",
        "vmss \\- " + roff(root.summary.removeprefix("vmss: ").rstrip(".")),
        ".SH SYNOPSIS",
        ".B vmss\n.I group\n.I command\n.RI [ options ]\n.br\n.B vmss\n.I command\n.RI [ options ]\n.br\n"
        ".B vmss \\-\\-version",
        ".SH DESCRIPTION",
        roff("vmss is an offline emulator of Azure VM scale set automatic OS image upgrades, driven by an az "
             "vmss compatible command line: the same commands, flags, JSON/TSV/table output, error text and exit "
             "codes. It keeps its state in a local directory ($VMSS_HOME), runs on a simulated clock and uses a "
             "seeded random generator, so the same commands always give the same output, in milliseconds, "
             "with no Azure account."),
        ".PP",
        roff("List options take several values after one flag, as in az (--zones 1 2 3). Progress and logs go "
             "to stderr; stdout carries only the result."),
        ".SH COMMAND GROUPS",
        *(f".TP\n{_bold(n)}\n{roff(c.summary)} See\n.BR vmss\\-{roff(n)} (1)." for n, c in groups.items()),
        ".SH COMMANDS",
        *(_command_section(c) for c in commands),
        _global_arguments(tuple(replace(o, help=f"{o.help} Only as vmss {o.long}.") for o in root.options)),
        ".SH EXIT STATUS",
        *_definition_list(EXIT_STATUS),
        ".PP\n" + roff("Errors are printed on stderr in az's words: ERROR: (Code) Message, then Code: and Message: lines."),
        ".SH ENVIRONMENT",
        *_definition_list(ENVIRONMENT),
        ".SH FILES",
        *_definition_list(FILES),
        ".PP\n" + roff("Files are 0600 and directories 0700. Every write goes to a temporary file that is then "
                       "renamed over the old one, so a crash leaves the old file or the new one."),
        ".SH EXAMPLES",
        *examples,
        ".SH SEE ALSO",
        see_also + ",",
        ".BR az (1)",
    ]) + "\n")


def man_group(group: Command, version: str) -> str:
    name = f"vmss-{group.path[0]}"
    nested = [c for c in group.walk() if c.children and c is not group]
    leaves = [c for c in group.walk() if not c.children]
    out = [
        _header('.\\"').rstrip(),
        _th(name, version),
        ".SH NAME",
        f"{roff(name)} \\- {roff(group.summary.rstrip('.'))}",
        ".SH SYNOPSIS",
        f".B {roff(group.full_name)}\n" + (".RI [ group ]\n" if nested else "") + ".I command\n.RI [ options ]",
        ".SH DESCRIPTION",
        *_paragraphs(group.help),
    ]
    if nested:
        out.append(".PP\nCommand groups:")
        out += [f".TP\n{_bold(c.full_name)}\n{roff(c.summary)}" for c in nested]
    out.append(".SH COMMANDS")
    out += [_command_section(c) for c in leaves]
    out += [_global_arguments(), ".SH SEE ALSO", ".BR vmss (1)"]
    return _tidy("\n".join(out) + "\n")


# --- driver -------------------------------------------------------------------------------------------

def render_all() -> dict[str, str]:
    """Relative path -> content, for every generated file."""
    from vmss_cli import __version__

    root = load_tree()
    files = {
        "completions/vmss.bash": bash(root),
        "completions/vmss.zsh": zsh(root),
        "completions/vmss.fish": fish(root),
        "completions/vmss.ps1": powershell(root),
        "man/vmss.1": man_overview(root, __version__),
        FAST_TABLE: fast_table(),
    }
    for name, group in root.children.items():
        if group.children:
            files[f"man/vmss-{name}.1"] = man_group(group, __version__)
    return files


def existing(base: Path) -> set[str]:
    """The generated-looking files under base (what --check compares): completions/vmss.* and man/*.1."""
    return {str(p.relative_to(base)) for pattern in ("completions/vmss.*", "man/*.1") for p in base.glob(pattern)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report stale files and exit 1; write nothing")
    parser.add_argument("--out", type=Path, default=REPO, help="write DIR/completions and DIR/man (default: repo)")
    args = parser.parse_args(argv)
    files = render_all()
    if args.check:
        stale = sorted(p for p, text in files.items()
                       if not (args.out / p).is_file() or (args.out / p).read_text(encoding="utf-8") != text)
        extra = sorted(existing(args.out) - set(files))
        for path in stale:
            print(f"stale: {path}")
        for path in extra:
            print(f"not generated any more: {path}")
        if stale or extra:
            print(f"Run `{REGENERATE}` and commit the result.", file=sys.stderr)
            return 1
        return 0
    for path in sorted(existing(args.out) - set(files)):  # a command group that went away
        (args.out / path).unlink()
    for path, text in files.items():
        target = args.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {len(files)} files under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
