"""Azure's naming rules, checked before a name can become part of a path in the store."""

from __future__ import annotations

import re

from vmss_cli.errors import InvalidParameterError

# ASCII only on purpose: Azure accepts some unicode letters in group names, but a name that
# becomes a file name must not carry look-alikes of '/', '.', or '..'.
_RESOURCE_GROUP = re.compile(r"[A-Za-z0-9_.()\-]{1,90}")
_SCALE_SET = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")


def validate_resource_group(name: str) -> str:
    if not isinstance(name, str) or not _RESOURCE_GROUP.fullmatch(name) or name.endswith("."):
        raise InvalidParameterError(
            f"Resource group name '{_printable(name)}' is invalid. It must be 1-90 characters of letters, "
            "digits, '-', '_', '.', '(' or ')' and must not end with '.'.",
            target="resourceGroupName")
    return name


def validate_scale_set_name(name: str) -> str:
    if not isinstance(name, str) or not _SCALE_SET.fullmatch(name):
        raise InvalidParameterError(
            f"Virtual machine scale set name '{_printable(name)}' is invalid. It must be 1-64 characters of "
            "letters, digits, '-', '_' or '.', and start with a letter or digit.",
            target="vmScaleSetName")
    return name


def validate_file_name(name: str) -> str:
    """A name that is safe as one file name (galleries, deployments): Azure's own rules for those are
    checked where they are created; a file read back only has to name itself safely."""
    if not isinstance(name, str) or not _RESOURCE_GROUP.fullmatch(name) or name.endswith(".") or name == "..":
        raise InvalidParameterError(f"The name '{_printable(name)}' is not a valid resource name.", target="name")
    return name


def _printable(name: object) -> str:
    """Never echo control characters (NUL, escapes) back to a terminal."""
    text = str(name)
    return "".join(ch if ch.isprintable() else "\\x%02x" % ord(ch) if ord(ch) < 256 else "?" for ch in text)[:100]
