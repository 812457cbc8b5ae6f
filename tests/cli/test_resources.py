"""Resource groups and scale sets through the CLI: exact stdout, stderr and exit codes, as a CI
script calling az would see them (reference/az-behavior.md §1, §3, §4)."""

from __future__ import annotations

import json
import re

import pytest

from tests.util import examples_of, snapshot, usage_error

SUB = "00000000-0000-0000-0000-000000000000"
RG_ID = f"/subscriptions/{SUB}/resourceGroups/rg1"
NET = f"{RG_ID}/providers/Microsoft.Network"
SS_TYPE = "Microsoft.Compute/virtualMachineScaleSets"
START = "2026-01-01T00:00:00+00:00"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$")

SHOW_KEYS = {"doNotRunExtensionsOnOverprovisionedVMs", "id", "location", "name", "orchestrationMode", "overprovision",
             "platformFaultDomainCount", "provisioningState", "resourceGroup", "singlePlacementGroup", "sku", "tags",
             "timeCreated", "type", "uniqueId", "upgradePolicy", "virtualMachineProfile"}
CREATE_KEYS = {"doNotRunExtensionsOnOverprovisionedVMs", "orchestrationMode", "overprovision",
               "platformFaultDomainCount", "provisioningState", "singlePlacementGroup", "timeCreated", "uniqueId",
               "upgradePolicy", "virtualMachineProfile"}
INSTANCE_KEYS = {"hardwareProfile", "id", "instanceId", "latestModelApplied", "location", "modelDefinitionApplied",
                 "name", "networkProfileConfiguration", "osProfile", "provisioningState", "resourceGroup", "sku",
                 "storageProfile", "tags", "timeCreated", "type", "vmId"}
INSTANCE_VIEW_KEYS = {"computerName", "disks", "extensions", "osName", "osVersion", "platformFaultDomain",
                      "platformUpdateDomain", "statuses"}
SET_INSTANCE_VIEW_KEYS = {"extensions", "orchestrationServices", "statuses", "virtualMachine"}
HEALTH_LINUX = {"autoUpgradeMinorVersion": True, "name": "ApplicationHealthLinux",
                "publisher": "Microsoft.ManagedServices", "settings": {"port": 80, "protocol": "http", "requestPath": "/"},
                "type": "ApplicationHealthLinux", "typeHandlerVersion": "1.0"}


def ok(result):
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result


def service_error(code: str, message: str) -> str:
    return f"ERROR: ({code}) {message}\nCode: {code}\nMessage: {message}\n"


def not_found(name: str, rg: str = "rg1") -> str:
    return service_error("ResourceNotFound", f"The Resource '{SS_TYPE}/{name}' under resource group '{rg}' was not "
                                             "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix")


@pytest.fixture
def s1(cli, rg):
    ok(cli("create", "-g", rg, "-n", "s1"))
    return "s1"


# --- resource groups ---------------------------------------------------------------------------------

def group_doc(name="rg1", location="eastus", tags=None):
    return {"id": f"/subscriptions/{SUB}/resourceGroups/{name}", "location": location, "managedBy": None,
            "name": name, "properties": {"provisioningState": "Succeeded"}, "tags": tags,
            "type": "Microsoft.Resources/resourceGroups"}


def test_group_create_show_list_exists_delete(cli):
    created = ok(cli("group", "create", "-n", "rg1", "-l", "East US"))
    assert created.json == group_doc()
    assert ok(cli("group", "show", "-n", "rg1")).stdout == created.stdout
    assert ok(cli("group", "show", "-g", "RG1")).json == group_doc()  # names are case-insensitive
    ok(cli("group", "create", "-n", "rg2", "-l", "westus", "--tags", "env=prod", "team=a"))
    assert ok(cli("group", "list")).json == [group_doc(), group_doc("rg2", "westus", {"env": "prod", "team": "a"})]
    assert ok(cli("group", "list", "--tag", "env=prod", "--query", "[].name", "-o", "tsv")).stdout == "rg2\n"
    assert ok(cli("group", "list", "-o", "table")).stdout == (  # az's columns (transform_resource_group_list)
        "Name    Location    Status\n------  ----------  ---------\nrg1     eastus      Succeeded\nrg2     westus      Succeeded\n")
    assert ok(cli("group", "exists", "-n", "rg1")).stdout == "true\n"
    assert ok(cli("group", "exists", "-n", "nope")).stdout == "false\n"

    deleted = ok(cli("group", "delete", "-n", "rg1", "--yes"))
    assert deleted.stdout == ""
    assert ok(cli("group", "exists", "-n", "rg1")).stdout == "false\n"
    assert ok(cli("group", "list", "--query", "[].name")).json == ["rg2"]


