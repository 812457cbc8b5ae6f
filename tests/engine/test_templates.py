"""ARM template deployments end to end through the CLI (`vmss deployment group create`), and the
seed's section "Deploy with a template" with the template the seed links to (tests/fixtures/templates)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vmss_cli.core.templates.expressions import unique_string

FIXTURE = str(Path(__file__).resolve().parent.parent / "fixtures" / "templates" / "autoupdate.json")
SUB = "00000000-0000-0000-0000-000000000000"
RG_ID = f"/subscriptions/{SUB}/resourceGroups/rg1"
SEED_PARAMETERS = ["vmssNamePrefix=myvmss", "instanceCount=3", "adminUsername=azureuser",
                   "adminPassword=Sup3r$ecret!"]


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def deploy(cli, template, *parameters, extra=()):
    args = ["deployment", "group", "create", "-g", "rg1", "--template-file", str(template)]
    if parameters:
        args += ["--parameters", *parameters]
    return cli(*args, *extra)


def write(tmp_path: Path, name: str, body) -> Path:
    path = tmp_path / name
    path.write_text(body if isinstance(body, str) else json.dumps(body, indent=2))
    return path


def store(home: Path) -> dict:
    return {p: p.read_bytes() for p in home.rglob("*.json")}


def template(resources=(), parameters=None, variables=None, outputs=None) -> dict:
    body = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "parameters": parameters or {}, "resources": list(resources)}
    if variables is not None:
        body["variables"] = variables
    if outputs is not None:
        body["outputs"] = outputs
    return body


def scale_set(name="ss", api="2023-09-01", image=None, policy=None, extensions=None, **properties) -> dict:
    profile = {"storageProfile": {"imageReference": image or {"publisher": "Canonical", "offer": "UbuntuServer",
                                                              "sku": "18.04-LTS", "version": "latest"}},
               "osProfile": {"computerNamePrefix": name, "adminUsername": "azureuser"},
               "extensionProfile": {"extensions": extensions or []}}
    return {"type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": api, "name": name,
            "location": "[resourceGroup().location]", "sku": {"name": "Standard_D2s_v5", "capacity": 2},
            "properties": {"upgradePolicy": policy or {"mode": "Manual"}, "virtualMachineProfile": profile,
                           **properties}}


HEALTH_EXTENSION = {"name": "HealthExtension", "properties": {
    "publisher": "Microsoft.ManagedServices", "type": "ApplicationHealthLinux", "typeHandlerVersion": "1.0",
    "settings": {"protocol": "http", "port": 80, "requestPath": "/"}}}


def test_seed_deploy_with_a_template(cli, rg, vmss_home):
    """The seed's autoupdate.json deploys unchanged with its four parameters, yields a Rolling scale
    set with automatic OS upgrades on (the legacy `automaticOSUpgrade` of api-version 2017-03-30),
    and a new image version published later rolls out through the platform."""
    r = deploy(cli, FIXTURE, *SEED_PARAMETERS)
    assert r.exit_code == 0
    assert r.stderr == "WARNING: Resource type 'Microsoft.Network/virtualNetworks' is not emulated; recorded only.\n"
    vnet = f"{RG_ID}/providers/Microsoft.Network/virtualNetworks/myvmssvnet"
    vmss = f"{RG_ID}/providers/Microsoft.Compute/virtualMachineScaleSets/myvmss"
    assert r.json == {
        "id": f"{RG_ID}/providers/Microsoft.Resources/deployments/autoupdate",
        "location": None,
        "name": "autoupdate",
        "properties": {
            "correlationId": r.json["properties"]["correlationId"],
            "debugSetting": None,
            "dependencies": [{"dependsOn": [{"id": vnet, "resourceGroup": "rg1", "resourceName": "myvmssvnet",
                                             "resourceType": "Microsoft.Network/virtualNetworks"}],
                              "id": vmss, "resourceGroup": "rg1", "resourceName": "myvmss",
                              "resourceType": "Microsoft.Compute/virtualMachineScaleSets"}],
            "duration": "PT0S",
            "error": None,
            "mode": "Incremental",
            "onErrorDeployment": None,
            "outputResources": [{"id": vnet, "resourceGroup": "rg1"}, {"id": vmss, "resourceGroup": "rg1"}],
            "outputs": None,
            "parameters": {"adminPassword": {"type": "SecureString"},
                           "adminUsername": {"type": "String", "value": "azureuser"},
                           "instanceCount": {"type": "Int", "value": 3},
                           "vmssNamePrefix": {"type": "String", "value": "myvmss"}},
            "parametersLink": None,
            "providers": [
                {"namespace": "Microsoft.Network",
                 "resourceTypes": [{"locations": ["eastus"], "resourceType": "virtualNetworks"}]},
                {"namespace": "Microsoft.Compute",
                 "resourceTypes": [{"locations": ["eastus"], "resourceType": "virtualMachineScaleSets"}]}],
            "provisioningState": "Succeeded",
            "templateHash": r.json["properties"]["templateHash"],
            "templateLink": None,
            "timestamp": "2026-01-01T00:00:00+00:00",
            "validatedResources": None},
        "resourceGroup": "rg1",
        "tags": None,
        "type": "Microsoft.Resources/deployments"}
    assert "Sup3r$ecret!" not in "".join(p.read_text() for p in vmss_home.rglob("*.json")
                                         if "virtualMachineScaleSets" not in str(p))

    r = ok(cli("show", "-g", "rg1", "-n", "myvmss", "--query", "{sku: sku, upgradePolicy: upgradePolicy, "
               "spg: singlePlacementGroup, overprovision: overprovision, mode: orchestrationMode, "
               "disks: virtualMachineProfile.storageProfile.dataDisks[].diskSizeGB, "
               "subnet: virtualMachineProfile.networkProfile.networkInterfaceConfigurations[0]"
               ".ipConfigurations[0].subnet.id}"))
    assert r.json == {
        "disks": [1023], "mode": "Uniform", "overprovision": True, "spg": False,
        "sku": {"capacity": 3, "name": "Standard_DS1_v2", "tier": "Standard"},
        "subnet": f"{vnet}/subnets/subnet",
        "upgradePolicy": {"automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": True}, "mode": "Rolling",
                          "rollingUpgradePolicy": {"maxBatchInstancePercent": 20, "maxUnhealthyInstancePercent": 20,
                                                   "maxUnhealthyUpgradedInstancePercent": 0,
                                                   "pauseTimeBetweenBatches": "PT0S"}}}
    versions = ["list-instances", "-g", "rg1", "-n", "myvmss", "--query",
                "[].storageProfile.imageReference.exactVersion", "-o", "tsv"]
    assert ok(cli(*versions)).stdout == "16.04.202109280\n" * 3

    ok(cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "16.04-LTS",
           "--version", "16.04.202410010", "-o", "none"))
    ok(cli("sim", "clock", "advance", "4h", "--only-show-errors", "-o", "none"))
    r = ok(cli("get-os-upgrade-history", "-g", "rg1", "-n", "myvmss", "--query",
               "[0].properties.[runningStatus.code, startedBy, targetImageReference.version]", "-o", "tsv"))
    assert r.stdout == "Completed\nPlatform\n16.04.202410010\n"
    assert ok(cli(*versions)).stdout == "16.04.202410010\n" * 3

    r = ok(cli("deployment", "group", "list", "-g", "rg1", "-o", "table"))
    assert r.stdout.splitlines()[0].split() == ["Name", "State", "Timestamp", "Mode", "ResourceGroup"]
    assert r.stdout.splitlines()[2].split() == ["autoupdate", "Succeeded", "2026-01-01T00:00:00+00:00",
                                                "Incremental", "rg1"]
    assert ok(cli("deployment", "group", "show", "-g", "rg1", "-n", "autoupdate", "--query",
                  "properties.provisioningState", "-o", "tsv")).stdout == "Succeeded\n"


def test_parameter_errors_name_the_parameter_and_write_nothing(cli, rg, vmss_home, tmp_path):
    before = store(vmss_home)

    def refused(*parameters, code=1, extra=()):
        r = deploy(cli, FIXTURE, *parameters, extra=extra)
        assert (r.exit_code, r.stdout) == (code, "")
        assert store(vmss_home) == before
        return r.stderr

    def invalid_template(message, line, column, name):
        return "ERROR: " + json.dumps({
            "code": "InvalidTemplate", "message": f"Deployment template validation failed: '{message}'.",
            "additionalInfo": [{"type": "TemplateViolation", "info": {
                "lineNumber": line, "linePosition": column, "path": f"properties.template.parameters.{name}"}}]}) + "\n"

    assert refused("vmssNamePrefix=myvmss") == "ERROR: Missing input parameters: adminPassword, adminUsername, " \
                                               "instanceCount\n"
    assert refused("vmssNamePrefix=abcdefghijklm", "instanceCount=3", "adminUsername=a", "adminPassword=b") == \
        invalid_template("The provided value for the template parameter 'vmssNamePrefix' is not valid. Length of the "
                         "value should be less than or equal to '12'. Please see https://aka.ms/arm-syntax-parameters "
                         "for usage details.", 5, 23, "vmssNamePrefix")
    assert refused("vmssNamePrefix=x", "instanceCount=three", "adminUsername=a", "adminPassword=b") == \
        invalid_template("Template parameter 'instanceCount' was provided an invalid value. Expected a value of type "
                         "'Integer', but received a value of type 'String'. Please see "
                         "https://aka.ms/arm-create-parameter-file for usage details.", 9, 22, "instanceCount")
    assert refused("vmssNamePrefix=x", "size=3") == ("ERROR: unrecognized template parameter 'size'. Allowed "
                                                     "parameters: adminPassword, adminUsername, instanceCount, "
                                                     "vmssNamePrefix\n")
    assert refused("vmssName") == "ERROR: Unable to parse parameter: vmssName\n"
    stderr = refused("vmssNamePrefix=x", extra=("--no-prompt",))
    assert stderr.splitlines()[0] == "WARNING: Missing input parameters: adminPassword, adminUsername, instanceCount "
    assert stderr.splitlines()[1] == invalid_template(
        "The value for the template parameter 'instanceCount' is not provided. Please see "
        "https://aka.ms/arm-create-parameter-file for usage details.", 9, 22, "instanceCount").rstrip("\n")
    params = write(tmp_path, "params.json", {"$schema": "x", "contentVersion": "1.0.0.0", "parameters": {
        "vmssNamePrefix": {"value": "x"}, "instanceCount": {"value": 2}, "adminUsername": {"value": "a"},
        "adminPassword": {"value": "b"}, "location": {"value": "eastus"}}})
    assert json.loads(refused(f"@{params}")[len("ERROR: "):])["message"] == (
        "Deployment template validation failed: 'The template parameters 'location' in the parameters file are not "
        "valid; they are not present in the original template and can therefore not be provided at deployment time. "
        "The only supported parameters for this template are 'vmssNamePrefix, instanceCount, adminUsername, "
        "adminPassword'. Please see https://aka.ms/arm-pass-parameter-values for usage details.'.")
    r = deploy(cli, FIXTURE, *SEED_PARAMETERS, extra=("-g", "nosuch"))
    assert (r.exit_code, r.stderr.splitlines()[0]) == (
        3, "ERROR: (ResourceGroupNotFound) Resource group 'nosuch' could not be found.")
    assert store(vmss_home) == before


def test_allowed_values_min_length_and_value_limits(cli, rg, vmss_home, tmp_path):
    path = write(tmp_path, "t.json", template(parameters={
        "tier": {"type": "string", "allowedValues": ["Standard", "Basic"], "defaultValue": "Standard"},
        "prefix": {"type": "string", "minLength": 3, "defaultValue": "web"},
        "count": {"type": "int", "minValue": 1, "maxValue": 10, "defaultValue": 2},
        "flag": {"type": "bool", "defaultValue": False}},
        outputs={"all": {"type": "object", "value": {"tier": "[parameters('tier')]", "flag": "[parameters('flag')]",
                                                       "count": "[parameters('count')]"}}}))
    r = deploy(cli, path, "tier=Premium")
    assert r.exit_code == 1
    assert json.loads(r.stderr[len("ERROR: "):])["message"] == (
        "Deployment template validation failed: 'The provided value 'Premium' for the template parameter 'tier' is "
        "not valid. The parameter value is not part of the allowed value(s): 'Standard,Basic'. Please see "
        "https://aka.ms/arm-syntax-parameters for usage details.'.")
    r = deploy(cli, path, "prefix=ab")
    assert "Length of the value should be greater than or equal to '3'." in r.stderr
    r = deploy(cli, path, "count=11")
    assert "Expected value should be less than or equal to '10'." in r.stderr
    r = deploy(cli, path, '{"flag": {"value": "true"}, "count": {"value": "4"}}')  # strings coerced as ARM does
    assert ok(r).json["properties"]["outputs"] == {"all": {"type": "Object", "value": {
        "count": 4, "flag": True, "tier": "Standard"}}}
    assert r.json["properties"]["outputResources"] == [] and r.stderr == ""


def test_template_expressions(cli, rg, tmp_path):
    path = write(tmp_path, "expressions.json", template(
        parameters={"name": {"type": "string", "defaultValue": "Web01"},
                    "env": {"type": "string", "defaultValue": "prod"}},
        variables={"lower": "[toLower(parameters('name'))]",
                   "prefix": "[concat(variables('lower'), '-', toUpper(parameters('env')))]"},
        outputs={
            "concat": {"type": "string", "value": "[variables('prefix')]"},
            "array": {"type": "array", "value": "[concat(createArray(1, 2), createArray(3))]"},
            "rg": {"type": "object", "value": {"name": "[resourceGroup().name]", "id": "[resourceGroup().id]",
                                               "location": "[resourceGroup()['location']]"}},
            "sub": {"type": "string", "value": "[subscription().subscriptionId]"},
            "rid": {"type": "string", "value": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', "
                                               "'default')]"},
            "otherRg": {"type": "string", "value": "[resourceId('other', 'Microsoft.Compute/galleries', 'g')]"},
            "unique": {"type": "string", "value": "[uniqueString(resourceGroup().id)]"},
            "format": {"type": "string", "value": "[format('{0}-{1:D3} {{x}}', parameters('env'), 7)]"},
            "if": {"type": "string", "value": "[if(equals(parameters('env'), 'prod'), 'big', 'small')]"},
            "equals": {"type": "bool", "value": "[equals(1, '1')]"},
            "escaped": {"type": "string", "value": "[[not an expression]"},
            "plain": {"type": "string", "value": "just [text]"},
            "secret": {"type": "securestring", "value": "hidden"}}))
    outputs = ok(deploy(cli, path, "env=prod")).json["properties"]["outputs"]
    assert {k: v.get("value") for k, v in outputs.items()} == {
        "concat": "web01-PROD", "array": [1, 2, 3],
        "rg": {"id": RG_ID, "location": "eastus", "name": "rg1", "resourceGroup": "rg1"},  # az adds resourceGroup
        "sub": SUB,
        "rid": f"{RG_ID}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default",
        "otherRg": f"/subscriptions/{SUB}/resourceGroups/other/providers/Microsoft.Compute/galleries/g",
        "unique": unique_string(RG_ID),
        "format": "prod-007 {x}", "if": "big", "equals": False,
        "escaped": "[not an expression]", "plain": "just [text]", "secret": None}
    assert outputs["secret"] == {"type": "SecureString"}
    assert len(outputs["unique"]["value"]) == 13


def test_unique_string_matches_arm():
    """Vectors checked against Bicep's uniqueString (the same function ARM evaluates)."""
    assert unique_string("test") == "rbgf3xv4ufgzg"
    assert unique_string("hello", "world") == "a7wkljktk6wne"
    assert unique_string("abc") == "cgtzqvhu4i23s"
    assert unique_string(f"/subscriptions/{SUB}/resourceGroups/my-rg") == "bmg7c6xu4tw46"
    assert unique_string("foo", "bar", "baz") == "xzi4ioaxtmth4"


