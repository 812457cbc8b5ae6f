"""Azure's naming rules, checked before a name can become part of a path in the store."""

from __future__ import annotations

import re

from vmss_cli.errors import InvalidParameterError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable

# ASCII only on purpose: Azure accepts some unicode letters in group names, but a name that
# becomes a file name must not carry look-alikes of '/', '.', or '..'.
_RESOURCE_GROUP = re.compile(r"[A-Za-z0-9_.()\-]{1,90}")
_SCALE_SET = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
# Gallery names are checked only by gallery commands: their patterns are compiled when first used (re's cache).
_GALLERY = r"[A-Za-z0-9](?:[A-Za-z0-9_.]{0,78}[A-Za-z0-9])?"
_GALLERY_IMAGE = r"[A-Za-z0-9](?:[A-Za-z0-9_.\-]{0,78}[A-Za-z0-9])?"
_GALLERY_IMAGE_VERSION = r"\d+\.\d+\.\d+"
_INT32_MAX = 2**31 - 1


def _checked(name: str, pattern: re.Pattern[str] | str, what: str, rule: str, target: str,
             also_invalid: Callable[[str], bool] | None = None) -> str:
    """`name` when all of it matches `pattern` (and `also_invalid` does not hold), else Azure's
    `<what> '<name>' is invalid. <rule>` (HTTP 400, InvalidParameter). A compiled pattern is called
    directly (a scale set's two names are checked on every load): a text one goes through re's cache."""
    if not isinstance(name, str) or not (re.fullmatch(pattern, name) if isinstance(pattern, str)
                                         else pattern.fullmatch(name)) or (also_invalid and also_invalid(name)):
        raise InvalidParameterError(f"{what} '{_printable(name)}' is invalid. {rule}", target=target)
    return name


def _ends_with_dot(name: str) -> bool:
    return name.endswith(".")


def validate_resource_group(name: str) -> str:
    return _checked(name, _RESOURCE_GROUP, "Resource group name", "It must be 1-90 characters of letters, digits, "
                    "'-', '_', '.', '(' or ')' and must not end with '.'.", "resourceGroupName", _ends_with_dot)


def validate_scale_set_name(name: str) -> str:
    return _checked(name, _SCALE_SET, "Virtual machine scale set name", "It must be 1-64 characters of letters, "
                    "digits, '-', '_' or '.', and start with a letter or digit.", "vmScaleSetName")


def validate_gallery_name(name: str) -> str:
    return _checked(name, _GALLERY, "The gallery name", "It must be 1-80 characters of letters, digits, '_' or '.', "
                    "and start and end with a letter or digit.", "galleryName")


def validate_gallery_image_name(name: str) -> str:
    return _checked(name, _GALLERY_IMAGE, "The gallery image definition name", "It must be 1-80 characters of "
                    "letters, digits, '-', '_' or '.', and start and end with a letter or digit.", "galleryImageName")


def validate_gallery_image_version_name(name: str) -> str:
    return _checked(name, _GALLERY_IMAGE_VERSION, "The gallery image version name", "It must follow the semantic "
                    "version pattern Major.Minor.Patch, three whole numbers within the range of a 32-bit integer "
                    "(for example 1.0.1).", "galleryImageVersionName",
                    lambda name: any(len(p) > 10 or int(p) > _INT32_MAX for p in name.split(".")))


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
