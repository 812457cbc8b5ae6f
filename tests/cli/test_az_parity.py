"""Issue 12: az 2.91's behaviour where vmss differed. Every expected text here was taken from az 2.91
itself (tests/differential/ runs the same lines through real az against a fake ARM endpoint)."""

from __future__ import annotations

import json

import pytest

from tests.util import examples_of, usage_error

SUB = "00000000-0000-0000-0000-000000000000"
SS = f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets"
SP = "virtualMachineProfile.storageProfile"
EXT = "virtualMachineProfile.extensionProfile.extensions"


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def sets(cli, rg):
    ok(cli("create", "-g", rg, "-n", "web", "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling",
           "--instance-count", "2"))
    ok(cli("create", "-g", rg, "-n", "plain", "--orchestration-mode", "Uniform", "--instance-count", "2",
           "--data-disk-sizes-gb", "10", "20"))
    ok(cli("rolling-upgrade", "start", "-g", rg, "-n", "web", "--only-show-errors"))
    return f"{SS}/web", f"{SS}/plain"


# --- --ids: one run per id ---------------------------------------------------------------------------

def test_several_ids_give_a_list_one_item_per_id(cli, sets):
    web, _ = sets
    result = ok(cli("rolling-upgrade", "get-latest", "--ids", web, web, "--query", "[].runningStatus.code", "-o",
                    "tsv"))
    assert result.stdout == "Completed\nCompleted\n"
    one = ok(cli("rolling-upgrade", "get-latest", "--ids", web, "--query", "runningStatus.code", "-o", "tsv"))
    assert one.stdout == "Completed\n"  # one id: the object itself, as before


def test_ids_from_tsv_lines_and_from_json(cli, sets):
    web, plain = sets
    lines = ok(cli("list", "--query", "[].id", "-o", "tsv")).stdout  # `--ids "$(az vmss list ... -o tsv)"`
    result = ok(cli("delete", "--ids", lines))
    # one (empty) result per id, listed as az lists them
    assert (result.stdout, result.stderr) == ("[\n  null,\n  null\n]\n", "")
    assert ok(cli("list")).json == []


def test_ids_from_json_output(cli, sets):
    listing = ok(cli("list")).stdout  # `--ids "$(az vmss list)"`: az reads the objects' ids
    ok(cli("delete", "--ids", listing))
    assert ok(cli("list")).json == []


def test_a_failing_id_beside_a_good_one_is_a_warning(cli, sets):
    web, plain = sets
    result = cli("rolling-upgrade", "get-latest", "--ids", web, plain, "--query", "runningStatus.code", "-o", "tsv")
    assert (result.exit_code, result.stdout) == (0, "Completed\n")  # one result left: printed alone, as az
    assert result.stderr == (f'WARNING: {plain}: "(NotFound) The entity was not found in this Azure location.\n'
                             "Code: NotFound\nMessage: The entity was not found in this Azure location.\"\n"
                             "WARNING: Encountered more than one exception.\n")


def test_all_ids_failing_is_exit_1(cli, sets):
    _, plain = sets
    result = cli("rolling-upgrade", "get-latest", "--ids", plain, plain)
    assert result.exit_code == 1
    assert result.stderr.endswith("ERROR: Encountered more than one exception.\n")


def test_ids_warn_about_the_options_they_replace(cli, sets):
    web, _ = sets
    result = ok(cli("rolling-upgrade", "get-latest", "--ids", web, "-g", "rg1", "--query", "runningStatus.code"))
    assert result.stderr == "WARNING: option '--resource-group' will be ignored due to use of '--ids'.\n"


@pytest.mark.parametrize("command", [["update", "--set", "tags.a=b"], ["get-instance-view"]])
def test_update_and_get_instance_view_need_a_vm_id_as_az(cli, sets, command):
    web, _ = sets
    result = cli(*command, "--ids", web)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"ERROR: Argument --instance-id cannot be derived from ID {web}. Please provide a "
                             "complete resource ID containing all information of 'Resource Id' arguments. \n")


def test_get_instance_view_by_vm_id(cli, sets):
    web, _ = sets
    result = ok(cli("get-instance-view", "--ids", f"{web}/virtualMachines/1", f"{web}/virtualMachines/0",
                    "--query", "[].statuses[1].code", "-o", "tsv"))
    assert result.stdout == "PowerState/running\nPowerState/running\n"