@pytest.mark.parametrize("expression, message", [
    ("[bogus('x')]", "The template function 'bogus' is not valid. Please see https://aka.ms/arm-functions for usage "
                     "details."),
    ("[parameters('nope')]", "The template parameter 'nope' is not found. Please see "
                             "https://aka.ms/arm-syntax-parameters for usage details."),
    ("[concat('a',]", "The language expression 'concat('a',' is not valid: the expression is not complete."),
    ("[toLower('a', 'b')]", "Unable to evaluate template language function 'toLower': function requires 1 "
                            "argument(s) while 2 were provided. Please see https://aka.ms/arm-functions for usage "
                            "details."),
    ("[resourceGroup().nope]", "The language expression property 'nope' doesn't exist, available properties are "
                               "'id, name, type, location, managedBy, tags, properties'."),
])
def test_expression_errors(cli, rg, tmp_path, expression, message):
    path = write(tmp_path, "bad.json", template(variables={"v": expression},
                                                outputs={"o": {"type": "string", "value": "[variables('v')]"}}))
    r = deploy(cli, path)
    assert r.exit_code == 1
    error = json.loads(r.stderr[len("ERROR: "):])
    assert error["message"] == f"Deployment template validation failed: 'The template variable 'v' is not valid: " \
                               f"{message}.'."
    assert error["additionalInfo"][0]["info"]["path"] == "properties.template.variables.v"


