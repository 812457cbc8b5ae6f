"""Limits on the work one input can cause (issue 14, items 10-11): each hostile input below used to
cost gigabytes or minutes, or overflow the stack and print "This is a bug in vmss". Now each is a
clear error naming its limit (vmss_cli/core/limits.py), and the store is unchanged."""

from __future__ import annotations

import json

import pytest

from tests.util import snapshot

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


@pytest.fixture
def ss(cli, rg):
    assert cli("create", "-g", rg, "-n", "ss", "--instance-count", "1", "-o", "none").exit_code == 0
    return "ss"


def refused(cli, home, *args):
    before = snapshot(home)
    result = cli(*args)
    assert result.exit_code == 1, result.stderr
    assert "bug" not in result.stderr and "Traceback" not in result.stderr
    assert snapshot(home) == before
    return result.stderr


@pytest.mark.parametrize("depth", [65, 400, 980])
def test_set_values_nested_deeper_than_the_limit(cli, rg, ss, vmss_home, depth):
    value = "[" * depth + "]" * depth
    for op in (("--set", f"tags.a={value}"), ("--add", "virtualMachineProfile.extensionProfile.extensions", value)):
        assert refused(cli, vmss_home, "update", "-g", rg, "-n", ss, *op) == \
            "ERROR: A --set/--add value is nested more than 64 levels deep (the limit MAX_DEPTH).\n"


def test_a_value_at_the_limit_is_stored_and_prints_in_every_format(cli, rg, ss):
    value = '{"a": ' * 62 + "1" + "}" * 62  # 62 objects under tags.x: 64 levels in all
    assert cli("update", "-g", rg, "-n", ss, "--set", f"tags.x={value}", "-o", "none").exit_code == 0
    for fmt in ("json", "yaml", "tsv", "table"):
        assert cli("show", "-g", rg, "-n", ss, "-o", fmt).exit_code == 0, fmt


@pytest.mark.parametrize("query, message", [
    ("(" * 5000 + "name" + ")" * 5000, "The --query expression is 10,004 characters long; the limit "
                                       "MAX_QUERY_CHARS is 10,000."),
    ("(" * 100 + "name" + ")" * 100, "The --query expression nests brackets more than 64 levels deep (the limit "
                                     "MAX_QUERY_DEPTH)."),
    ("`" + "[" * 3000 + "]" * 3000 + "`", "The --query expression nests brackets more than 64 levels deep (the "
                                          "limit MAX_QUERY_DEPTH)."),
    ("@" + " | {a:@,b:@}" * 30, "The --query result has more than 2,000,000 values (the limit MAX_OUTPUT_VALUES)."),
    ("[?sku.capacity > '2']", "Invalid jmespath query supplied for `--query`: '>' not supported between instances "
                              "of 'int' and 'str'\nTo learn more about --query, please visit: "
                              "'https://learn.microsoft.com/cli/azure/query-azure-cli'"),
])
def test_query_limits(cli, rg, ss, vmss_home, query, message):
    args = ("list", "--query", query) if query.startswith("[?") else ("show", "-g", rg, "-n", ss, "--query", query)
    assert refused(cli, vmss_home, *args) == f"ERROR: {message}\n"


def test_remove_with_an_index_beyond_any_list(cli, rg, ss, vmss_home):
    assert refused(cli, vmss_home, "update", "-g", rg, "-n", ss, "--remove",
                   "virtualMachineProfile.extensionProfile.extensions", "99999999999999999999999") == \
        "ERROR: index 99999999999999999999999 doesn't exist on extensions\n"


def test_publish_a_version_with_thousands_of_digits(cli, rg, vmss_home):
    stderr = refused(cli, vmss_home, "sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f",
                     "UbuntuServer", "-s", "18.04-LTS", "--version", "1." + "9" * 5000 + ".1")
    assert stderr.startswith("ERROR: (InvalidParameter) The image version '1.999")


# --- templates -------------------------------------------------------------------------------------

def deploy(cli, home, tmp_path, template: dict | str, *params: str) -> str:
    path = tmp_path / "t.json"
    path.write_text(template if isinstance(template, str) else json.dumps(template))
    return refused(cli, home, "deployment", "group", "create", "-g", "rg1", "--template-file", str(path),
                   *(("--parameters", *params) if params else ()))


def with_output(value: str, variables: dict | None = None, kind: str = "string") -> dict:
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "variables": variables or {}, "resources": [],
            "outputs": {"o": {"type": kind, "value": value}}}


