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


def usage_error_text(exc, argv: list[str]) -> str:
    """click's parse errors in argparse's words, as az prints them (exit 2)."""
    from vmss_cli.render import redact

    return redact.text(_usage_error_text(exc, argv))


def _usage_error_text(exc, argv: list[str]) -> str:
    from typer._click import exceptions as click  # typer 0.28 vendors click

    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "vmss"
    if isinstance(exc, click.NoSuchOption):
        message = f"unrecognized arguments: {exc.option_name}"
    elif isinstance(exc, click.MissingParameter):
        param = exc.param
        label = "/".join(sorted(param.opts, key=len, reverse=True)) if param is not None else "argument"
        message = f"the following arguments are required: {label}"
    elif isinstance(exc, click.BadParameter) and exc.param is not None:
        flag = max(exc.param.opts, key=len)
        message = f"argument {flag}: {exc.message}"
        choices = getattr(exc.param.type, "choices", None)
        if choices:
            bad = exc.message.split("'")[1] if "'" in exc.message else exc.message
            message = (f"{command}: '{bad}' is not a valid value for '{flag}'. "
                       f"Allowed values: {', '.join(map(str, choices))}.")
    elif isinstance(exc, click.UsageError) and "No such command" in exc.message:
        name = exc.message.split("'")[1] if "'" in exc.message else exc.message
        message = f"'{name}' is misspelled or not recognized by the system."
    else:
        message = exc.format_message()
    return f"ERROR: {message}\n\nRun '{command} --help' for usage.\n"
