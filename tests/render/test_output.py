"""az's output rules (reference/az-behavior.md §3; knack's output.py): json, jsonc, yaml, yamlc, table,
tsv, none, and --query applied first. Unit rules on `render`, then golden files for real commands
(refresh with `pytest --update-golden` and review the diff)."""

from __future__ import annotations

import pytest

from vmss_cli.errors import CliError, UsageError
from vmss_cli.render.output import FORMATS, render

ROW = {"b": 2, "a": "x", "nested": {"k": 1}, "items": [1, 2, 3], "none": None, "flag": True, "off": False,
       "num": 1.5}


# --- json / yaml / none ----------------------------------------------------------------------------

def test_json_is_indented_sorted_and_unescaped():
    assert render({"b": 1, "a": {"d": [1, "é"], "c": None}}, "json") == (
        '{\n  "a": {\n    "c": null,\n    "d": [\n      1,\n      "é"\n    ]\n  },\n  "b": 1\n}\n')
    assert render([], "json") == "[]\n"
    assert render("text", "json") == '"text"\n'
    assert render(True, "json") == "true\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_null_result_prints_nothing(fmt):
    assert render(None, fmt) == ""
    assert render({"a": 1}, fmt, query="missing") == ""


def test_none_format_prints_nothing():
    assert render(ROW, "none") == ""
    assert render([ROW], "none", query="[0]") == ""


def test_jsonc_and_yamlc_are_plain_without_colour_and_coloured_with_it():
    assert render(ROW, "jsonc", color=False) == render(ROW, "json")
    assert render(ROW, "yamlc", color=False) == render(ROW, "yaml")
    coloured = render({"a": "x", "n": 1}, "jsonc", color=True)
    assert "\x1b[" in coloured
    assert coloured != render({"a": "x", "n": 1}, "json")


def test_yaml_block_style_sorted_and_bare_scalar():
    assert render({"b": [1, {"y": 2, "x": 1}], "a": None}, "yaml") == "a: null\nb:\n- 1\n- x: 1\n  y: 2\n"
    assert render("value", "yaml") == "value\n...\n"


def test_yaml_of_a_multiselect_query():
    assert render({"b": 1, "a": 2}, "yaml", query="{z: b, y: a}") == "y: 2\nz: 1\n"


# --- tsv -------------------------------------------------------------------------------------------

def test_tsv_dict_row_sorted_with_nested_rules():
    # a, b, flag, items, nested, none, num, off (sorted keys)
    assert render(ROW, "tsv") == "x\t2\tTrue\t3\t\tNone\t1.5\tFalse\n"


def test_tsv_list_items_are_lines():
    assert render([{"b": 1, "a": 2}, {"a": 3, "b": 4}], "tsv") == "2\t1\n3\t4\n"
    assert render(["x", None, 3], "tsv") == "x\nNone\n3\n"
    assert render([], "tsv") == ""


def test_tsv_bool_rows_are_lower_case_nested_bools_are_not():
    assert render(True, "tsv") == "true\n"
    assert render(False, "tsv") == "false\n"
    assert render([True, False], "tsv") == "true\nfalse\n"  # each item is a row, as knack prints it
    assert render([[True, False]], "tsv") == "True\tFalse\n"
    assert render({"x": True}, "tsv") == "True\n"


def test_tsv_multiselect_hash_keeps_query_order():
    data = {"name": "s1", "capacity": 2, "mode": "Manual"}
    assert render(data, "tsv", query="{z: name, a: capacity, m: mode}") == "s1\t2\tManual\n"
    assert render(data, "tsv", query="[name, capacity]") == "s1\n2\n"  # a list: one line per item
    assert render(data, "tsv", query="[[name, capacity]]") == "s1\t2\n"
    # a dict taken unchanged from the result is still printed in sorted key order
    assert render({"wrap": {"b": 1, "a": 2}}, "tsv", query="wrap") == "2\t1\n"


def test_tsv_get_latest_example_from_the_reference():
    latest = {"location": "westus", "policy": {"maxBatchInstancePercent": 20}, "progress": {}, "runningStatus": {},
              "type": "Microsoft.Compute/virtualMachineScaleSets/rollingUpgrades"}
    assert render(latest, "tsv") == "westus\t\t\t\tMicrosoft.Compute/virtualMachineScaleSets/rollingUpgrades\n"


# --- table -----------------------------------------------------------------------------------------

# Expected texts below are what knack 0.14 (az 2.91) prints for the same data (_TableOutput.dump).

def test_table_automatic_columns():
    rows = [{"name": "a", "id": "/x", "type": "t", "etag": "e", "count": 1, "on": True, "sub": {"k": 1},
             "list": [1], "gone": None},
            {"name": "bb", "count": 22, "on": False, "gone": "here"}]
    assert render(rows, "table") == ("Count    Name    On     Gone\n"
                                      "-------  ------  -----  ------\n"
                                      "1        a       True\n"
                                      "22       bb      False  here\n")


def test_table_of_scalars_and_lists():
    assert render(["x", "yy"], "table") == "Result\n--------\nx\nyy\n"
    assert render([["a", 1], ["bb", 22]], "table") == ("Column1    Column2\n"
                                                       "---------  ---------\n"
                                                       "a          1\n"
                                                       "bb         22\n")
    assert render("single", "table") == "Result\n--------\nsingle\n"
    assert render([], "table") == "\n"


