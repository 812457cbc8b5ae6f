"""Secrets that must never be printed, whatever the output path.

adminPassword and extension protectedSettings never reach a view: core keeps them apart from the
resource (`secrets` in the scale set file). A SAS signature is different: it travels inside plain
values a user sets (a script URL in an extension's `settings`, a blob URI), which az prints as given.
The project rule is stricter than az: the signature of a SAS URL is never printed. Every output path
(results in every format, errors, warnings, progress, --debug tracebacks) passes through here, and
`sig=<value>` becomes `sig=REDACTED`; the rest of the URL stays readable.
"""

from __future__ import annotations

import re

Any = object  # for annotations only: importing typing costs every command ~1 ms (README "Start-up time")

REDACTED = "REDACTED"
# `sig=` as a query parameter (after ?, &, ;, a quote, a space, or at the start), also URL-encoded
# (`%26sig%3D...` inside another URL). The value runs to the next parameter, space or quote.
_SAS_SIGNATURE = re.compile(r"(?i)(^|[?&;\s\"',(\[{]|%26|%3F)(sig(?:=|%3D))([^&#\s\"'<>\\]+)")


def text(value: str) -> str:
    if _SAS_SIGNATURE.search(value) is None:
        return value  # the same object: callers detect "nothing changed" by identity
    return _SAS_SIGNATURE.sub(lambda m: m.group(1) + m.group(2) + REDACTED, value)


_ANY_SIGNATURE = re.compile(r"(?i)sig(?:=|%3D)")


def value(result: Any) -> Any:
    """`result` with every SAS signature in its strings (keys included) redacted. Returns the very
    same object when there is nothing to redact (no copy on the common path)."""
    if isinstance(result, (dict, list)):
        import json

        # One pass of the C encoder finds out whether any string could hold a signature (JSON escaping
        # never touches "sig=" or "sig%3D"): 1,000 instances cost ~5 ms this way, ~25 ms walked in Python.
        if _ANY_SIGNATURE.search(json.dumps(result, default=str)) is None:
            return result
    return _value(result)


def _value(result: Any) -> Any:
    if isinstance(result, str):
        return text(result)
    if isinstance(result, dict):
        changed = None
        for key, item in result.items():
            new_key = text(key) if isinstance(key, str) else key
            new_item = _value(item)
            if new_key is not key or new_item is not item:
                changed = changed if changed is not None else {}
                changed[key] = (new_key, new_item)
        if changed is None:
            return result
        out = type(result)()  # keeps a --query OrderedDict ordered
        for key, item in result.items():
            new_key, new_item = changed.get(key, (key, item))
            out[new_key] = new_item
        return out
    if isinstance(result, list):
        items = [_value(item) for item in result]
        return result if all(a is b for a, b in zip(items, result)) else items
    return result
