"""`vmss import`: a production scale set's JSON (az form or ARM GET body) becomes a scale set in the
store that shows, plans and rolls out like the original; what Azure would refuse is refused with
Azure's error and leaves the store byte-identical."""

from __future__ import annotations

import copy
import io
import json
import sys

import pytest

from tests.util import REPO, snapshot

FIXTURES = REPO / "tests" / "fixtures" / "import"
AZ_FILE = FIXTURES / "web-prod.az.json"
ARM_FILE = FIXTURES / "orders-api.arm.json"
SUB = "00000000-0000-0000-0000-000000000000"
NO_HEALTH_SOURCE = ("Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because a health probe "
                    "or health extension was not specified.")


def az_body() -> dict:
    return json.loads(AZ_FILE.read_text())


def arm_body() -> dict:
    return json.loads(ARM_FILE.read_text())


def write(tmp_path, body, name="set.json"):
    path = tmp_path / name
    path.write_text(body if isinstance(body, str) else json.dumps(body))
    return path


def service_error(code: str, message: str, target: str | None = None) -> str:
    return (f"ERROR: ({code}) {message}\nCode: {code}\nMessage: {message}\n"
            + (f"Target: {target}\n" if target else ""))


AUTO_TARGET = "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade"


def assert_refused(cli, tmp_path, body: dict, rg: str, message: str, target: str | None = AUTO_TARGET,
                   code: str = "InvalidParameter") -> None:
    """Importing `body` fails with Azure's `code` and `message`, exit 1, nothing on stdout."""
    result = cli("import", "-g", rg, "--file", write(tmp_path, body), "--only-show-errors")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == service_error(code, message, target)


def without_health_extension(body: dict) -> dict:
    body = copy.deepcopy(body)
    exts = body["virtualMachineProfile"]["extensionProfile"]["extensions"]
    body["virtualMachineProfile"]["extensionProfile"]["extensions"] = [
        e for e in exts if e["type"] != "ApplicationHealthLinux"]
    return body


AZ_WARNINGS = (
    "WARNING: Resource group 'rehearsal' did not exist: created in westeurope.\n"
    "WARNING: Read-only properties dropped (a new scale set gets its own): etag, provisioningState, timeCreated, "
    "uniqueId, virtualMachineProfile.extensionProfile.extensions[*].provisioningState, "
    "virtualMachineProfile.timeCreated.\n"
    "WARNING: 3 resource id(s) named subscription(s) '7c4b2e91-58d3-4f0a-9b6e-2d81c5a3f047'; they now name this "
    f"store's subscription '{SUB}' (resource groups and names kept).\n")


def expected_show(original: dict, rg: str, shown: dict) -> dict:
    """What `vmss show` must print for an imported az-form set: the original, minus what a new resource
    cannot keep (read-only values, regenerated; ids moved into the store's subscription)."""
    want = copy.deepcopy(original)
    want.pop("etag")
    name = want["name"]
    want["id"] = f"/subscriptions/{SUB}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}"
    want["resourceGroup"] = rg
    for key in ("uniqueId", "timeCreated"):
        assert shown[key] != want[key]
        want[key] = shown[key]
    want["virtualMachineProfile"]["timeCreated"] = shown["virtualMachineProfile"]["timeCreated"]
    for ext in want["virtualMachineProfile"]["extensionProfile"]["extensions"]:
        ext.pop("provisioningState")
    text = json.dumps(want).replace("/subscriptions/7c4b2e91-58d3-4f0a-9b6e-2d81c5a3f047/", f"/subscriptions/{SUB}/")
    want = json.loads(text.replace("sig=4mE0bQzC3m0gq9PQm2l%2FBmXH9yHk1Xw0Q2f8pYq1v3E%3D", "sig=REDACTED"))
    # an extension's settings are the user's data: an id inside them is left as it was
    monitor = original["virtualMachineProfile"]["extensionProfile"]["extensions"][0]["settings"]
    want["virtualMachineProfile"]["extensionProfile"]["extensions"][0]["settings"] = monitor
    return want