def test_group_create_again_updates_in_place(cli, rg):
    again = ok(cli("group", "create", "-n", "rg1", "-l", "eastus", "--tags", "a=1"))
    assert again.json == group_doc(tags={"a": "1"})
    moved = cli("group", "create", "-n", "rg1", "-l", "westus")
    assert (moved.exit_code, moved.stdout) == (1, "")
    assert moved.stderr == service_error(
        "InvalidResourceGroupLocation",
        "Invalid resource group location 'westus'. The Resource group already exists in location 'eastus'.")


def test_group_delete_takes_its_scale_sets_and_needs_yes_without_a_tty(cli, s1, vmss_home):
    refused = cli("group", "delete", "-n", "rg1")
    assert (refused.exit_code, refused.stdout, refused.stderr) == (
        1, "", "ERROR: Unable to prompt for confirmation as no tty available. Use --yes.\n")
    ok(cli("group", "delete", "-n", "rg1", "-y"))
    assert not (vmss_home / "resourceGroups" / "rg1").exists()
    ok(cli("group", "create", "-n", "rg1", "-l", "eastus"))
    assert ok(cli("list", "-g", "rg1")).stdout == "[]\n"


def test_group_show_and_delete_missing(cli):
    message = service_error("ResourceGroupNotFound", "Resource group 'x' could not be found.")
    for args in (["group", "show", "-n", "x"], ["group", "delete", "-n", "x", "--yes"]):
        result = cli(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (3, "", message)


def test_group_create_requires_name_and_location(cli):
    result = cli("group", "create", "-n", "rg1")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("ERROR: the following arguments are required: --location/-l\n")


# --- vmss create -----------------------------------------------------------------------------------

def test_create_defaults_and_output_shape(cli, rg):
    created = ok(cli("create", "-g", rg, "-n", "s1"))
    assert list(created.json) == ["vmss"]
    vmss = created.json["vmss"]
    assert set(vmss) == CREATE_KEYS
    assert vmss["orchestrationMode"] == "Flexible"
    assert vmss["upgradePolicy"] == {"mode": "Manual"}
    assert vmss["provisioningState"] == "Succeeded"
    assert vmss["timeCreated"] == START
    assert GUID.match(vmss["uniqueId"])
    assert (vmss["overprovision"], vmss["singlePlacementGroup"], vmss["platformFaultDomainCount"]) == (False, False, 1)
    vmp = vmss["virtualMachineProfile"]
    assert vmp["storageProfile"]["imageReference"] == {
        "offer": "0001-com-ubuntu-server-jammy", "publisher": "Canonical", "sku": "22_04-lts-gen2", "version": "latest"}
    assert vmp["extensionProfile"] == {"extensions": []}
    assert "healthProbe" not in vmp["networkProfile"]
    assert vmp["osProfile"]["adminUsername"] == "azureuser"

    shown = ok(cli("show", "-g", rg, "-n", "s1")).json
    assert set(shown) == SHOW_KEYS
    assert shown["sku"] == {"capacity": 2, "name": "Standard_D2s_v5", "tier": "Standard"}
    assert shown["location"] == "eastus"  # from the group
    assert shown["id"] == f"{RG_ID}/providers/{SS_TYPE}/s1"
    assert (shown["name"], shown["type"], shown["resourceGroup"], shown["tags"]) == ("s1", SS_TYPE, "rg1", {})
    # what create printed is the show output's properties
    assert {k: shown[k] for k in CREATE_KEYS} == vmss
    assert len(ok(cli("list-instances", "-g", rg, "-n", "s1")).json) == 2


def test_create_location_defaults_to_the_groups(cli):
    ok(cli("group", "create", "-n", "rgw", "-l", "westus"))
    ok(cli("create", "-g", "rgw", "-n", "s1"))
    assert ok(cli("show", "-g", "rgw", "-n", "s1", "--query", "location", "-o", "tsv")).stdout == "westus\n"
    ok(cli("create", "-g", "rgw", "-n", "s2", "-l", "East US"))
    assert ok(cli("show", "-g", "rgw", "-n", "s2", "--query", "location", "-o", "tsv")).stdout == "eastus\n"


def test_create_with_options(cli, rg):
    created = ok(cli("create", "-g", rg, "-n", "big", "--instance-count", "5", "--vm-sku", "Standard_D4s_v5",
                     "--orchestration-mode", "uniform", "--zones", "1", "2", "3", "--data-disk-sizes-gb", "10", "20",
                     "--tags", "env=test", "--query", "vmss.[orchestrationMode, overprovision, singlePlacementGroup]"))
    assert created.json == ["Uniform", True, False]
    shown = ok(cli("show", "-g", rg, "-n", "big")).json
    assert shown["sku"] == {"capacity": 5, "name": "Standard_D4s_v5", "tier": "Standard"}
    assert shown["zones"] == ["1", "2", "3"]
    assert shown["tags"] == {"env": "test"}
    assert [d["diskSizeGB"] for d in shown["virtualMachineProfile"]["storageProfile"]["dataDisks"]] == [10, 20]
    zones = ok(cli("list-instances", "-g", rg, "-n", "big", "--query", "[].zones[0]", "-o", "tsv")).stdout
    assert zones == "1\n2\n3\n1\n2\n"


def test_rolling_mode_adds_the_application_health_extension(cli, rg):
    created = ok(cli("create", "-g", rg, "-n", "r1", "--upgrade-policy-mode", "rolling"))
    vmss = created.json["vmss"]
    assert vmss["upgradePolicy"] == {"mode": "Rolling"}
    assert vmss["virtualMachineProfile"]["extensionProfile"] == {"extensions": [HEALTH_LINUX]}


def test_rolling_mode_on_windows_adds_the_windows_health_extension(cli, rg):
    ok(cli("create", "-g", rg, "-n", "w1", "--image", "Win2022Datacenter", "--upgrade-policy-mode", "Rolling"))
    exts = ok(cli("show", "-g", rg, "-n", "w1", "--query", "virtualMachineProfile.extensionProfile.extensions")).json
    assert exts == [dict(HEALTH_LINUX, name="ApplicationHealthWindows", type="ApplicationHealthWindows")]


def test_rolling_policy_flags_are_kept_as_given(cli, rg):
    created = ok(cli("create", "-g", rg, "-n", "r1", "--upgrade-policy-mode", "Rolling",
                     "--max-batch-instance-percent", "50", "--pause-time-between-batches", "PT5S",
                     "--query", "vmss.upgradePolicy"))
    assert created.json == {"mode": "Rolling",
                            "rollingUpgradePolicy": {"maxBatchInstancePercent": 50, "pauseTimeBetweenBatches": "PT5S"}}


def test_health_probe_is_refused_in_flexible_mode(cli, rg, vmss_home):
    result = cli("create", "-g", rg, "-n", "f1", "--health-probe", "p1")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", "ERROR: usage error: --health-probe is not supported for Flex mode\n")
    assert not (vmss_home / "resourceGroups" / "rg1" / "virtualMachineScaleSets" / "f1.json").exists()


def test_uniform_health_probe_becomes_a_load_balancer_probe_id(cli, rg):
    ok(cli("create", "-g", rg, "-n", "u1", "--orchestration-mode", "Uniform", "--health-probe", "p1"))
    probe = ok(cli("show", "-g", rg, "-n", "u1", "--query", "virtualMachineProfile.networkProfile.healthProbe")).json
    assert probe == {"id": f"{NET}/loadBalancers/u1LB/probes/p1", "resourceGroup": "rg1"}
    ok(cli("create", "-g", rg, "-n", "u2", "--orchestration-mode", "Uniform", "--lb", "mylb", "--health-probe", "p2"))
    probe = ok(cli("show", "-g", rg, "-n", "u2", "--query", "virtualMachineProfile.networkProfile.healthProbe.id")).json
    assert probe == f"{NET}/loadBalancers/mylb/probes/p2"
    full_id = f"/subscriptions/{SUB}/resourceGroups/other/providers/Microsoft.Network/loadBalancers/lb/probes/p3"
    ok(cli("create", "-g", rg, "-n", "u3", "--orchestration-mode", "Uniform", "--health-probe", full_id))
    probe = ok(cli("show", "-g", rg, "-n", "u3", "--query", "virtualMachineProfile.networkProfile.healthProbe")).json
    assert probe == {"id": full_id, "resourceGroup": "other"}


def test_create_in_a_missing_group(cli, vmss_home):
    result = cli("create", "-g", "x", "-n", "s1")
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == ("ERROR: (ResourceGroupNotFound) Resource group 'x' could not be found.\n"
                             "Code: ResourceGroupNotFound\nMessage: Resource group 'x' could not be found.\n")


def test_create_refuses_an_existing_name(cli, s1):
    result = cli("create", "-g", "rg1", "-n", "S1")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("ERROR: (Conflict) The scale set 'S1' already exists in resource group 'rg1'.")


def test_create_no_wait_prints_nothing(cli, rg):
    result = ok(cli("create", "-g", rg, "-n", "s1", "--no-wait"))
    assert result.stdout == ""
    assert ok(cli("show", "-g", rg, "-n", "s1", "--query", "provisioningState", "-o", "tsv")).stdout == "Succeeded\n"


def test_one_subscription_per_store_named_in_config(cli, vmss_home):
    sub = "11111111-2222-3333-4444-555555555555"
    ok(cli("config", "set", f"sim.subscription={sub.upper()}"))  # before the store is first written
    group = ok(cli("group", "create", "-n", "rg1", "-l", "eastus", "--subscription", sub, "--query", "id", "-o", "tsv"))
    assert group.stdout == f"/subscriptions/{sub}/resourceGroups/rg1\n"
    ok(cli("create", "-g", "rg1", "-n", "s1", "--subscription", sub.upper()))
    for given in (sub, "vmss", None):
        args = ("--subscription", given) if given else ()
        shown = ok(cli("show", "-g", "rg1", "-n", "s1", *args, "--query", "id", "-o", "tsv"))
        assert shown.stdout == f"/subscriptions/{sub}/resourceGroups/rg1/providers/{SS_TYPE}/s1\n"
    gallery = ok(cli("sig", "create", "-g", "rg1", "-r", "g1", "--query", "id", "-o", "tsv"))
    assert gallery.stdout.startswith(f"/subscriptions/{sub}/resourceGroups/rg1/")
    before = snapshot(vmss_home)
    other = cli("show", "-g", "rg1", "-n", "s1", "--subscription", SUB)  # the default id is not this store's
    assert (other.exit_code, other.stdout, other.stderr) == (
        1, "", f"WARNING: Subscription '{SUB}' not recognized.\n"
               f"ERROR: Subscription '{SUB}' not found. Check the spelling and casing and try again.\n")
    ok(cli("config", "set", f"sim.subscription={SUB}"))  # too late: fixed when the store was first written
    assert ok(cli("group", "show", "-n", "rg1", "--query", "id", "-o", "tsv")).stdout.startswith(f"/subscriptions/{sub}/")
    assert snapshot(vmss_home).keys() == before.keys()


def test_the_default_store_subscription_is_all_zeros(cli, vmss_home):
    other = "11111111-2222-3333-4444-555555555555"
    r = cli("group", "create", "-n", "rg1", "-l", "eastus", "--subscription", other)
    assert (r.exit_code, r.stderr) == (1, f"WARNING: Subscription '{other}' not recognized.\n"
                                          f"ERROR: Subscription '{other}' not found. Check the spelling and casing "
                                          "and try again.\n")
    assert not vmss_home.exists()
    assert ok(cli("group", "create", "-n", "rg1", "-l", "eastus", "--subscription", SUB, "--query", "id",
                  "-o", "tsv")).stdout == f"/subscriptions/{SUB}/resourceGroups/rg1\n"
    r = cli("config", "set", "sim.subscription=abc")
    assert (r.exit_code, r.stderr) == (1, "ERROR: sim.subscription must be a subscription id (a GUID), not 'abc'.\n")


# --- secrets ---------------------------------------------------------------------------------------

PASSWORD = "Sup3r-Secret!Pa55"


@pytest.mark.parametrize("fmt", ["json", "jsonc", "yaml", "yamlc", "tsv", "table", "none"])
def test_admin_password_is_never_output(cli, rg, vmss_home, fmt):
    created = ok(cli("create", "-g", rg, "-n", "s1", "--admin-password", PASSWORD, "-o", fmt))
    outputs = [created.stdout]
    for args in (["show", "-g", rg, "-n", "s1"], ["list"], ["list", "-g", rg], ["list-instances", "-g", rg, "-n", "s1"],
                 ["get-instance-view", "-g", rg, "-n", "s1"],
                 ["get-instance-view", "-g", rg, "-n", "s1", "--instance-id", "0"],
                 ["get-instance-view", "-g", rg, "-n", "s1", "--instance-id", "*"],
                 ["show", "-g", rg, "-n", "s1", "--instance-id", "1"],
                 ["scale", "-g", rg, "-n", "s1", "--new-capacity", "3"],
                 ["show", "-g", rg, "-n", "s1", "--query", "virtualMachineProfile.osProfile"]):
        result = ok(cli(*args, "-o", fmt))
        outputs.append(result.stdout + result.stderr)
    for text in outputs:
        assert PASSWORD not in text
        assert "adminPassword" not in text
    profile = ok(cli("show", "-g", rg, "-n", "s1", "--query", "virtualMachineProfile.osProfile")).json
    assert profile["linuxConfiguration"]["disablePasswordAuthentication"] is False
    # kept for the emulated VMs, in a 0600 file, outside the ARM resource
    doc = json.loads((vmss_home / "resourceGroups" / "rg1" / "virtualMachineScaleSets" / "s1.json").read_text())
    assert doc["secrets"]["adminPassword"] == PASSWORD
    assert PASSWORD not in json.dumps(doc["scaleSet"])


# --- show / list / delete / scale / instances ------------------------------------------------------

def test_show_missing_scale_set_and_group(cli, rg):
    result = cli("show", "-g", rg, "-n", "nosuch")
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", not_found("nosuch"))
    result = cli("show", "-g", "x", "-n", "s1")
    assert (result.exit_code, result.stdout, result.stderr) == (
        3, "", service_error("ResourceGroupNotFound", "Resource group 'x' could not be found."))


@pytest.mark.parametrize("command", ["show", "scale", "list-instances", "get-instance-view"])
def test_missing_scale_set_is_not_found_exit_3(cli, rg, command):
    extra = ["--new-capacity", "1"] if command == "scale" else []
    result = cli(command, "-g", rg, "-n", "nosuch", *extra)
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", not_found("nosuch"))


def test_delete_of_a_missing_scale_set_succeeds_silently_as_az(cli, rg):
    # az 2.91's AAZ delete takes the service's 404 as done (measured: exit 0, nothing printed)
    result = cli("delete", "-g", rg, "-n", "nosuch")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


# az 2.91's own texts and exit codes (measured): argparse's for show/list-instances, with each command's
# -n aliases; the --ids check after parsing (exit 1) for get-instance-view/scale; AAZ's for delete.
@pytest.mark.parametrize("command, extra, exit_code, both, name_only", [
    ("show", [], 2, "the following arguments are required: --resource-group/-g, --name/-n",
     "the following arguments are required: --name/-n"),
    ("list-instances", [], 2, "the following arguments are required: --resource-group/-g, "
     "-n/--name/--virtual-machine-scale-set-name",
     "the following arguments are required: -n/--name/--virtual-machine-scale-set-name"),
    ("get-instance-view", [], 1, "(--resource-group --name | --ids) are required", "(--name | --ids) are required"),
    ("scale", ["--new-capacity", "1"], 1, "(--resource-group --name | --ids) are required",
     "(--name | --ids) are required"),
    ("delete", [], 1, "InvalidArgumentValue: Missing required field: --resource-group",
     "InvalidArgumentValue: Missing required field: -n"),
])
def test_missing_group_and_name(cli, command, extra, exit_code, both, name_only):
    result = cli(command, *extra)
    assert (result.exit_code, result.stdout) == (exit_code, "")
    assert result.stderr.startswith(f"ERROR: {both}\n")
    result = cli(command, "-g", "rg1", *extra)
    assert result.exit_code == exit_code
    assert result.stderr.startswith(f"ERROR: {name_only}\n")


def test_scale_needs_new_capacity_first(cli):
    result = cli("scale")
    assert (result.exit_code, result.stderr) == (2, usage_error("the following arguments are required: --new-capacity"))


def test_create_missing_arguments(cli):
    result = cli("create")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("ERROR: the following arguments are required: --name/-n, --resource-group/-g\n")


def test_unknown_flag_and_command_are_usage_errors(cli, s1):
    result = cli("show", "-g", "rg1", "-n", "s1", "--bogus")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("ERROR: unrecognized arguments: --bogus\n")
    result = cli("bogus")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("ERROR: 'bogus' is misspelled or not recognized by the system.\n")
    result = cli("group", "bogus")
    assert result.exit_code == 2
    assert result.stderr.startswith("ERROR: 'bogus' is misspelled or not recognized by the system.\n")
    result = cli("list", "-o", "xml")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", usage_error(
        "vmss list: 'xml' is not a valid value for '--output'. Allowed values: json, jsonc, yaml, yamlc, table, tsv, "
        "none.", *examples_of("list")))
    # az 2.91 fails on it after parsing, with a traceback (exit 1); vmss says az's words in one line
    result = cli("scale", "-g", "rg1", "-n", "s1", "--new-capacity", "many")
    assert (result.exit_code, result.stderr) == (
        1, "ERROR: Invalid value for '--new-capacity': Expect <class 'int'>, got many (<class 'str'>)\n")
    result = cli("create", "-g", "rg1", "-n", "s2", "--instance-count", "many")
    assert (result.exit_code, result.stderr) == (2, usage_error("argument --instance-count: invalid int value: 'many'",
                                                                *examples_of("create")))
    result = cli("show", "-g", "rg1", "-n", "s1", "extra", "words")
    assert (result.exit_code, result.stderr) == (2, usage_error("unrecognized arguments: extra words"))
    result = cli("show", "-g", "rg1", "-n")
    assert (result.exit_code, result.stderr) == (2, usage_error("argument --name/-n: expected one argument",
                                                                *examples_of("show")))
    result = cli("list-instances", "-g", "rg1", "-n")
    assert result.stderr.startswith("ERROR: argument -n/--name/--virtual-machine-scale-set-name: expected one argument\n")


