"""az's output formats: json, jsonc, yaml, yamlc, table, tsv, none; --query first.

Rules measured on az 2.91 (reference/az-behavior.md §3): json is indent 2 with sorted keys and
nothing printed for a null result; tsv prints one line per list item, nested dicts as empty
fields and nested lists as their length; table has per-command columns or az's automatic ones.
"""

from __future__ import annotations

import json
import os
import sys
from collections import OrderedDict
from collections.abc import Callable

Any = object  # for annotations only: importing typing costs every command ~1 ms (README "Start-up time")

from vmss_cli.core.errors import UsageError

FORMATS = ("json", "jsonc", "yaml", "yamlc", "table", "tsv", "none")
_SKIPPED_TABLE_KEYS = {"id", "type", "etag"}


def apply_query(result: Any, query: str | None) -> Any:
    if query is None:
        return result
    import jmespath  # lazy: most commands run without --query
    from jmespath import exceptions

    try:
        compiled = jmespath.compile(query)
    except exceptions.JMESPathError:
        raise UsageError(f"argument --query: invalid jmespath_type value: '{query}'") from None
    try:
        # As knack does: a multiselect hash `{a: x, b: y}` builds an OrderedDict, which tsv and table
        # print in query order; dicts taken from the result unchanged stay plain and print sorted.
        return compiled.search(result, jmespath.Options(dict_cls=OrderedDict))
    except exceptions.JMESPathError as exc:
        raise UsageError(f"argument --query: {exc}") from None


def render(result: Any, fmt: str, query: str | None = None,
           table_transformer: Callable[[Any], Any] | None = None, color: bool | None = None,
           preserve_order: bool = False) -> str:
    """The text az would print on stdout for `result` (possibly empty)."""
    from vmss_cli.render import redact

    # before --query, so no JMESPath function (reverse(), join()...) can rebuild a signature
    result = apply_query(redact.value(result), query)
    if fmt == "none" or result is None:
        return ""
    if color is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    if fmt in ("json", "jsonc"):
        text = json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return _colour_json(text) if fmt == "jsonc" and color else text
    if fmt in ("yaml", "yamlc"):
        import yaml  # lazy

        return yaml.safe_dump(_plain(result), default_flow_style=False, allow_unicode=True, sort_keys=True)
    if fmt == "tsv":
        return tsv(result)
    if fmt == "table":
        transformed = table_transformer is not None and query is None
        if transformed:
            result = table_transformer(result)
        # knack sorts the automatic columns only when neither a query nor a transformer chose them.
        return table(result, ordered=transformed or query is not None or preserve_order)
    raise UsageError(f"argument --output/-o: invalid choice: '{fmt}' (choose from {', '.join(map(repr, FORMATS))})")


def tsv(result: Any) -> str:
    """knack's rules: one line per top-level item; a dict row in key order (query order for a
    multiselect hash); nested dict -> empty field, nested list -> its length, None -> `None`,
    nested bool -> `True`/`False`, a bool row -> `true`/`false`."""
    rows = result if isinstance(result, list) else [result]
    lines = []
    for row in rows:
        if isinstance(row, dict):
            values = list(row.values()) if isinstance(row, OrderedDict) else [row[k] for k in sorted(row)]
            lines.append("\t".join(_tsv_field(v) for v in values))
        elif isinstance(row, list):
            lines.append("\t".join(_tsv_field(v) for v in row))
        elif isinstance(row, bool):
            lines.append("true" if row else "false")
        else:
            lines.append(_tsv_field(row))
    return "".join(line + "\n" for line in lines)


def _tsv_field(value: Any) -> str:
    if isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return str(len(value))
    return str(value)  # None -> 'None', True -> 'True', as Python prints them


def table(result: Any, ordered: bool = False) -> str:
    rows = result if isinstance(result, list) else [result]
    if not rows:
        return "\n"  # knack prints an empty line for an empty list
    if all(not isinstance(r, (dict, list)) for r in rows):
        headers = ["Result"]
        cells = [[_cell(r)] for r in rows]
    elif all(isinstance(r, list) for r in rows):
        width = max(len(r) for r in rows)
        headers = [f"Column{i + 1}" for i in range(width)]
        cells = [[_cell(v) for v in r] + [""] * (width - len(r)) for r in rows]
    else:
        keys: list[str] = []
        for r in rows:
            if not isinstance(r, dict):
                continue
            for k in (r if ordered else sorted(r)):
                if k not in keys and k not in _SKIPPED_TABLE_KEYS and not isinstance(r[k], (dict, list)) \
                        and r[k] is not None:
                    keys.append(k)
        headers = [k[:1].upper() + k[1:] for k in keys]
        cells = [[_cell(r.get(k)) if isinstance(r, dict) else "" for k in keys] for r in rows]
    if not headers:
        return ""
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> Any:
    """OrderedDicts from --query as plain dicts, so yaml.safe_dump can represent them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def _colour_json(text: str) -> str:
    """Minimal jsonc colouring (keys blue, strings green, literals yellow), as az's pygments does."""
    import re

    def paint(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith('"'):
            return ("\x1b[94m" if token.endswith(":") else "\x1b[32m") + token + "\x1b[0m"
        return "\x1b[33m" + token + "\x1b[0m"

    return re.sub(r'"(?:\\.|[^"\\])*"\s*:|"(?:\\.|[^"\\])*"|\b(?:true|false|null)\b|-?\d+(?:\.\d+)?', paint, text)
