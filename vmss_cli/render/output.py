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

from vmss_cli.errors import UsageError

FORMATS = ("json", "jsonc", "yaml", "yamlc", "table", "tsv", "none")
_SKIPPED_TABLE_KEYS = {"id", "type", "etag"}
QUERY_REFERENCE = "To learn more about --query, please visit: 'https://learn.microsoft.com/cli/azure/query-azure-cli'"


def compile_query(query: str):
    import jmespath  # lazy: most commands run without --query
    from jmespath import exceptions

    from vmss_cli.core import limits

    limits.check_query(query)  # length and nesting first: the parser recurses
    try:
        return jmespath.compile(query)
    except RecursionError:  # within MAX_QUERY_DEPTH this does not happen; kept as a last guard
        raise limits.LimitError("The --query expression is nested too deeply (the limit MAX_QUERY_DEPTH).") from None
    except exceptions.JMESPathError:
        error = UsageError(f"argument --query: invalid jmespath_type value: '{query}'\n{QUERY_REFERENCE}")
        error.trailer = False  # type: ignore[attr-defined]  # (read with getattr by cli.main) az prints the --query link instead of its usage trailer
        raise error from None


def apply_query(result: Any, query: str | None) -> Any:
    if query is None:
        return result
    import jmespath
    from jmespath import exceptions

    compiled = compile_query(query)
    try:
        # As knack does: a multiselect hash `{a: x, b: y}` builds an OrderedDict, which tsv and table
        # print in query order; dicts taken from the result unchanged stay plain and print sorted.
        found = compiled.search(result, jmespath.Options(dict_cls=OrderedDict))
    except (exceptions.JMESPathError, TypeError) as exc:
        # az's handle_exception words a JMESPathError so (exit 1). A TypeError (`[?n > '2']` compares a
        # number with a string) crashes az with a traceback; vmss says it in the same words, same exit code.
        from vmss_cli.errors import CliError

        raise CliError(f"Invalid jmespath query supplied for `--query`: {exc}\n{QUERY_REFERENCE}") from None
    from vmss_cli.core import limits

    limits.check_output(found)  # a result too big to print (limits.MAX_OUTPUT_VALUES)
    return found


def render(result: Any, fmt: str, query: str | None = None,
           table_transformer: Callable[[Any], Any] | str | None = None, color: bool | None = None,
           preserve_order: bool = False) -> str:
    """The text az would print on stdout for `result` (possibly empty)."""
    from vmss_cli.render import redact

    # before --query, so no JMESPath function (reverse(), join()...) can rebuild a signature
    result = redact.value(result)
    if query is not None:  # keys in az's order: only a query can show it (render/key_order.py)
        from vmss_cli.render import key_order

        result = key_order.az_order(result)
    result = apply_query(result, query)
    if fmt == "none" or result is None:
        return ""
    if color is None:
        color = sys.stdout is not None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    if fmt in ("json", "jsonc"):
        text = json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return _colour(text, "JsonLexer") if fmt == "jsonc" and color else text
    if fmt in ("yaml", "yamlc"):
        import yaml  # lazy

        text = yaml.safe_dump(_plain(result), default_flow_style=False, allow_unicode=True, sort_keys=True)
        return _colour(text, "YamlLexer") if fmt == "yamlc" and color else text
    if fmt == "tsv":
        return tsv(result)
    if fmt == "table":
        if table_transformer is not None and query is None:
            if isinstance(table_transformer, str):  # az's JMESPath transformers, run as knack runs them
                import jmespath

                result = jmespath.search(table_transformer, result, jmespath.Options(dict_cls=OrderedDict))
            else:
                result = table_transformer(result)
        if preserve_order or (query is None and getattr(table_transformer, "compact", False)):
            return compact_table(result)  # type: ignore[arg-type]  # (rows of dicts) vmss's own tables (no az command has them): fit 120 columns
        # knack sorts a row's keys only when neither a query nor a transformer is given
        # (should_sort_keys); otherwise the keys come as they are: a transformer's or a multiselect's
        # in their order, an object's in az's model order (render/key_order.py)
        return table(result, ordered=table_transformer is not None or query is not None)
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
    """knack's table: each row's scalar values (keys sorted unless a multiselect hash or a transformer
    chose them; `id`, `type`, `etag`, nulls, lists and dicts left out), printed by tabulate exactly as knack
    calls it, so widths, padding and alignment are az's own."""
    from tabulate import tabulate  # lazy: only -o table needs it

    rows = result if isinstance(result, list) else [result]
    data = [_table_row(row, not ordered and not isinstance(row, OrderedDict)) for row in rows]
    try:
        text = tabulate(data, headers="keys", tablefmt="simple", disable_numparse=True) if data else ""
    except Exception:  # noqa: BLE001 (knack turns any failure into this message)
        text = "\n"
    if text == "\n":
        from vmss_cli.errors import CliError

        raise CliError("Table output unavailable. Use the --query option to specify an appropriate query. "
                       "Use --debug for more info.")
    return text + "\n"


def compact_table(rows: list[dict]) -> str:
    """The tables of vmss's own commands (`rolling-upgrade plan`, `sim events`): columns in the rows'
    order (a column that is null in every row is left out), two spaces apart, each as wide as its widest
    cell, so that they fit 120 columns."""
    if not rows:
        return "\n"
    headers = [k for k in dict.fromkeys(k for r in rows for k in r) if any(r.get(k) is not None for r in rows)]
    cells = [["" if r.get(k) is None else str(r.get(k)) for k in headers] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip(), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


def _table_row(item: Any, sort_keys: bool) -> dict:
    """knack's _TableOutput._auto_table_item."""
    if isinstance(item, dict):
        keys = sorted(item) if sort_keys else item.keys()
        return {k[:1].upper() + k[1:]: item[k] for k in keys if k not in _SKIPPED_TABLE_KEYS
                and item[k] is not None and not isinstance(item[k], (list, dict))}
    if isinstance(item, list):
        return {f"Column{i + 1}": v for i, v in enumerate(item)}
    return {"Result": item}


def _plain(value: Any) -> Any:
    """OrderedDicts from --query as plain dicts, so yaml.safe_dump can represent them."""
    from vmss_cli.core.arm.documents import clone  # a copy of plain dicts and lists

    return clone(value)


def _colour(text: str, lexer: str) -> str:
    """jsonc/yamlc on a terminal: pygments' TerminalFormatter, as knack's format_json_color does."""
    from pygments import formatters, highlight, lexers  # lazy: only coloured output needs it

    return highlight(text, getattr(lexers, lexer)(), formatters.TerminalFormatter())