def test_h_is_help_everywhere(cli):
    for words in (["show"], ["rolling-upgrade", "start"], ["group", "list"], ["image", "list"]):
        result = cli(*words, "-h")
        assert result.exit_code == 0
        assert result.stdout.startswith(f"Usage: vmss {' '.join(words)} ")


def test_unknown_subscription(cli, s1):
    result = cli("show", "-g", "rg1", "-n", "s1", "--subscription", "bogus")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("WARNING: Subscription 'bogus' not recognized.\n"
                             "ERROR: Subscription 'bogus' not found. Check the spelling and casing and try again.\n")
    quiet = cli("show", "-g", "rg1", "-n", "s1", "--subscription", "bogus", "--only-show-errors")
    assert quiet.stderr == "ERROR: Subscription 'bogus' not found. Check the spelling and casing and try again.\n"


def test_query(cli, s1):
    result = ok(cli("show", "-g", "rg1", "-n", "s1", "--query", "{name: name, capacity: sku.capacity}"))
    assert result.stdout == '{\n  "capacity": 2,\n  "name": "s1"\n}\n'
    result = ok(cli("list", "--query", "[?name=='s1'].sku.name | [0]", "-o", "tsv"))
    assert result.stdout == "Standard_D2s_v5\n"
    assert ok(cli("show", "-g", "rg1", "-n", "s1", "--query", "nosuchkey")).stdout == ""  # null prints nothing