def test_scale_takes_ids(cli, sets):
    web, plain = sets
    result = ok(cli("scale", "--ids", web, plain, "--new-capacity", "3", "--query", "[].sku.capacity", "-o", "tsv"))
    assert result.stdout == "3\n3\n"


# --- what az checks on its side before the PUT -------------------------------------------------------

@pytest.mark.parametrize("expression, message", [
    ("tags.build=123", "Invalid value for 'tags.build': Expect <class 'str'>, got 123 (<class 'int'>)"),
    ("tags.flag=true", "Invalid value for 'tags.flag': Expect <class 'str'>, got True (<class 'bool'>)"),
    (f"{EXT}[0].typeHandlerVersion=2.0",
     f"Invalid value for '{EXT}[0].typeHandlerVersion': Expect <class 'str'>, got 2.0 (<class 'float'>)"),
    ("sku.capacity=abc", "Invalid value for 'sku.capacity': Expect <class 'int'>, got abc (<class 'str'>)"),
])
def test_model_types_are_checked_as_az_does(cli, sets, vmss_home, expression, message):
    before = (vmss_home / "resourceGroups/rg1/virtualMachineScaleSets/web.json").read_bytes()
    result = cli("update", "-g", "rg1", "-n", "web", "--set", expression)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"ERROR: {message}\n")
    assert (vmss_home / "resourceGroups/rg1/virtualMachineScaleSets/web.json").read_bytes() == before


def test_a_number_in_a_string_is_converted_as_az_does(cli, sets):
    result = ok(cli("update", "-g", "rg1", "-n", "plain", "--set", 'sku.capacity="3"', "--query", "sku.capacity"))
    assert result.stdout == "3\n"


def test_a_data_disk_needs_its_create_option(cli, sets):
    result = cli("update", "-g", "rg1", "-n", "plain", "--add", f"{SP}.dataDisks", "lun=2")
    assert (result.exit_code, result.stderr) == (
        1, "ERROR: InvalidArgumentValue: --virtual-machine-profile.storage-profile.data-disks[2]: Missing required "
           "field: create-option\n")
    added = ok(cli("update", "-g", "rg1", "-n", "plain", "--add", f"{SP}.dataDisks", "lun=2", "createOption=Empty",
                   "diskSizeGB=5", "--query", f"{SP}.dataDisks[2]"))
    assert (added.json["lun"], added.json["createOption"], added.json["diskSizeGB"]) == (2, "Empty", 5)


@pytest.mark.parametrize("expression, query", [
    (f"{SP}.osDisk.caching=None", f"{SP}.osDisk"),
    ("tags.n=null", "tags"),
    ("zones=null", "@"),
])
def test_an_explicit_null_is_dropped_from_the_put(cli, sets, expression, query):
    result = ok(cli("update", "-g", "rg1", "-n", "web", "--set", expression, "--query", query))
    key = expression.split("=")[0].rsplit(".", 1)[-1]
    assert key not in result.json


# --- usage errors, help and logs -------------------------------------------------------------------------

def test_update_help_lists_the_generic_arguments_and_instance_id(cli):
    text = ok(cli("update", "--help")).stdout
    for option in ("--set", "--add", "--remove", "--force-string", "--instance-id"):
        assert f"  {option} " in text, option


def test_output_choice_error_names_the_command(cli, sets):
    result = cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", "web", "-o", "xml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == usage_error(
        "vmss rolling-upgrade get-latest: 'xml' is not a valid value for '--output'. Allowed values: json, jsonc, "
        "yaml, yamlc, table, tsv, none.", *examples_of("rolling-upgrade", "get-latest"))


def test_history_max_items_is_parsed_after_argparse(cli, sets):
    result = cli("get-os-upgrade-history", "-g", "rg1", "-n", "web", "--max-items", "x")
    assert (result.exit_code, result.stderr) == (
        1, "ERROR: Failed to parse '--max-items' argument: invalid literal for int() with base 10: 'x'\n")


def test_table_output_of_json_ids_round_trip(cli, sets):
    # `-o table` of a list whose items mix a scalar and a dict: a Result column beside the dict's
    result = ok(cli("show", "-g", "rg1", "-n", "web", "--query", "[name, sku]", "-o", "table"))
    assert result.stdout == ("Result    Capacity    Name             Tier\n"
                             "--------  ----------  ---------------  --------\n"
                             "web\n"
                             "          2           Standard_D2s_v5  Standard\n")
    assert json.loads(ok(cli("show", "-g", "rg1", "-n", "web", "--query", "tags")).stdout) == {}
    assert ok(cli("show", "-g", "rg1", "-n", "web", "--query", "tags", "-o", "table")).stdout == "\n"