def test_scale_sets_from_templates_are_validated_like_a_put(cli, rg, vmss_home, tmp_path):
    before = store(vmss_home)
    no_health = write(tmp_path, "nohealth.json", template([scale_set(policy={
        "mode": "Rolling", "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": True}})]))
    r = deploy(cli, no_health)
    lines = r.stderr.splitlines()
    assert r.exit_code == 1 and len(lines) == 2
    assert lines[0].startswith("ERROR: InvalidTemplateDeployment - The template deployment 'nohealth' is not valid "
                               "according to the validation procedure. The tracking id is '")
    assert lines[1] == ("InvalidParameter - Automatic OS Upgrade is not supported for this Virtual Machine Scale Set "
                        "because a health probe or health extension was not specified.")
    managed = write(tmp_path, "managed.json", template([scale_set(
        image={"id": f"{RG_ID}/providers/Microsoft.Compute/images/golden"}, extensions=[HEALTH_EXTENSION],
        policy={"mode": "Rolling", "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": True}})]))
    r = deploy(cli, managed)
    assert r.exit_code == 1 and r.stderr.splitlines()[1] == (
        f"InvalidParameter - Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because the "
        f"image '{RG_ID}/providers/Microsoft.Compute/images/golden' is a custom image that is not in a Shared Image "
        "Gallery. Only platform images and Shared Image Gallery images support automatic OS image upgrade.")
    bad_type = write(tmp_path, "badtype.json", template([scale_set(policy={
        "mode": "Rolling", "rollingUpgradePolicy": {"maxBatchInstancePercent": "lots"}})]))
    r = deploy(cli, bad_type)
    assert r.exit_code == 1 and r.stderr.splitlines()[1:] == [
        "InvalidRequestFormat - Cannot parse the request.",
        "InvalidJson - Error converting value \"lots\" to type 'System.Int32'. "
        "Path 'properties.upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent'."]
    no_image = write(tmp_path, "noimage.json", template([scale_set(image={
        "publisher": "Canonical", "offer": "UbuntuServer", "sku": "99.04-LTS", "version": "latest"})]))
    r = deploy(cli, no_image)
    assert r.exit_code == 1 and r.stderr.splitlines()[1] == (
        "PlatformImageNotFound - The platform image 'Canonical:UbuntuServer:99.04-LTS:latest' is not available. "
        "Verify that all fields in the storage profile are correct.")
    assert store(vmss_home) == before

    good = write(tmp_path, "good.json", template([scale_set(
        name="web", extensions=[HEALTH_EXTENSION], overprovision="false",
        policy={"mode": "Rolling", "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": "true"}})]))
    r = ok(deploy(cli, good, extra=("--name", "first")))
    assert r.stderr == "" and r.json["name"] == "first"
    r = ok(cli("show", "-g", "rg1", "-n", "web", "--query", "[overprovision, upgradePolicy.automaticOSUpgradePolicy"
               ".enableAutomaticOSUpgrade, virtualMachineProfile.storageProfile.imageReference.version]"))
    assert r.json == [False, True, "latest"]
    r = deploy(cli, good)
    assert r.exit_code == 1 and "Conflict - The scale set 'web' already exists in resource group 'rg1'." in r.stderr


