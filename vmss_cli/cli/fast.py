"""The fast path of the hot commands: a well-formed command line runs without typer.

`vmss --help` is printed from the same table: typer's own output, generated with it.
`show`, `list-instances`, `get-os-upgrade-history`, `rolling-upgrade get-latest` and `image list` are
what scripts call hundreds of times, and so is `update` (--set/--add/--remove, cli/writes.py);
importing typer costs more than the whole command. Their options
are read from cli/fast_table.py, which scripts/gen_docs.py generates from their typer declarations (a
test fails while it is stale), and the function their declaration calls (cli/reads.py) is called with
the same arguments typer would pass. Anything this parser is not sure of (an unknown or repeated
option, a positional word, a value that looks like a flag, --help, an enum value) returns False, and
the typer path handles the line: usage errors, help and completions have one owner.
"""

from __future__ import annotations


def run(args: list[str], operations: list | tuple = ()) -> bool:
    """Run `args` (global arguments already taken off) if it is a well-formed hot command; True if it ran.
    `operations` are `vmss update`'s --set/--add/--remove, which main() took off the line."""
    from vmss_cli.cli.fast_table import COMMANDS

    if args in ([], ["--help"]):
        return root_help()
    entry, rest = COMMANDS.get(args[0]), args[1:]
    if entry is None and len(args) > 1:
        entry, rest = COMMANDS.get(f"{args[0]} {args[1]}"), args[2:]
    if entry is None:
        return False
    function, options, defaults = entry
    kwargs = parse(rest, options, defaults)
    if kwargs is None:
        return False
    if function.startswith("writes."):  # `vmss update`: cli/writes.py, with the line's operations
        from vmss_cli.cli import writes

        getattr(writes, function[len("writes."):])(**kwargs, operations=operations)
        return True
    from vmss_cli.cli import reads

    getattr(reads, function)(**kwargs)
    return True


def root_help() -> bool:
    """`vmss --help` from the table (generated from typer's own output) when click would wrap it at the
    same width: 80 columns or more, found as click finds them (shutil.get_terminal_size)."""
    import os
    import sys

    try:
        columns = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
        except (AttributeError, ValueError, OSError):
            columns = 80
    if columns < 80:
        return False
    from vmss_cli.cli.fast_table import ROOT_HELP

    sys.stdout.write(ROOT_HELP)
    return True


def parse(rest: list[str], options: dict, defaults: dict) -> dict | None:
    """The keyword arguments typer would pass for `rest`, or None when typer must read the line."""
    kwargs = dict(defaults)
    seen = set()
    i = 0
    while i < len(rest):
        name, eq, value = rest[i].partition("=") if rest[i].startswith("--") else (rest[i], "", "")
        spec = options.get(name)
        if spec is None or spec[0] in seen:
            return None
        param, kind = spec
        seen.add(param)
        i += 1
        if kind == "flag":
            if eq:
                return None
            kwargs[param] = True
            continue
        if kind == "other":
            return None
        if not eq:
            if i == len(rest) or rest[i].startswith("-"):
                return None
            value = rest[i]
            i += 1
        if kind == "list":  # az's lists: further values follow the flag (`--ids a b`)
            values = [value]
            while i < len(rest) and not rest[i].startswith("-"):
                values.append(rest[i])
                i += 1
            kwargs[param] = values
        elif kind == "int":
            try:
                kwargs[param] = int(value)
            except ValueError:
                return None
        else:
            kwargs[param] = value
    return kwargs
