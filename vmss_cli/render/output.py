"""az's output formats: json, jsonc, yaml, yamlc, table, tsv, none; --query first.

Rules measured on az 2.91 (reference/az-behavior.md §3): json is indent 2 with sorted keys and
nothing printed for a null result; tsv prints one line per list item, nested dicts as empty
fields and nested lists as their length; table has per-command columns or az's automatic ones.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Callable

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
        return compiled.search(result, jmespath.Options(dict_cls=dict))
    except exceptions.JMESPathError as exc:
        raise UsageError(f"argument --query: {exc}") from None


def render(result: Any, fmt: str, query: str | None = None,
           table_transformer: Callable[[Any], Any] | None = None, color: bool | None = None,
           preserve_order: bool = False) -> str:
    """The text az would print on stdout for `result` (possibly empty)."""
    result = apply_query(result, query)
    if fmt == "none" or result is None:
        return ""
    if color is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    if fmt in ("json", "jsonc"):
        text = json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return _colour_json(text) if fmt == "jsonc" and color else text
    if fmt in ("yaml", "yamlc"):
        import yaml  # lazy

        return yaml.safe_dump(result, default_flow_style=False, allow_unicode=True, sort_keys=True)
    if fmt == "tsv":
        return tsv(result, ordered=query is not None)
    if fmt == "table":
        if table_transformer is not None and query is None:
            result = table_transformer(result)
        return table(result, ordered=query is not None or preserve_order)
    raise UsageError(f"argument --output/-o: invalid choice: '{fmt}' (choose from {', '.join(map(repr, FORMATS))})")


def tsv(result: Any, ordered: bool = False) -> str:
    rows = result if isinstance(result, list) else [result]
    lines = []
    for row in rows:
        if isinstance(row, dict):
            keys = list(row) if ordered else sorted(row)
            lines.append("\t".join(_tsv_field(row[k]) for k in keys))
        elif isinstance(row, list):
            lines.append("\t".join(_tsv_field(v) for v in row))
        elif isinstance(row, bool) and not isinstance(result, list):
            lines.append("true" if row else "false")
        else:
            lines.append(_tsv_field(row))
    return "".join(line + "\n" for line in lines)


def _tsv_field(value: Any) -> str:
    if isinstance(value, dict):
        return ""
    if isinstance(value, list):
        return str(len(value))
    if value is None:
        return "None"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(value)
    return str(value)


def table(result: Any, ordered: bool = False) -> str:
    rows = result if isinstance(result, list) else [result]
    if not rows:
        return ""
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