def test_verbose_and_debug_print_azs_timing_line(cli, sets):
    import re

    result = ok(cli("show", "-g", "rg1", "-n", "web", "--query", "name", "--verbose"))
    assert result.stdout == '"web"\n'
    assert re.fullmatch(r"INFO: Command ran in \d+\.\d{3} seconds \(init: \d+\.\d{3}, invoke: \d+\.\d{3}\)\n",
                        result.stderr), result.stderr
    result = ok(cli("show", "-g", "rg1", "-n", "web", "--query", "name", "--debug"))
    lines = result.stderr.splitlines()
    assert lines[0] == ("DEBUG: cli.knack.cli: Command arguments: ['show', '-g', 'rg1', '-n', 'web', '--query', "
                        "'name', '--debug']")
    assert re.fullmatch(r"INFO: cli.__main__: Command ran in \d+\.\d{3} seconds \(init: \d+\.\d{3}, invoke: "
                        r"\d+\.\d{3}\)", lines[-1])
    assert ok(cli("show", "-g", "rg1", "-n", "web", "--query", "name")).stderr == ""


# --- key order: az's model order inside objects, shown through --query (render/key_order.py) ---------

def test_keys_come_in_azs_model_order(cli, sets):
    # az 2.91 (tests/differential): the schema's order, properties spliced in, resourceGroup last
    keys = ok(cli("show", "-g", "rg1", "-n", "web", "--query", "keys(@)", "-o", "tsv")).stdout.split()
    assert keys[:4] == ["id", "location", "name", "doNotRunExtensionsOnOverprovisionedVMs"]
    assert keys[-5:] == ["sku", "tags", "type", "zones", "resourceGroup"] or keys[-4:] == ["sku", "tags", "type",
                                                                                             "resourceGroup"]
    latest = ok(cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", "web", "--query", "keys(progress)",
                    "-o", "tsv")).stdout.split()
    assert latest == ["failedInstanceCount", "inProgressInstanceCount", "pendingInstanceCount",
                      "successfulInstanceCount"]
    view = ok(cli("get-instance-view", "-g", "rg1", "-n", "web", "--instance-id", "0", "--query",
                  "keys(@)", "-o", "tsv")).stdout.split()
    assert view[:3] == ["computerName", "disks", "extensions"]


def test_a_table_of_an_object_picked_by_a_query_has_its_columns_in_model_order(cli, sets):
    # knack sorts the columns only when neither --query nor a table transformer is given
    head = ok(cli("show", "-g", "rg1", "-n", "plain", "--query", "@", "-o", "table")).stdout.splitlines()[0]
    assert head.split() == ["Location", "Name", "DoNotRunExtensionsOnOverprovisionedVMs", "OrchestrationMode",
                            "Overprovision", "PlatformFaultDomainCount", "ProvisioningState", "SinglePlacementGroup",
                            "TimeCreated", "UniqueId", "ResourceGroup"]
    assert ok(cli("show", "-g", "rg1", "-n", "plain", "-o", "table")).stdout.splitlines()[0].split()[0] == "Name"


def test_without_a_query_the_order_table_is_not_loaded(cli, sets):
    from vmss_cli.render import key_order

    key_order._KINDS = None
    ok(cli("show", "-g", "rg1", "-n", "web"))
    assert key_order._KINDS is None
    ok(cli("show", "-g", "rg1", "-n", "web", "--query", "name"))
    assert key_order._KINDS is not None


# --- argparse's order and words for usage errors (measured on az 2.91 by tests/differential) --------

