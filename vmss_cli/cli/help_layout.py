"""How `--help` reads at any width: examples one per line and never re-wrapped (copy-paste ready, as
az prints them), no line broken inside a flag (`--assume-` / `unhealthy`), -g/-n marked [Required]
where az marks them, and no hidden argument in the usage line. Applied to the click command tree just
before it runs; the docstrings stay plain (scripts/gen_docs.py reads them for the man pages)."""

from __future__ import annotations

import re

_EXAMPLES = re.compile(r"(Examples?):\s*(.*)", re.S)


def prepare(command) -> None:
    _no_hyphen_breaks()
    _walk(command)


def _walk(command) -> None:
    if command.help:
        command.help = examples_unwrapped(command.help)
    params = getattr(command, "params", [])
    opts = {opt for p in params for opt in getattr(p, "opts", ())}
    required = "-g" in opts and "-n" in opts and "--ids" not in opts  # az: [Required] unless --ids can name it
    for param in params:
        if param.param_type_name == "argument" and getattr(param, "hidden", False):
            param.get_usage_pieces = lambda ctx: []  # the extra values of a list option (`--ids a b`)
        elif required and ("-g" in param.opts or "-n" in param.opts) and "[Required]" not in (param.help or ""):
            param.help = f"{param.help} [Required]"
    for sub in getattr(command, "commands", {}).values():
        _walk(sub)


def examples_unwrapped(text: str) -> str:
    """Each `Example:`/`Examples:` paragraph as a click `\\b` block: one command per line, indented."""
    out = []
    for para in text.split("\n\n"):
        commands = example_commands(para)
        if commands is None:
            out.append(para)
            continue
        label = "Examples" if len(commands) > 1 else "Example"
        out.append("\b\n" + f"{label}:\n" + "\n".join(f"  {c}" for c in commands))
    return "\n\n".join(out)


def example_commands(para: str) -> list[str] | None:
    """The commands of an `Example:`/`Examples:` paragraph of a docstring (None for other paragraphs),
    continuation lines of a command written over several lines joined back onto it. The man pages
    (scripts/gen_docs.py) read examples through here too."""
    lines = [line.strip() for line in para.strip().splitlines() if line.strip()]
    head = _EXAMPLES.match(lines[0]) if lines else None
    if not head:
        return None
    commands: list[str] = []
    for line in ([head.group(2)] if head.group(2) else []) + lines[1:]:
        if commands and not line.startswith("vmss "):
            commands[-1] += " " + line
        else:
            commands.append(line)
    return commands


def _no_hyphen_breaks() -> None:
    """click wraps with textwrap's defaults, which break after a hyphen and inside long words: a flag
    (`--max-unhealthy-instance-percent`) could be split over two lines."""
    from typer._click import _textwrap

    base = _textwrap.TextWrapper
    if getattr(base, "vmss_layout", False):
        return

    class TextWrapper(base):  # type: ignore[valid-type,misc]  # click's class, looked up at run time
        vmss_layout = True

        def __init__(self, *args, **kwargs) -> None:
            kwargs.setdefault("break_on_hyphens", False)
            kwargs.setdefault("break_long_words", False)
            super().__init__(*args, **kwargs)

    _textwrap.TextWrapper = TextWrapper  # type: ignore[misc]  # (the subclass above)