def test_a_template_scale_set_on_a_gallery_image(cli, rg, tmp_path):
    for args in (["sig", "create", "-g", "rg1", "-r", "gal"],
                 ["sig", "image-definition", "create", "-g", "rg1", "-r", "gal", "-i", "app", "-p", "contoso", "-f",
                  "app", "-s", "v1", "--os-type", "Linux"],
                 ["sig", "image-version", "create", "-g", "rg1", "-r", "gal", "-i", "app", "-e", "1.2.3"]):
        ok(cli(*args, "-o", "none"))
    path = write(tmp_path, "gallery.json", template(
        [scale_set(name="app", extensions=[HEALTH_EXTENSION],
                   image={"id": "[resourceId('Microsoft.Compute/galleries/images', 'gal', 'app')]"},
                   policy={"mode": "Rolling", "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": True}})]))
    ok(deploy(cli, path))
    r = ok(cli("list-instances", "-g", "rg1", "-n", "app", "--query",
               "[].storageProfile.imageReference.exactVersion", "-o", "tsv"))
    assert r.stdout == "1.2.3\n1.2.3\n"


def test_only_files_named_on_the_command_line_are_read(cli, rg, tmp_path):
    secret = write(tmp_path, "secret.json", {"parameters": {"x": {"value": "leaked"}}})
    path = write(tmp_path, "t.json", template(parameters={"x": {"type": "string"}},
                                              outputs={"x": {"type": "string", "value": "[parameters('x')]"}}))
    # A value that looks like a file reference is a value: nothing opens it.
    r = ok(deploy(cli, path, f"x=@{secret}"))
    assert r.json["properties"]["outputs"]["x"]["value"] == f"@{secret}"
    r = ok(deploy(cli, path, f"@{secret}"))  # the user named this file: it is read
    assert r.json["properties"]["outputs"]["x"]["value"] == "leaked"
    r = deploy(cli, tmp_path / "missing.json")
    missing = tmp_path / "missing.json"
    assert (r.exit_code, r.stderr) == (1, f"ERROR: [Errno 2] No such file or directory: '{missing}'\n")
    r = deploy(cli, write(tmp_path, "broken.json", "{ nope"))
    assert (r.exit_code, r.stderr) == (
        1, f"ERROR: Failed to parse '{tmp_path / 'broken.json'}', please check whether it is a valid JSON format\n")
    r = cli("deployment", "group", "create", "-g", "rg1", "--template-uri", "https://example.com/t.json")
    assert (r.exit_code, r.stderr) == (
        1, "ERROR: vmss does not download templates: save the template and pass --template-file.\n")
    r = deploy(cli, path, "x=1", extra=("--name", "../escape"))
    assert r.exit_code == 1 and "(InvalidDeploymentName) The deployment name '../escape' is invalid." in r.stderr
    commented = write(tmp_path, "commented.json", "// a comment\n" + json.dumps(template(
        outputs={"o": {"type": "int", "value": 5}})) + "\n/* trailing */\n")
    assert ok(deploy(cli, commented)).json["properties"]["outputs"] == {"o": {"type": "Int", "value": 5}}


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _paths(sub, prefix + (key,))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from _paths(sub, prefix + (index,))