def test_an_az_show_json_imports_and_shows_back_the_same_set(cli):
    result = cli("import", "-g", "rehearsal", "--file", AZ_FILE)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == AZ_WARNINGS
    shown = cli("show", "-g", "rehearsal", "-n", "web-prod").json
    assert result.json == shown
    original = az_body()
    for key in ("upgradePolicy", "zones", "sku", "tags", "location", "scaleInPolicy", "automaticRepairsPolicy"):
        assert shown[key] == original[key], key
    assert shown == expected_show(original, "rehearsal", shown)
    group = cli("group", "show", "-n", "rehearsal").json
    assert group["location"] == "westeurope"
    rows = cli("list-instances", "-g", "rehearsal", "-n", "web-prod", "--query",
               "[].[instanceId, zones[0], storageProfile.imageReference.exactVersion, "
               "length(storageProfile.dataDisks)]", "-o", "tsv").stdout.splitlines()
    assert rows == [f"{i}\t{i % 3 + 1}\t18.04.202405140\t2" for i in range(12)]


def test_an_arm_get_body_imports_with_nested_properties_read(cli):
    result = cli("import", "-g", "orders", "--file", ARM_FILE)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "WARNING: Resource group 'orders' did not exist: created in northeurope.\n"
        "WARNING: Read-only properties dropped (a new scale set gets its own): etag, identity.principalId, "
        "identity.tenantId, provisioningState, timeCreated, uniqueId, "
        "virtualMachineProfile.extensionProfile.extensions[*].provisioningState, virtualMachineProfile.timeCreated.\n"
        "WARNING: 2 resource id(s) named subscription(s) '2e8a6d13-9c47-4b1f-a5d0-8f3b71c2e964'; they now name this "
        f"store's subscription '{SUB}' (resource groups and names kept).\n")
    shown = cli("show", "-g", "orders", "-n", "orders-api").json
    props = arm_body()["properties"]
    assert shown["upgradePolicy"] == props["upgradePolicy"]
    assert shown["sku"] == arm_body()["sku"] and shown["zones"] == ["1", "2", "3"]
    assert shown["identity"] == {"type": "SystemAssigned"}
    assert shown["scaleInPolicy"] == props["scaleInPolicy"] and shown["zoneBalance"] is True
    vmp = props["virtualMachineProfile"]
    assert shown["virtualMachineProfile"]["extensionProfile"]["extensions"] == [
        dict({k: v for k, v in e["properties"].items() if k != "provisioningState"}, name=e["name"])
        for e in vmp["extensionProfile"]["extensions"]]
    assert shown["virtualMachineProfile"]["storageProfile"]["dataDisks"] == vmp["storageProfile"]["dataDisks"]
    assert shown["virtualMachineProfile"]["osProfile"]["windowsConfiguration"] == \
        vmp["osProfile"]["windowsConfiguration"]
    nic = shown["virtualMachineProfile"]["networkProfile"]["networkInterfaceConfigurations"][0]
    assert nic["ipConfigurations"][0]["subnet"] == {
        "id": f"/subscriptions/{SUB}/resourceGroups/net-prod-neu/providers/Microsoft.Network/virtualNetworks/"
              "vnet-prod-neu/subnets/snet-orders", "resourceGroup": "net-prod-neu"}


def test_a_vmss_show_round_trip_changes_only_what_a_new_resource_owns(cli, rg, tmp_path):
    created = cli("create", "-g", rg, "-n", "web", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
                  "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling", "--zones", "1", "2",
                  "--data-disk-sizes-gb", "64", "--instance-count", "4", "--enable-auto-os-upgrade", "true",
                  "-o", "none")
    assert created.exit_code == 0, created.stderr
    exported = cli("show", "-g", rg, "-n", "web").json
    result = cli("import", "-g", "copy", "--file", write(tmp_path, exported), "-o", "none")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "WARNING: Resource group 'copy' did not exist: created in eastus.\n"
        "WARNING: Read-only properties dropped (a new scale set gets its own): provisioningState, timeCreated, "
        "uniqueId, virtualMachineProfile.timeCreated.\n")
    imported = cli("show", "-g", "copy", "-n", "web").json
    changed = {k for k in exported if exported[k] != imported[k]}
    assert changed == {"id", "resourceGroup", "uniqueId"}  # same world time: timeCreated is the same


def test_file_dash_reads_standard_input(cli, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARM_FILE.read_bytes())))
    result = cli("import", "-g", "orders", "-n", "orders-copy", "--file", "-", "--only-show-errors",
                 "--query", "[name, sku.capacity]", "-o", "tsv")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "orders-copy\n9\n", "")