def test_a_string_doubled_39_times(cli, rg, vmss_home, tmp_path):
    variables = {"v0": "abcdefgh"} | {f"v{i}": f"[concat(variables('v{i - 1}'), variables('v{i - 1}'))]"
                                      for i in range(1, 40)}
    stderr = deploy(cli, vmss_home, tmp_path, with_output("[variables('v39')]", variables))
    assert "Unable to evaluate template language function 'concat': the result would be a string longer than " \
           "4,194,304 characters (the limit MAX_STRING_CHARS)" in stderr, stderr


def test_an_array_doubled_and_nested(cli, rg, vmss_home, tmp_path):
    variables = {"v0": [1]} | {f"v{i}": f"[createArray(variables('v{i - 1}'), variables('v{i - 1}'))]"
                               for i in range(1, 40)}
    stderr = deploy(cli, vmss_home, tmp_path, with_output("[variables('v39')]", variables, "array"))
    assert "the result would be more than 100,000 values (the limit MAX_ARRAY_ITEMS)" in stderr, stderr


def test_format_with_a_huge_width(cli, rg, vmss_home, tmp_path):
    stderr = deploy(cli, vmss_home, tmp_path, with_output("[format('{0:D1500000000}', 1)]"))
    assert "the width '1500000000' is more than 4,194,304 characters (the limit MAX_STRING_CHARS)" in stderr, stderr


def test_mul_squared(cli, rg, vmss_home, tmp_path):
    variables = {"v0": 3} | {f"v{i}": f"[mul(variables('v{i - 1}'), variables('v{i - 1}'))]" for i in range(1, 40)}
    stderr = deploy(cli, vmss_home, tmp_path, with_output("[variables('v39')]", variables, "int"))
    assert "Unable to evaluate template language function 'mul': the result would be an integer outside 64 bits" \
           in stderr, stderr


def test_div_of_a_huge_integer(cli, rg, vmss_home, tmp_path):
    stderr = deploy(cli, vmss_home, tmp_path, with_output("[div(" + "9" * 400 + ", 7)]", kind="int"))
    assert "is outside the range of a 64-bit integer" in stderr, stderr


def test_div_is_exact_for_64_bit_integers(cli, rg, tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps(with_output("[div(9223372036854775807, -2)]", kind="int")))
    result = cli("deployment", "group", "create", "-g", rg, "--template-file", str(path), "--query",
                 "properties.outputs.o.value")
    assert (result.exit_code, result.stdout) == (0, "-4611686018427387903\n"), result.stderr


def test_concat_nested_500_deep(cli, rg, vmss_home, tmp_path):
    stderr = deploy(cli, vmss_home, tmp_path, with_output("[" + "concat(" * 500 + "'a'" + ")" * 500 + "]"))
    assert "it nests more than 64 function calls or indexes (the limit MAX_EXPRESSION_DEPTH)" in stderr, stderr


def test_template_and_parameters_3000_deep(cli, rg, vmss_home, tmp_path):
    deep = "[" * 3000 + "]" * 3000
    template = '{"$schema": "%s", "contentVersion": "1.0.0.0", "resources": [], "variables": {"x": %s}}' % (SCHEMA, deep)
    assert deploy(cli, vmss_home, tmp_path, template) == \
        "ERROR: The JSON document is nested more than 64 levels deep (the limit MAX_DEPTH).\n"
    plain = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": {"p": {"type": "array"}}, "resources": []}
    assert deploy(cli, vmss_home, tmp_path, plain, '{"p": {"value": %s}}' % deep) == \
        "ERROR: The JSON document is nested more than 64 levels deep (the limit MAX_DEPTH).\n"
    for value in (deep, "[" * 100 + "]" * 100):
        assert deploy(cli, vmss_home, tmp_path, plain, f"p={value}") == \
            "ERROR: The value of template parameter 'p' is nested more than 64 levels deep (the limit MAX_DEPTH).\n"


def test_a_template_file_that_never_ends(cli, rg, vmss_home):
    assert refused(cli, vmss_home, "deployment", "group", "create", "-g", rg, "--template-file", "/dev/zero") == \
        ("ERROR: The file '/dev/zero' is more than 4194304 bytes; an ARM template or parameter file may be at most "
         "4194304 bytes (4 MB).\n")


def test_an_int_parameter_with_thousands_of_digits(cli, rg, vmss_home, tmp_path):
    plain = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": {"n": {"type": "int"}}, "resources": []}
    assert deploy(cli, vmss_home, tmp_path, plain, "n=" + "9" * 5000) == \
        ("ERROR: The value of template parameter 'n' is outside the range of a 64-bit integer (the limit for "
         "template integers).\n")