def test_mangled_templates_fail_cleanly(cli, rg, vmss_home, tmp_path):
    """Any value anywhere in the seed's template replaced by anything: a deployment or a clear
    ERROR, never a traceback, and a failed deployment writes nothing."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    seed_template = json.loads(Path(FIXTURE).read_text())
    paths = list(_paths(seed_template))[1:]
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 2000), st.sampled_from(
        ["", "true", "0", "abc", "[", "[]", "[[x]", "[concat(]", "[parameters('nope')]", "[variables('x')]",
         "[resourceGroup()]", "[toLower(1)]", "[if(true(), 1)]", "[resourceId('A.B/c')]", "[format('{3}', 1)]",
         "[uniqueString()]", "[split('a', 'b')[5]]", "Rolling", "latest", "eastus", "mars"]))
    values = st.recursive(scalars, lambda children: st.lists(children, max_size=3)
                          | st.dictionaries(st.sampled_from(["type", "name", "value", "id", "properties"]),
                                            children, max_size=3), max_leaves=6)

    @settings(max_examples=300, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(edits=st.lists(st.tuples(st.sampled_from(paths), values), min_size=1, max_size=2))
    def case(edits):
        body = json.loads(json.dumps(seed_template))
        for path, value in edits:
            node = body
            try:
                for key in path[:-1]:
                    node = node[key]
                node[path[-1]] = value
            except (KeyError, IndexError, TypeError):
                continue
        target = write(tmp_path, "mangled.json", body)
        before = store(vmss_home)
        r = deploy(cli, target, *SEED_PARAMETERS)
        assert "unexpected error" not in r.stderr and "Traceback" not in r.stderr, r.stderr
        if r.exit_code == 0:
            for name in ("myvmss",):
                cli("delete", "-g", "rg1", "-n", name)
        else:
            assert r.exit_code in (1, 3) and r.stderr.startswith(("ERROR: ", "WARNING: ")), r.stderr
            assert store(vmss_home) == before
    case()