def test_plan_and_a_real_rollout_run_on_an_imported_set(cli):
    assert cli("import", "-g", "rehearsal", "--file", AZ_FILE, "-o", "none").exit_code == 0
    published = cli("sim", "image", "publish", "-l", "westeurope", "-p", "Canonical", "-f", "UbuntuServer",
                    "-s", "18.04-LTS", "--version", "18.04.202406010", "--fail-percent", "30", "-o", "none")
    assert published.exit_code == 0, published.stderr
    plan = cli("rolling-upgrade", "plan", "-g", "rehearsal", "-n", "web-prod").json
    # the set's own policy (useRollingUpgradePolicy): 20 % of 12 = 2 per batch, one zone per batch, PT2M pauses
    assert plan["startedBy"] == "Platform"
    assert plan["policy"]["pauseTimeBetweenBatches"] == "PT2M"
    assert [(b["instanceIds"], b["zones"], b["failedInstanceIds"]) for b in plan["batches"]] == [
        (["0", "6"], ["1"], []), (["3", "9"], ["1"], ["3"])]
    assert plan["batches"][1]["startTime"] == "2026-01-01T00:06:00+00:00"  # batch 1 ends 00:04:00, then PT2M
    assert plan["result"]["code"] == "Faulted"
    assert plan["result"]["error"] == "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade"
    advanced = cli("sim", "clock", "advance", "4h", "--only-show-errors", "-o", "none")
    assert advanced.exit_code == 0, advanced.stderr
    history = cli("get-os-upgrade-history", "-g", "rehearsal", "-n", "web-prod").json
    assert len(history) == 1
    run = history[0]["properties"]
    assert (run["startedBy"], run["runningStatus"]["code"], run["error"]["code"]) == (
        "Platform", "Faulted", plan["result"]["error"])
    assert (run["progress"]["successfulInstanceCount"], run["progress"]["failedInstanceCount"],
            run["rollbackInfo"]["successfullyRolledbackInstanceCount"]) == (3, 1, 1)  # as planned: 0, 6, 9 ok; 3 back


def test_a_manual_rollout_of_a_good_release_completes_on_an_imported_arm_set(cli):
    assert cli("import", "-g", "orders", "--file", ARM_FILE, "-o", "none").exit_code == 0
    assert cli("sim", "image", "publish", "-l", "northeurope", "-p", "MicrosoftWindowsServer", "-f", "WindowsServer",
               "-s", "2019-Datacenter", "--version", "17763.5576.240304", "-o", "none").exit_code == 0
    started = cli("rolling-upgrade", "start", "-g", "orders", "-n", "orders-api", "--only-show-errors")
    assert (started.exit_code, started.stderr) == (0, "")
    latest = cli("rolling-upgrade", "get-latest", "-g", "orders", "-n", "orders-api").json
    assert latest["runningStatus"]["code"] == "Completed"
    assert latest["progress"]["successfulInstanceCount"] == 9
    versions = cli("list-instances", "-g", "orders", "-n", "orders-api", "--query",
                   "[].storageProfile.imageReference.exactVersion", "-o", "tsv").stdout.split()
    assert versions == ["17763.5576.240304"] * 9


# --- what Azure refuses, refused; the store byte-identical --------------------------------------------

@pytest.fixture
def store(cli, vmss_home):
    """A store that exists (a group), and a check that a command left it byte-identical."""
    assert cli("group", "create", "-n", "other", "-l", "eastus", "-o", "none").exit_code == 0
    before = snapshot(vmss_home)

    def unchanged():
        assert snapshot(vmss_home) == before
    return unchanged


def test_no_health_source_with_automatic_upgrade_is_refused_with_azures_error(cli, store, tmp_path):
    assert_refused(cli, tmp_path, without_health_extension(az_body()), "rehearsal", NO_HEALTH_SOURCE)
    store()


def test_an_image_without_automatic_upgrade_support_is_refused(cli, store, tmp_path):
    body = az_body()
    body["virtualMachineProfile"]["storageProfile"]["imageReference"].update(
        offer="0001-com-ubuntu-server-jammy", sku="22_04-lts-gen2")
    assert_refused(cli, tmp_path, body, "rehearsal", "Automatic OS Upgrade cannot be enabled on "
                   "virtualMachineScaleSets configured with a Platform Image.", target=None, code="BadRequest")
    store()


