"""az's error text on stderr."""

from __future__ import annotations


def error_text(exc) -> str:
    """Service errors: three lines (`ERROR: (Code) Message`, `Code:`, `Message:`); client errors: one.
    SAS signatures a message echoes (a path or value the user typed) are redacted."""
    from vmss_cli.render import redact

    return redact.text(_error_text(exc))


def _error_text(exc) -> str:
    if exc.code:
        text = f"ERROR: ({exc.code}) {exc.message}\nCode: {exc.code}\nMessage: {exc.message}\n"
        if exc.target:
            text += f"Target: {exc.target}\n"
        for detail in exc.details:
            text += f"Exception Details:\t({detail.get('code')}) {detail.get('message')}\n" \
                    f"\tCode: {detail.get('code')}\n\tTarget: {detail.get('target')}\n" \
                    f"\tMessage: {detail.get('message')}\n"
        return text
    return f"ERROR: {exc.message}\n"


# How argparse names -n in az 2.91's messages: each command declares its own aliases, in its own order.
NAME_LABELS = {"show": "--name/-n", "update-instances": "--name/-n", "create": "--name/-n", "scale": "--name/-n",
               "update": "--name/-n", "get-instance-view": "--name/-n",
               "list-instances": "-n/--name/--virtual-machine-scale-set-name",
               **dict.fromkeys(("start", "cancel", "get-latest"),  # rolling-upgrade's AAZ commands
                               "-n/--name/--vm-scale-set-name/--virtual-machine-scale-set-name")}
DEFAULT_NAME_LABEL = "-n/--name/--vm-scale-set-name"


AZ_REFERENCE = "https://aka.ms/cli_ref\nRead more about the command in reference docs\n"


def usage_error_text(exc, node, prog: str, args: list[str] | None = None, missing: list[str] | None = None) -> str:
    """click's parse errors in argparse's words, as az prints them (exit 2), with az's trailer.
    `node` is the click command the line names (None when unknown), `prog` its path (`vmss show`),
    `args` the command line, `missing` az's labels of the required options it lacks (cli.common.
    missing_required): argparse reports those before unrecognized arguments."""
    from vmss_cli.render import redact

    message = _usage_message(exc, node, prog)
    if message.startswith("unrecognized arguments") and args is not None:
        if missing:
            message = "the following arguments are required: " + ", ".join(missing)
        elif exc.__class__.__name__ == "NoSuchOption" and exc.option_name in args:
            # argparse lists the words it could not place: the unknown option and the values after it
            at = args.index(exc.option_name) + 1
            end = next((i for i in range(at, len(args)) if args[i].startswith("-")), len(args))
            message = "unrecognized arguments: " + " ".join(args[at - 1:end])
    return redact.text(f"ERROR: {message}\n" + usage_trailer(node, not message.startswith("unrecognized")))


def usage_trailer(node, examples: bool = True) -> str:
    """What az prints after a usage error: a blank line, the command's examples (not after
    `unrecognized arguments`), and the reference-docs link."""
    lines = command_examples(node) if examples else []
    block = "Examples from command's help:\n" + "".join(f"{line}\n\n" for line in lines) if lines else ""
    return "\n" + block + AZ_REFERENCE


def command_examples(node) -> list[str]:
    """The `vmss …` example lines of a command's help text (az prints its examples' commands)."""
    text = getattr(node, "help", None) or ""
    lines = []
    in_examples = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(("Example:", "Examples:")):
            in_examples = True
            line = line.split(":", 1)[1].strip()
        if in_examples and line.startswith("vmss "):
            lines.append(line)
    return lines


def _usage_message(exc, node, prog: str) -> str:
    from typer._click import exceptions as click  # typer 0.28 vendors click

    params = {opt: p for p in getattr(node, "params", ()) for opt in getattr(p, "opts", ())}
    if isinstance(exc, click.NoSuchOption):
        return f"unrecognized arguments: {exc.option_name}"
    if isinstance(exc, click.BadOptionUsage) and "requires an argument" in exc.message:
        param = params.get(exc.option_name)
        label = _label(param, node) if param is not None else exc.option_name
        return f"argument {label}: expected one argument"
    if isinstance(exc, click.MissingParameter):
        param = exc.param
        label = _label(param, node) if param is not None else "argument"
        return f"the following arguments are required: {label}"
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        flag = max(exc.param.opts, key=len)
        choices = getattr(exc.param.type, "choices", None)
        bad = exc.message.split("'")[1] if "'" in exc.message else exc.message
        if choices:
            return f"{prog}: '{bad}' is not a valid value for '{flag}'. Allowed values: {', '.join(map(str, choices))}."
        from typer._click import types

        for kind, name in ((types.IntParamType, "int"), (types.FloatParamType, "float")):
            if isinstance(exc.param.type, kind):
                return f"argument {_label(exc.param, node)}: invalid {name} value: '{bad}'"
        return f"argument {flag}: {exc.message}"
    if isinstance(exc, click.UsageError) and exc.message.startswith("Got unexpected extra argument"):
        return "unrecognized arguments: " + exc.message.split(") (", 1)[1][:-1]
    if isinstance(exc, click.UsageError) and "No such command" in exc.message:
        name = exc.message.split("'")[1] if "'" in exc.message else exc.message
        return f"'{name}' is misspelled or not recognized by the system."
    return exc.format_message()


def _label(param, node) -> str:

    opts = list(param.opts)
    if "-g" in opts and "-n" in opts:  # az's group commands: one option, -n and -g its aliases
        return "--name/--resource-group/-n/-g" if getattr(node, "name", "") == "create" else "--name/-n/--resource-group/-g"
    if "-n" in opts and "--name" in opts:
        return NAME_LABELS.get(getattr(node, "name", "") or "", DEFAULT_NAME_LABEL)
    return "/".join(opts)