@pytest.mark.parametrize("args, message", [
    (["show", "extra"], "the following arguments are required: --resource-group/-g, --name/-n"),
    (["show", "--ids", f"{SS}/web"], "the following arguments are required: --resource-group/-g, --name/-n"),
    (["scale", "--bogus"], "the following arguments are required: --new-capacity"),
    (["update-instances", "-g", "rg1", "-n", "web", "--bogus"], "the following arguments are required: --instance-ids"),
    (["group", "show", "extra"], "the following arguments are required: --name/-n/--resource-group/-g"),
    (["image", "list-skus", "x"], "the following arguments are required: --location/-l, --publisher/-p, --offer/-f"),
    (["show", "-g", "rg1", "-n", "web", "--ids", "a", "b"], "unrecognized arguments: --ids a b"),
    (["show", "-g", "rg1", "-n", "-x"], "argument --name/-n: expected one argument"),
    (["scale", "-g", "rg1", "-n", "-x", "--new-capacity", "2"], "argument --name/-n: expected one argument"),
    (["rolling-upgrade", "get-latest", "-g", "rg1", "-n"],
     "argument -n/--name/--vm-scale-set-name/--virtual-machine-scale-set-name: expected one argument"),
    (["group", "show", "-g"], "argument --name/-n/--resource-group/-g: expected one argument"),
])
def test_usage_errors_in_argparses_order_and_words(cli, args, message):
    result = cli(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[0] == f"ERROR: {message}"


def test_a_negative_number_is_still_a_value(cli, sets):
    result = cli("scale", "-g", "rg1", "-n", "plain", "--new-capacity", "-1")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("ERROR: (InvalidParameter) The value -1 of parameter 'sku.capacity' is out "
                                             "of range. The value must be an integer between 0 and 1000, inclusive.")


def test_aaz_commands_name_n_in_the_ids_warning(cli, sets):
    web, _ = sets
    result = ok(cli("rolling-upgrade", "get-latest", "--ids", web, "--name", "web", "-o", "none"))
    assert result.stderr == "WARNING: option '-n' will be ignored due to use of '--ids'.\n"
    result = ok(cli("scale", "--ids", web, "--name", "web", "--new-capacity", "2", "-o", "none"))
    assert result.stderr == "WARNING: option '--name' will be ignored due to use of '--ids'.\n"


def test_a_null_os_disk_misses_its_create_option(cli, sets):
    result = cli("update", "-g", "rg1", "-n", "web", "--set", f"{SP}.osDisk=null")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("ERROR: InvalidArgumentValue: --virtual-machine-profile.storage-profile.os-disk: Missing "
                             "required field: create-option\n")


def test_each_result_gets_its_own_models_order():
    from vmss_cli.render.key_order import az_order

    group = {"tags": None, "managedBy": None, "location": "eastus", "properties": {}, "type": "t", "name": "rg1",
             "id": "i"}
    assert list(az_order(group)) == ["id", "name", "type", "properties", "location", "managedBy", "tags"]
    deployment = {"tags": {}, "properties": {"timestamp": "t", "provisioningState": "Succeeded"}, "location": None,
                  "type": "t", "name": "d", "id": "i"}
    ordered = az_order([deployment])[0]
    assert list(ordered) == ["id", "name", "type", "location", "properties", "tags"]
    assert list(ordered["properties"]) == ["provisioningState", "timestamp"]
    assert az_order({"unknown": 1, "shape": 2}) == {"unknown": 1, "shape": 2}


@pytest.mark.parametrize(("args", "text"), [
    (["--max-batch-instance-percent", "3"],
     "--upgrade-policy.rolling-upgrade-policy.max-batch-instance-percent: Invalid format: '3' is less than 5"),
    (["--max-unhealthy-instance-percent", "101"],
     "--upgrade-policy.rolling-upgrade-policy.max-unhealthy-instance-percent: Invalid format: '101' is greater than 100"),
    (["--set", "upgradePolicy.rollingUpgradePolicy.maxUnhealthyUpgradedInstancePercent=200",
      "--max-batch-instance-percent", "20"],
     "--upgrade-policy.rolling-upgrade-policy.max-unhealthy-upgraded-instance-percent: Invalid format: "
     "'200' is greater than 100"),
])
def test_percentages_out_of_azs_argument_bounds_fail_on_azs_side(cli, sets, vmss_home, args, text):
    """az 2.91 checks the bounds its AAZ arguments declare before it sends the PUT (measured with
    `--max-batch-instance-percent 3`): its text, exit 1, nothing changed."""
    ok(cli("update", "-g", "rg1", "-n", "web", "--max-batch-instance-percent", "20", "-o", "none"))
    before = cli("show", "-g", "rg1", "-n", "web").stdout
    result = cli("update", "-g", "rg1", "-n", "web", *args)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"ERROR: InvalidArgumentValue: {text}\n"
    assert cli("show", "-g", "rg1", "-n", "web").stdout == before


def test_a_percentage_on_the_bound_is_taken(cli, sets):
    result = ok(cli("update", "-g", "rg1", "-n", "web", "--max-batch-instance-percent", "5",
                    "--max-unhealthy-upgraded-instance-percent", "0", "--query", "upgradePolicy.rollingUpgradePolicy"))
    assert json.loads(result.stdout) == {"maxBatchInstancePercent": 5, "maxUnhealthyUpgradedInstancePercent": 0}