def test_skip_validation_imports_with_a_warning_and_plan_shows_the_consequence(cli, store, tmp_path):
    body = az_body()
    body["virtualMachineProfile"]["storageProfile"]["imageReference"]["version"] = "18.04.202405140"
    path = write(tmp_path, body)
    message = ("virtualMachineScaleSets with Automatic OS Upgrade enabled must use Platform or Gallery Image with "
               "version set to 'latest'.")
    assert_refused(cli, tmp_path, body, "rehearsal", message,
                   "virtualMachineProfile.storageProfile.imageReference.version")
    store()
    result = cli("import", "-g", "rehearsal", "--file", path, "--skip-validation", "-o", "none")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"WARNING: --skip-validation: Azure would refuse this scale set: (InvalidParameter) {message} Imported anyway; "
        "'vmss rolling-upgrade plan' shows what a rollout would do.")
    plan = cli("rolling-upgrade", "plan", "-g", "rehearsal", "-n", "web-prod")
    assert plan.exit_code == 1
    warning, error = plan.stderr.split("\n", 1)
    assert warning == f"WARNING: Azure would refuse this scale set's model: (InvalidParameter) {message}"
    assert error.startswith("ERROR: (OperationNotAllowed) The OS Rolling Upgrade API cannot be used on a Virtual "
                            "Machine Scale Set unless")


def test_skip_validation_without_a_health_source_plans_on_power_state(cli, tmp_path):
    path = write(tmp_path, without_health_extension(az_body()))
    result = cli("import", "-g", "rehearsal", "--file", path, "--skip-validation", "-o", "none")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1] == (
        f"WARNING: --skip-validation: Azure would refuse this scale set: (InvalidParameter) {NO_HEALTH_SOURCE} "
        "Imported anyway; 'vmss rolling-upgrade plan' shows what a rollout would do.")
    plan = cli("rolling-upgrade", "plan", "-g", "rehearsal", "-n", "web-prod", "--target-version",
               "18.04.202406010")
    assert plan.stderr == f"WARNING: Azure would refuse this scale set's model: (InvalidParameter) {NO_HEALTH_SOURCE}\n"
    assert plan.json["result"]["code"] == "Completed"  # gated on power state and extension provisioning only
    valid = cli("import", "-g", "rehearsal", "-n", "valid", "--file", AZ_FILE, "-o", "none", "--only-show-errors")
    assert valid.exit_code == 0
    assert cli("rolling-upgrade", "plan", "-g", "rehearsal", "-n", "valid", "--target-version",
               "18.04.202406010", "-o", "none").stderr == ""


def test_skip_validation_does_not_waive_value_checks(cli, store, tmp_path):
    body = az_body()
    body["sku"]["capacity"] = 1001
    for extra in ((), ("--skip-validation",)):
        result = cli("import", "-g", "rehearsal", "--file", write(tmp_path, body), "--only-show-errors", *extra)
        assert result.exit_code == 1
        assert result.stderr == service_error(
            "InvalidParameter", "The value 1001 of parameter 'sku.capacity' is out of range. The value must be an "
            "integer between 0 and 1000, inclusive.", "sku.capacity")
        store()


def test_a_name_conflict_is_creates_conflict(cli, store, tmp_path):
    created = cli("create", "-g", "other", "-n", "web-prod", "--image", "Ubuntu2204", "-o", "none")
    assert created.exit_code == 0, created.stderr
    again = cli("create", "-g", "other", "-n", "web-prod", "--image", "Ubuntu2204", "-o", "none")
    imported = cli("import", "-g", "other", "--file", AZ_FILE, "-o", "none", "--only-show-errors")
    assert imported.exit_code == again.exit_code == 1
    assert imported.stderr == again.stderr == service_error(
        "Conflict", "The scale set 'web-prod' already exists in resource group 'other'. Use 'vmss update' to change "
        "it or 'vmss delete' first.")