@pytest.mark.parametrize("query", ["[", "sku.", "[?name=='x'", "{a: }"])
def test_invalid_query_is_a_usage_error(cli, s1, query):
    result = cli("show", "-g", "rg1", "-n", "s1", "--query", query)
    assert (result.exit_code, result.stdout) == (2, "")
    # az 2.91: argparse's type error, then the --query link instead of the usage trailer
    assert result.stderr == (f"ERROR: argument --query: invalid jmespath_type value: '{query}'\n"
                             "To learn more about --query, please visit: "
                             "'https://learn.microsoft.com/cli/azure/query-azure-cli'\n")


@pytest.mark.parametrize("query, message", [
    ("nosuchfn(@)", "Unknown function: nosuchfn()"),
    ("length(@, @)", "Expected 1 argument for function length(), received 2"),
    ("[?sku.capacity > '2']", "'>' not supported between instances of 'int' and 'str'"),
])
def test_query_runtime_error_is_exit_1_with_azs_text(cli, s1, query, message):
    result = cli("list", "--query", query)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"ERROR: Invalid jmespath query supplied for `--query`: {message}\n"
                             "To learn more about --query, please visit: "
                             "'https://learn.microsoft.com/cli/azure/query-azure-cli'\n")


def test_global_arguments_anywhere_on_the_line(cli, s1):
    a = ok(cli("-o", "tsv", "show", "--query", "name", "-g", "rg1", "-n", "s1"))
    b = ok(cli("show", "-g", "rg1", "--output=tsv", "-n", "s1", "--query=name"))
    c = ok(cli("show", "-g", "rg1", "-n", "s1", "--query", "name", "-o", "TSV"))  # az lower-cases -o
    assert a.stdout == b.stdout == c.stdout == "s1\n"