def test_table_mixed_list_and_empty_dict():
    # a list mixing scalars and dicts: a Result column beside the dicts' columns
    assert render(["x", {"a": 1}], "table", query="@") == "Result    A\n--------  ---\nx\n          1\n"
    assert render({}, "table", query="@") == "\n"
    assert render([{}], "table") == "\n"


def test_table_with_query_keeps_query_order():
    data = [{"name": "s1", "capacity": 2}]
    assert render(data, "table", query="[].{Zed: name, Cap: capacity}") == ("Zed    Cap\n"
                                                                               "-----  -----\n"
                                                                               "s1     2\n")
    assert render(data, "table") == "Capacity    Name\n----------  ------\n2           s1\n"


def test_table_of_an_object_picked_by_a_query_is_in_key_order():
    # az 2.91 (measured: `get-latest --query runningStatus -o table`): Code, LastAction, LastActionTime, StartTime
    status = {"code": "Completed", "startTime": "t0", "lastAction": "Start", "lastActionTime": "t1"}
    assert render({"runningStatus": status}, "table", query="runningStatus") == (
        "Code       LastAction    LastActionTime    StartTime\n"
        "---------  ------------  ----------------  -----------\n"
        "Completed  Start         t1                t0\n")


def test_table_transformer_order_and_query_bypass():
    def transformer(result):
        return {"Zulu": result["name"], "Alpha": result["capacity"]}

    data = {"name": "s1", "capacity": 2}
    assert render(data, "table", table_transformer=transformer) == "Zulu    Alpha\n------  -------\ns1      2\n"
    # --query replaces the command's table transformer, as in az
    assert render(data, "table", query="{n: name}", table_transformer=transformer) == "N\n---\ns1\n"
    # az's transformers are JMESPath strings, run with OrderedDict as knack does
    assert render(data, "table", table_transformer="{Cap: capacity, N: name}") == "Cap    N\n-----  ---\n2      s1\n"


def test_table_strips_trailing_spaces():
    text = render([{"a": "long value", "b": None}, {"a": "x"}], "table")
    assert all(line == line.rstrip() for line in text.splitlines())


# --- --query ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["[", "a.", "{a: }", "[?a==]"])
def test_invalid_query_is_a_usage_error(query):
    with pytest.raises(UsageError) as caught:
        render({"a": 1}, "json", query=query)
    assert caught.value.message == (f"argument --query: invalid jmespath_type value: '{query}'\n"
                                    "To learn more about --query, please visit: "
                                    "'https://learn.microsoft.com/cli/azure/query-azure-cli'")
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("query, message", [
    ("nosuchfn(@)", "Unknown function: nosuchfn()"),
    ("length(@, @)", "Expected 1 argument for function length(), received 2"),
    ("[?a > '2']", "'>' not supported between instances of 'int' and 'str'"),
])
def test_query_runtime_error_is_azs_invalid_query_error(query, message):
    with pytest.raises(CliError) as caught:
        render([{"a": 1}], "json", query=query)
    assert caught.value.message == (f"Invalid jmespath query supplied for `--query`: {message}\n"
                                    "To learn more about --query, please visit: "
                                    "'https://learn.microsoft.com/cli/azure/query-azure-cli'")
    assert caught.value.exit_code == 1


def test_query_functions_work_on_results():
    data = [{"n": "b", "v": 2}, {"n": "a", "v": 1}]
    assert render(data, "tsv", query="sort_by(@, &v)[].n") == "a\nb\n"
    assert render(data, "json", query="length(@)") == "2\n"


# --- golden files for real commands ----------------------------------------------------------------

GOLDEN_FORMATS = ["json", "jsonc", "yaml", "yamlc", "table", "tsv", "none"]
MULTISELECT = ("[].{id: instanceId, name: name, latest: latestModelApplied, zone: zones[0], "
               "disks: storageProfile.dataDisks, image: storageProfile.imageReference, "
               "exact: storageProfile.imageReference.exactVersion, missing: storageProfile.noSuchKey}")


@pytest.fixture
def golden_set(cli, rg):
    result = cli("create", "-g", rg, "-n", "web", "--orchestration-mode", "Uniform", "--instance-count", "3",
                 "--upgrade-policy-mode", "Rolling", "--zones", "1", "2", "--data-disk-sizes-gb", "16",
                 "--tags", "env=test", "--admin-password", "Never-Printed-1")
    assert result.exit_code == 0, result.stderr
    return ["-g", rg, "-n", "web"]


@pytest.mark.parametrize("fmt", GOLDEN_FORMATS)
@pytest.mark.parametrize("case, args", [
    ("show", ["show"]),
    ("list-instances", ["list-instances"]),
    ("multiselect", ["list-instances", "--query", MULTISELECT]),
])
def test_golden(cli, golden, golden_set, case, args, fmt):
    result = cli(args[0], *golden_set, *args[1:], "-o", fmt)
    assert (result.exit_code, result.stderr) == (0, "")
    ext = {"json": "json", "jsonc": "json", "yaml": "yaml", "yamlc": "yaml"}.get(fmt, "txt")
    golden(f"{case}.{fmt}.{ext}", result.stdout)
    if fmt == "none":
        assert result.stdout == ""
    if fmt in ("jsonc", "yamlc"):  # stdout is not a terminal here: no colour
        assert result.stdout == cli(args[0], *golden_set, *args[1:], "-o", fmt[:-1]).stdout
    assert "Never-Printed-1" not in result.stdout