def test_azures_own_get_example_is_refused_for_its_image(cli, store, tmp_path):
    example = json.loads((REPO / "tests/fixtures/arm/examples/VirtualMachineScaleSet_Get.json").read_text())
    path = write(tmp_path, example["responses"]["200"]["body"])
    result = cli("import", "-g", "rehearsal", "--file", path, "--only-show-errors")
    assert result.exit_code == 1
    assert result.stderr == service_error(
        "PlatformImageNotFound", "The platform image 'azuredatabricks:databricks:databricksworker:3.15.2' is not "
        "available. Verify that all fields in the storage profile are correct.")
    store()


@pytest.mark.parametrize("content, code, message", [
    ("not json", 1, "Failed to parse '{path}', please check whether it is a valid JSON format"),
    ("[{}]", 1, "'{path}' holds a JSON array; vmss import takes one scale set, the JSON object that "
                "'az vmss show -o json' prints (for a list, pick one with --query \"[0]\")."),
    ('"web"', 1, "'{path}' holds a JSON string, not a scale set: vmss import takes the JSON object that "
                 "'az vmss show -o json' prints."),
    ("[" * 100_000, 1, "Failed to parse '{path}', please check whether it is a valid JSON format"),
    ('{"a":' * 100 + "1" + "}" * 100, 1, "'{path}' is nested more than 64 levels deep; a scale set is not."),
    ('{"location": "westeurope", "sku": {"capacity": 1}}', 2,
     "the following arguments are required: --name/-n (the file names no scale set)"),
    (b"\xff\xfe{", 1, "Failed to parse '{path}', please check whether it is a valid JSON format"),
])
def test_malformed_files_give_one_clear_line(cli, store, tmp_path, content, code, message):
    path = tmp_path / "set.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result = cli("import", "-g", "rehearsal", "--file", path)
    assert (result.exit_code, result.stdout) == (code, "")
    # a usage error (exit 2) ends with az's trailer
    assert result.stderr.startswith(f"ERROR: {message.format(path=path)}\n")
    assert result.stderr.endswith("\n" if code != 2 else "Read more about the command in reference docs\n")
    store()


@pytest.mark.parametrize("edit, error", [
    (lambda b: b.pop("location"), service_error(
        "LocationRequired", "The 'location' property is required for this definition.")),
    (lambda b: b.pop("sku"), service_error("InvalidParameter", "Required parameter 'sku' is missing (null).", "sku")),
    (lambda b: b.pop("virtualMachineProfile"), service_error(
        "InvalidParameter", "Required parameter 'virtualMachineProfile' is missing (null).", "virtualMachineProfile")),
    (lambda b: b["sku"].update(capacity="many"), service_error(
        "InvalidRequestContent", "The request content was invalid and could not be deserialized: Error converting "
        "value \"many\" to type 'Int32'. Path 'sku.capacity'.", "sku.capacity")),
    (lambda b: b["upgradePolicy"]["rollingUpgradePolicy"].update(maxBatchInstancePercent=150), service_error(
        "InvalidParameter", "The value 150 of parameter 'upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent' "
        "is out of range. The value must be between 5 and 100, inclusive.",
        "upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent")),
    (lambda b: b["virtualMachineProfile"]["extensionProfile"]["extensions"][0].update(
        provisionAfterExtensions=["HealthExtension"]), service_error(
        "InvalidParameter", "The provisionAfterExtensions of extensions AzureMonitorLinuxAgent, HealthExtension, "
        "storefront-bootstrap form a cycle; extension sequencing needs an order in which every extension runs after "
        "the ones it names.", "virtualMachineProfile.extensionProfile.extensions.provisionAfterExtensions")),
])
def test_a_model_azure_would_refuse_stores_nothing(cli, store, tmp_path, edit, error):
    body = az_body()
    edit(body)
    result = cli("import", "-g", "rehearsal", "--file", write(tmp_path, body), "--only-show-errors")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", error)
    store()