def test_list_options_take_several_values_after_one_flag(cli, rg):
    ok(cli("create", "-g", rg, "-n", "s1", "--zones", "1", "2", "--tags", "a=1", "b=2", "--instance-count", "3"))
    shown = ok(cli("show", "-g", rg, "-n", "s1", "--query", "[zones, tags]")).json
    assert shown == [["1", "2"], {"a": "1", "b": "2"}]
    repeated = ok(cli("create", "-g", rg, "-n", "s2", "--zones", "1", "--zones=3", "-o", "none"))
    assert repeated.stdout == ""
    assert ok(cli("show", "-g", rg, "-n", "s2", "--query", "zones")).json == ["1", "3"]


def test_list(cli, rg):
    assert ok(cli("list")).stdout == "[]\n"
    ok(cli("create", "-g", rg, "-n", "b"))
    ok(cli("create", "-g", rg, "-n", "a"))
    ok(cli("group", "create", "-n", "rg0", "-l", "westus"))
    ok(cli("create", "-g", "rg0", "-n", "c"))
    listed = ok(cli("list")).json
    assert [(s["resourceGroup"], s["name"]) for s in listed] == [("rg0", "c"), ("rg1", "a"), ("rg1", "b")]
    assert all(set(s) == SHOW_KEYS for s in listed)
    assert ok(cli("list", "-g", rg, "--query", "[].name")).json == ["a", "b"]
    missing = cli("list", "-g", "nope")
    assert (missing.exit_code, missing.stderr) == (
        3, service_error("ResourceGroupNotFound", "Resource group 'nope' could not be found."))


def test_show_and_list_tables_use_az_columns(cli, rg):
    ok(cli("create", "-g", rg, "-n", "s1"))
    ok(cli("create", "-g", rg, "-n", "u1", "--orchestration-mode", "Uniform", "--zones", "1", "2",
           "--upgrade-policy-mode", "Rolling", "--instance-count", "4"))
    # az 2.91's text (measured through the differential tier): tabulate's padding, zones joined by a space
    header = ("Name    ResourceGroup    Location    Zones    Capacity    Overprovision    UpgradePolicy\n"
              "------  ---------------  ----------  -------  ----------  ---------------  ---------------\n")
    assert ok(cli("show", "-g", rg, "-n", "s1", "-o", "table")).stdout == (
        header + "s1      rg1              eastus               2           False            Manual\n")
    assert ok(cli("list", "-o", "table")).stdout == (
        header + "s1      rg1              eastus               2           False            Manual\n"
                 "u1      rg1              eastus      1 2      4           True             Rolling\n")


def test_delete(cli, s1, vmss_home):
    result = ok(cli("delete", "-g", "rg1", "-n", "s1"))
    assert result.stdout == ""
    assert not (vmss_home / "resourceGroups" / "rg1" / "virtualMachineScaleSets" / "s1.json").exists()
    again = cli("delete", "-g", "rg1", "-n", "s1")
    assert (again.exit_code, again.stderr) == (0, "")  # az 2.91 (AAZ) takes the 404 as done
    ok(cli("create", "-g", "rg1", "-n", "s1"))  # the name is free again