def test_files_that_cannot_be_read(cli, store, tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (4 * 1024 * 1024 + 1))
    cases = {
        str(tmp_path / "missing.json"): f"[Errno 2] No such file or directory: '{tmp_path / 'missing.json'}'",
        str(tmp_path): f"[Errno 21] Is a directory: '{tmp_path}'",
        str(big): f"'{big}' is larger than 4194304 bytes (4 MB), the most vmss import reads; a scale set's JSON "
                  "is a few KB.",
        "/dev/zero": "'/dev/zero' is larger than 4194304 bytes (4 MB), the most vmss import reads; a scale set's "
                     "JSON is a few KB.",
    }
    for path, message in cases.items():
        result = cli("import", "-g", "rehearsal", "--file", path)
        assert (result.exit_code, result.stderr) == (1, f"ERROR: {message}\n"), path
    store()
    usage = cli("import", "--file", AZ_FILE)
    assert (usage.exit_code, usage.stderr.splitlines()[0]) == (
        2, "ERROR: the following arguments are required: --resource-group/-g")
    usage = cli("import", "-g", "rehearsal")
    assert (usage.exit_code, usage.stderr.splitlines()[0]) == (2, "ERROR: the following arguments are required: --file/-f")
    store()


# --- secrets, az's spellings, unknown properties ------------------------------------------------------

def test_secrets_are_never_stored_in_clear_nor_echoed(cli, vmss_home, tmp_path):
    body = az_body()
    os_profile = body["virtualMachineProfile"]["osProfile"]
    os_profile.update(adminPassword="Pr0d-P@ssw0rd-123!", customData="IyEvYmluL2Jhc2gKZWNobyBjdXN0b20tZGF0YS1zZWNyZXQ=")
    boot = body["virtualMachineProfile"]["extensionProfile"]["extensions"][1]
    boot["protectedSettings"] = {"storageAccountKey": "c2VjcmV0LXN0b3JhZ2Uta2V5LXZhbHVl",
                                 "managedIdentity": {}, "tokenExpiry": "2026-03-01T00:00:00Z"}
    result = cli("import", "-g", "rehearsal", "--file", write(tmp_path, body))
    assert result.exit_code == 0, result.stderr
    assert ("WARNING: osProfile.adminPassword is not stored: vmss never needs it (and a GET never returns it).\n"
            "WARNING: Extension 'storefront-bootstrap': protectedSettings are not stored except the credential "
            "expiry they name (2026-03-01T00:00:00+00:00).\n") in result.stderr
    shown = cli("show", "-g", "rehearsal", "-n", "web-prod").stdout
    stored = b"".join(content for _, content in snapshot(vmss_home).values() if content)
    for secret in ("Pr0d-P@ssw0rd-123!", "c2VjcmV0LXN0b3JhZ2Uta2V5LXZhbHVl"):
        assert secret not in result.stdout + result.stderr + shown
        assert secret.encode() not in stored
    assert "customData" not in result.stdout and "IyEvYmluL2Jhc2gK" not in result.stderr
    doc = json.loads((vmss_home / "resourceGroups/rehearsal/virtualMachineScaleSets/web-prod.json").read_text())
    assert doc["secrets"] == {"adminPassword": None,
                              "protectedSettings": {"storefront-bootstrap": {"expiry": "2026-03-01T00:00:00+00:00"}}}


def test_older_az_spellings_and_unknown_properties(cli, tmp_path):
    """az before the AAZ commands printed SDK attribute names (diskSizeGb, typePropertiesType for an
    extension's type); names match ignoring case as the service's deserializer does. Properties the
    Compute API does not define are kept and shown back."""
    body = az_body()
    vmp = body["virtualMachineProfile"]
    for ext in vmp["extensionProfile"]["extensions"]:
        ext["typePropertiesType"] = ext.pop("type")
        ext["type"] = "Microsoft.Compute/virtualMachineScaleSets/extensions"
    vmp["storageProfile"]["dataDisks"][0]["diskSizeGb"] = vmp["storageProfile"]["dataDisks"][0].pop("diskSizeGB")
    vmp["storageProfile"]["imageReference"]["exactVersion"] = "18.04.202401161"
    body["futureResiliencyMode"] = {"level": "High"}
    vmp["extensionProfile"]["extensions"][0]["futureFlag"] = True
    result = cli("import", "-g", "rehearsal", "--file", write(tmp_path, body))
    assert result.exit_code == 0, result.stderr  # the health extension was recognised: auto upgrade is valid
    warnings = result.stderr.splitlines()
    assert ("WARNING: Not in the Compute API's scale set model, kept as given and not emulated: futureResiliencyMode, "
            "virtualMachineProfile.extensionProfile.extensions[*].futureFlag.") in warnings
    assert ("WARNING: imageReference.exactVersion 18.04.202401161 is the production set's: the 12 instances run "
            "18.04.202405140, the version vmss offers in westeurope.") in warnings
    shown = cli("show", "-g", "rehearsal", "-n", "web-prod").json
    assert shown["futureResiliencyMode"] == {"level": "High"}
    exts = shown["virtualMachineProfile"]["extensionProfile"]["extensions"]
    assert [e["type"] for e in exts] == ["AzureMonitorLinuxAgent", "CustomScript", "ApplicationHealthLinux"]
    assert exts[0]["futureFlag"] is True and "typePropertiesType" not in exts[0]
    assert shown["virtualMachineProfile"]["storageProfile"]["dataDisks"][0]["diskSizeGB"] == 256
    assert "exactVersion" not in shown["virtualMachineProfile"]["storageProfile"]["imageReference"]