def test_delete_by_id(cli, s1):
    rid = f"{RG_ID}/providers/{SS_TYPE}/s1"
    ok(cli("delete", "--ids", rid))
    assert cli("show", "-g", "rg1", "-n", "s1").exit_code == 3


def test_scale_out_and_in(cli, s1):
    scaled = ok(cli("scale", "-g", "rg1", "-n", "s1", "--new-capacity", "4"))
    assert set(scaled.json) == SHOW_KEYS
    assert scaled.json["sku"]["capacity"] == 4
    ids = ok(cli("list-instances", "-g", "rg1", "-n", "s1", "--query", "[].instanceId")).json
    assert ids == ["0", "1", "2", "3"]
    ok(cli("scale", "-g", "rg1", "-n", "s1", "--new-capacity", "1"))
    assert ok(cli("list-instances", "-g", "rg1", "-n", "s1", "--query", "[].instanceId")).json == ["0"]
    ok(cli("scale", "-g", "rg1", "-n", "s1", "--new-capacity", "2"))
    # instance ids are never reused, as in Azure
    assert ok(cli("list-instances", "-g", "rg1", "-n", "s1", "--query", "[].instanceId")).json == ["0", "4"]
    assert ok(cli("show", "-g", "rg1", "-n", "s1", "--query", "sku.capacity")).stdout == "2\n"
    assert ok(cli("scale", "-g", "rg1", "-n", "s1", "--new-capacity", "0", "--no-wait")).stdout == ""
    assert ok(cli("list-instances", "-g", "rg1", "-n", "s1")).stdout == "[]\n"


def test_scale_out_of_range(cli, s1):
    result = cli("scale", "-g", "rg1", "-n", "s1", "--new-capacity", "1001")
    assert (result.exit_code, result.stdout) == (1, "")
    # az 2.91's scale PUTs the sku: the service's check of a PUT (the differential tier, through the fake endpoint)
    assert result.stderr == (
        "ERROR: (InvalidParameter) The value 1001 of parameter 'sku.capacity' is out of range. The value must be an "
        "integer between 0 and 1000, inclusive.\nCode: InvalidParameter\nMessage: The value 1001 of parameter "
        "'sku.capacity' is out of range. The value must be an integer between 0 and 1000, inclusive.\n"
        "Target: sku.capacity\n")


def test_list_instances(cli, rg):
    ok(cli("create", "-g", rg, "-n", "s1", "--orchestration-mode", "Uniform", "--instance-count", "3"))
    instances = ok(cli("list-instances", "-g", rg, "-n", "s1")).json
    assert [i["instanceId"] for i in instances] == ["0", "1", "2"]
    assert all(set(i) == INSTANCE_KEYS for i in instances)
    first = instances[0]
    assert first["id"] == f"{RG_ID}/providers/{SS_TYPE}/s1/virtualMachines/0"
    assert (first["name"], first["type"]) == ("s1_0", f"{SS_TYPE}/virtualMachines")
    assert (first["latestModelApplied"], first["provisioningState"]) == (True, "Succeeded")
    assert first["storageProfile"]["imageReference"]["version"] == "latest"
    exact = first["storageProfile"]["imageReference"]["exactVersion"]
    assert re.fullmatch(r"22\.04\.\d{9}", exact)
    assert GUID.match(first["vmId"])
    assert len({i["vmId"] for i in instances}) == 3
    assert first["storageProfile"]["osDisk"]["name"].startswith("s1_0_OsDisk_1_")
    same = ok(cli("show", "-g", rg, "-n", "s1", "--instance-id", "0")).json
    assert same == first
    missing = cli("show", "-g", rg, "-n", "s1", "--instance-id", "9")
    assert (missing.exit_code, missing.stderr) == (3, service_error(
        "ResourceNotFound", f"The Resource '{SS_TYPE}/s1/virtualMachines/9' under resource group 'rg1' was not found. "
                            "For more details please go to https://aka.ms/ARMResourceNotFoundFix"))


def test_get_instance_view(cli, rg):
    ok(cli("create", "-g", rg, "-n", "s1", "--upgrade-policy-mode", "Rolling"))
    summary = ok(cli("get-instance-view", "-g", rg, "-n", "s1")).json
    assert set(summary) == SET_INSTANCE_VIEW_KEYS
    assert summary["virtualMachine"] == {"statusesSummary": [{"code": "PowerState/running", "count": 2},
                                                             {"code": "ProvisioningState/succeeded", "count": 2}]}
    assert summary["extensions"] == [{"name": "ApplicationHealthLinux", "statusesSummary": [
        {"code": "ProvisioningState/succeeded", "count": 2}]}]

    one = ok(cli("get-instance-view", "-g", rg, "-n", "s1", "--instance-id", "1")).json
    assert set(one) == INSTANCE_VIEW_KEYS | {"vmHealth"}
    assert (one["platformUpdateDomain"], one["platformFaultDomain"]) == (1, 0)
    assert one["statuses"] == [
        {"code": "ProvisioningState/succeeded", "displayStatus": "Provisioning succeeded", "level": "Info",
         "time": START},
        {"code": "PowerState/running", "displayStatus": "VM running", "level": "Info"}]
    assert one["vmHealth"] == {"status": {"code": "HealthState/healthy", "displayStatus": "The VM is healthy",
                                          "level": "Info"}}
    assert one["extensions"][0]["name"] == "ApplicationHealthLinux"
    assert one["extensions"][0]["type"] == "Microsoft.ManagedServices.ApplicationHealthLinux"
    table = ok(cli("get-instance-view", "-g", rg, "-n", "s1", "--instance-id", "1", "-o", "table")).stdout
    assert table == ("ProvisioningState       PowerState\n"
                     "----------------------  ------------\n"
                     "Provisioning succeeded  VM running\n")
    # az's transformer reads statuses[1], which the scale set's own view lacks: one column
    assert ok(cli("get-instance-view", "-g", rg, "-n", "s1", "-o", "table")).stdout == (
        "ProvisioningState\n----------------------\nProvisioning succeeded\n")

    every = ok(cli("get-instance-view", "-g", rg, "-n", "s1", "--instance-id", "*")).json
    assert len(every) == 2
    assert every[1] == one
    assert all(set(v) == INSTANCE_VIEW_KEYS | {"vmHealth"} for v in every)


def test_instance_view_without_health_source_has_no_vm_health(cli, s1):
    one = ok(cli("get-instance-view", "-g", "rg1", "-n", "s1", "--instance-id", "0")).json
    assert set(one) == INSTANCE_VIEW_KEYS