def service_fabric_node_type(durability: str) -> dict:
    """The ARM fixture as a Service Fabric node type: the Service Fabric extension is its health source."""
    body = arm_body()
    body["properties"]["virtualMachineProfile"]["extensionProfile"]["extensions"][1] = {
        "name": "ServiceFabricNodeVmExt", "properties": {
            "provisioningState": "Succeeded", "autoUpgradeMinorVersion": True,
            "publisher": "Microsoft.Azure.ServiceFabric", "type": "ServiceFabricNode", "typeHandlerVersion": "1.1",
            "settings": {"clusterEndpoint": "https://northeurope.servicefabric.azure.com/runtime/clusters/"
                                            "5d0b0b3e-7f4b-4c55-9a4b-1f0f7b2a9c41",
                         "nodeTypeRef": "orders", "durabilityLevel": durability, "enableParallelJobs": True,
                         "dataPath": "D:\\SvcFab",
                         "certificate": {"thumbprint": "9F3A1C0B7E2D4F6A8B5C3D1E0F2A4B6C8D0E1F23",
                                         "x509StoreName": "My"}}}}
    return body


def test_service_fabric_settings_import_and_are_validated(cli, store, tmp_path):
    assert_refused(cli, tmp_path, service_fabric_node_type("Bronze"), "orders", "Automatic OS Upgrade is not "
                   "supported for this Virtual Machine Scale Set because the Service Fabric durability level is "
                   "Bronze; Silver or Gold is required.")
    store()
    silver = service_fabric_node_type("Silver")
    result = cli("import", "-g", "orders", "--file", write(tmp_path, silver), "--only-show-errors", "-o", "none")
    assert (result.exit_code, result.stderr) == (0, "")
    shown = cli("show", "-g", "orders", "-n", "orders-api").json
    ext = shown["virtualMachineProfile"]["extensionProfile"]["extensions"][1]
    assert ext["settings"] == silver["properties"]["virtualMachineProfile"]["extensionProfile"]["extensions"][1][
        "properties"]["settings"]
    declared = cli("sim", "service-fabric", "set", "-g", "orders", "-n", "orders-api", "--durability", "Silver",
                   "-o", "none")
    assert declared.exit_code == 0, declared.stderr
    plan = cli("rolling-upgrade", "plan", "-g", "orders", "-n", "orders-api", "--target-version",
               "17763.5576.240304").json
    assert plan["result"]["code"] == "Completed"
    assert all(len(b["updateDomains"]) == 1 for b in plan["batches"])  # one update domain per batch


def test_verbose_names_the_policy_traps_of_the_imported_set(cli, tmp_path):
    body = az_body()
    body["upgradePolicy"]["rollingUpgradePolicy"]["maxBatchInstancePercent"] = 50
    path = write(tmp_path, body)
    quiet = cli("import", "-g", "rehearsal", "--file", path, "-o", "none")
    assert quiet.stderr == AZ_WARNINGS
    loud = cli("import", "-g", "rehearsal", "-n", "web-prod-2", "--file", path, "-o", "none", "--verbose")
    assert loud.stderr.splitlines()[-1].startswith("INFO: Command ran in ")  # az's --verbose timing line
    assert loud.stderr.splitlines()[-2] == (
        "WARNING: maxBatchInstancePercent (50) is above maxUnhealthyInstancePercent (20): batches will be shrunk to "
        "stay within the unhealthy limit; Azure advises batch <= unhealthy.")
