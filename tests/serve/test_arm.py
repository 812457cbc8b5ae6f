"""Serve tier 1: ARM semantics (serve-protocol: paths, api-version, statuses, LROs, errors, secrets)."""

from __future__ import annotations

import base64
import json

import pytest

from tests.serve.conftest import RG_PATH, SUB, VMSS_PATH, api, create_seed_set, publish


def test_paths_match_in_any_case_and_names_keep_their_stored_casing(client):
    assert client.request("PUT", api(f"/subscriptions/{SUB}/resourcegroups/MyGroup"), {"location": "eastus"}).status == 201
    reply = client.get(api(f"/SUBSCRIPTIONS/{SUB}/RESOURCEGROUPS/mygroup"))
    assert reply.status == 200
    assert reply.json["name"] == "MyGroup"
    assert reply.json["id"] == f"/subscriptions/{SUB}/resourceGroups/MyGroup"
    # a second PUT updates: 200, not 201
    assert client.request("PUT", api(f"/subscriptions/{SUB}/resourceGroups/MYGROUP"), {"location": "eastus"}).status == 200


def test_api_version_is_required_and_any_well_formed_one_is_accepted(client):
    path = f"/subscriptions/{SUB}/resourcegroups"
    missing = client.get(path)
    assert (missing.status, missing.json) == (400, {"error": {
        "code": "MissingApiVersionParameter",
        "message": "The api-version query parameter (?api-version=) is required for all requests."}})
    bad = client.get(path + "?api-version=latest")
    assert bad.status == 400 and bad.json["error"]["code"] == "InvalidApiVersionParameter"
    for version in ("2015-01-01", "2099-12-31-preview", "2024-11-01"):
        assert client.get(path + f"?api-version={version}").json == {"value": []}


def test_errors_are_arm_error_bodies_with_azures_status(client):
    missing_group = client.get(api(f"/subscriptions/{SUB}/resourceGroups/nope/providers/Microsoft.Compute/"
                                   "virtualMachineScaleSets/web"))
    assert (missing_group.status, missing_group.json) == (404, {"error": {
        "code": "ResourceGroupNotFound", "message": "Resource group 'nope' could not be found."}})
    client.request("PUT", api(RG_PATH), {"location": "eastus"})
    bad_name = client.get(api(RG_PATH + "/providers/Microsoft.Compute/virtualMachineScaleSets/a..b%20c"))
    assert bad_name.status == 400 and bad_name.json["error"]["code"] == "InvalidParameter"
    unknown = client.get(api("/subscriptions/x/nothing/here/at/all/really"))
    assert unknown.status == 404 and unknown.json["error"]["code"] == "NotFound"
    wrong_method = client.request("POST", api(RG_PATH))
    assert wrong_method.status == 405 and wrong_method.json["error"]["code"] == "MethodNotAllowed"
    not_json = client.request("PUT", api(RG_PATH), raw=b"{nope")
    assert not_json.status == 400 and not_json.json["error"]["code"] == "InvalidRequestContent"


def test_group_head_and_delete_answer_as_arm(client, cli):
    assert client.request("HEAD", api(RG_PATH)).status == 404
    client.request("PUT", api(RG_PATH), {"location": "eastus"})
    head = client.request("HEAD", api(RG_PATH))
    assert (head.status, head.payload) == (204, b"")
    gone = client.request("DELETE", api(RG_PATH))
    assert gone.status == 202
    assert "monitor=true" in gone.headers["location"] and gone.headers["retry-after"] == "1"
    assert client.get(gone.path_of("Location")).status == 200
    assert cli("group", "exists", "-n", "rg1").stdout == "false\n"


def test_lists_of_types_vmss_does_not_model_are_empty(client):
    client.request("PUT", api(RG_PATH), {"location": "eastus"})
    for path in (RG_PATH + "/providers/Microsoft.Network/virtualNetworks",
                 f"/subscriptions/{SUB}/providers/Microsoft.Network/loadBalancers"):
        reply = client.get(api(path, "2022-01-01"))
        assert (reply.status, reply.json) == (200, {"value": []})
    reply = client.get(api(f"/subscriptions/{SUB}/resourceGroups/none/providers/Microsoft.Network/virtualNetworks"))
    assert reply.status == 404 and reply.json["error"]["code"] == "ResourceGroupNotFound"


def test_put_creates_201_then_updates_200_keeping_create_time_values_and_secrets(client, cli):
    created = create_seed_set(client)
    assert "adminPassword" not in json.dumps(created)
    model = client.get(api(VMSS_PATH, "2026-04-01")).json
    # az vmss update PUTs the whole model without imageReference (az nulls it) and without the password
    model["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"] = None
    model["properties"]["upgradePolicy"]["rollingUpgradePolicy"] = {"maxBatchInstancePercent": 50}
    put = client.request("PUT", api(VMSS_PATH, "2026-04-01"), model)
    assert put.status == 200
    assert put.headers["azure-asyncoperation"] and put.headers["retry-after"] == "1"
    ref = put.json["properties"]["virtualMachineProfile"]["storageProfile"]["imageReference"]
    assert ref == {"publisher": "Canonical", "offer": "UbuntuServer", "sku": "18.04-LTS", "version": "latest"}
    assert client.get(put.path_of("Azure-AsyncOperation")).json["status"] == "Succeeded"
    shown = cli("show", "-g", "rg1", "-n", "web", "--query", "upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent")
    assert shown.stdout == "50\n"
    # the password given at creation is still there (never returned), not dropped by the PUT
    from vmss_cli.core.resources import scaleset
    from vmss_cli.store.state import transaction

    with transaction(write=False) as tx:
        assert scaleset.load(tx, "rg1", "web")["secrets"]["adminPassword"] == "S3cret-Passw0rd!"
    for reply in (put, client.get(api(VMSS_PATH)), client.get(api(RG_PATH + "/providers/Microsoft.Compute/"
                                                                   "virtualMachineScaleSets"))):
        assert b"S3cret-Passw0rd!" not in reply.payload


def test_a_put_keeps_what_it_omits_as_az_vmss_scale_sends_it(client, cli):
    create_seed_set(client, capacity=2)
    before = client.get(api(VMSS_PATH)).json
    scaled = client.request("PUT", api(VMSS_PATH), {"location": "eastus",
                                                    "sku": {"name": "Standard_D2s_v5", "capacity": 3}})
    assert scaled.status == 200
    assert scaled.json["sku"]["capacity"] == 3
    for key in ("upgradePolicy", "virtualMachineProfile", "platformFaultDomainCount", "overprovision"):
        assert scaled.json["properties"][key] == before["properties"][key], key
    assert cli("list-instances", "-g", "rg1", "-n", "web", "--query", "length(@)").stdout == "3\n"


def test_a_put_without_the_write_only_custom_data_is_no_model_change(client, cli):
    create_seed_set(client, capacity=2)
    client.request("PATCH", api(VMSS_PATH), {"properties": {"upgradePolicy": {"mode": "Manual"}}})
    client.request("PATCH", api(VMSS_PATH), {"properties": {"virtualMachineProfile": {
        "osProfile": {"customData": "ZWNobyBoaQ=="}}}})
    client.request("POST", api(VMSS_PATH + "/manualupgrade"), {"instanceIds": ["0", "1"]})
    model = client.get(api(VMSS_PATH)).json
    assert "customData" not in model["properties"]["virtualMachineProfile"]["osProfile"]  # write-only
    assert client.request("PUT", api(VMSS_PATH), model).status == 200  # az vmss update sends this back
    assert cli("list-instances", "-g", "rg1", "-n", "web", "--query", "[].latestModelApplied",
               "-o", "tsv").stdout == "true\ntrue\n"


def test_manual_upgrade_applies_the_model_to_the_listed_instances(client, cli):
    create_seed_set(client, capacity=2)
    client.request("PATCH", api(VMSS_PATH), {"properties": {"upgradePolicy": {"mode": "Manual"}}})
    client.request("PATCH", api(VMSS_PATH), {"tags": {"v": "2"}, "properties": {"virtualMachineProfile": {
        "osProfile": {"customData": "ZWNobyBoaQ=="}}}})
    assert cli("list-instances", "-g", "rg1", "-n", "web", "--query", "[].latestModelApplied",
               "-o", "tsv").stdout == "false\nfalse\n"
    done = client.request("POST", api(VMSS_PATH + "/manualupgrade"), {"instanceIds": ["1"]})
    assert done.status == 202
    assert client.get(done.path_of("Azure-AsyncOperation")).json["status"] == "Succeeded"
    assert cli("list-instances", "-g", "rg1", "-n", "web", "--query", "[].latestModelApplied",
               "-o", "tsv").stdout == "false\ntrue\n"
    bad = client.request("POST", api(VMSS_PATH + "/manualupgrade"), {"instanceIds": "1"})
    assert bad.status == 400 and bad.json["error"]["code"] == "InvalidParameter"


def test_patch_merges_into_the_model(client):
    create_seed_set(client)
    patched = client.request("PATCH", api(VMSS_PATH), {"sku": {"capacity": 3}, "tags": {"env": "test"}})
    assert patched.status == 200
    assert patched.json["sku"]["capacity"] == 3 and patched.json["tags"] == {"env": "test"}
    assert len(client.get(api(VMSS_PATH + "/virtualMachines")).json["value"]) == 3
    invalid = client.request("PATCH", api(VMSS_PATH), {"properties": {"upgradePolicy": {"mode": "Sometimes"}}})
    assert invalid.status == 400 and invalid.json["error"]["code"] == "InvalidParameter"


def test_scale_set_get_shows_the_automatic_os_upgrade_policy_so_az_set_can_reach_it(client, cli):
    create_seed_set(client)
    policy = client.get(api(VMSS_PATH)).json["properties"]["upgradePolicy"]
    assert policy["automaticOSUpgradePolicy"] == {"enableAutomaticOSUpgrade": False, "disableAutomaticRollback": False}


def test_rolling_upgrade_is_a_long_running_operation_polled_to_the_end(client, cli):
    create_seed_set(client, capacity=4)
    publish(client, "18.04.202406010")
    start = client.request("POST", api(VMSS_PATH + "/osRollingUpgrade", "2023-09-01"))
    assert (start.status, start.payload) == (202, b"")
    assert start.headers["retry-after"] == "1"
    status_path = start.path_of("Azure-AsyncOperation")
    assert status_path.startswith(f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/eastus/operations/")
    assert "monitor=true" in start.headers["location"]
    monitor = client.get(start.path_of("Location"))
    assert monitor.status == 202  # still running: a Location poll answers 202 (and moved the world one step)
    polls = []
    while not polls or polls[-1]["status"] == "InProgress":
        reply = client.get(status_path)
        assert reply.status == 200
        polls.append(reply.json)
        assert len(polls) < 20
    assert polls[-1]["status"] == "Succeeded" and polls[-1]["endTime"]
    assert client.get(start.path_of("Location")).status == 200
    latest = client.get(api(VMSS_PATH + "/rollingUpgrades/latest")).json
    assert latest["properties"]["runningStatus"]["code"] == "Completed"
    assert cli("rolling-upgrade", "get-latest", "-g", "rg1", "-n", "web", "--query", "runningStatus.code",
               "-o", "tsv").stdout == "Completed\n"


def test_a_faulted_rollout_polls_to_failed_with_its_error(client):
    create_seed_set(client, capacity=4)
    client.request("POST", "/_vmss/health", {"resourceGroup": "rg1", "name": "web", "instanceIds": ["*"],
                                             "state": "Unhealthy"})
    publish(client, "18.04.202406010")
    start = client.request("POST", api(VMSS_PATH + "/osRollingUpgrade"))
    assert start.status == 202
    body = client.get(start.path_of("Azure-AsyncOperation")).json
    assert body["status"] == "Failed"
    assert body["error"]["code"] == "MaxUnhealthyInstancePercentExceededBeforeRollingUpgrade"
    assert body["error"]["details"][0]["code"] == "RollingUpgradeInstanceUnhealthyError"


def test_cancel_without_a_rollout_is_409_as_az_saw_it(client):
    create_seed_set(client)
    reply = client.request("POST", api(VMSS_PATH + "/rollingUpgrades/cancel"))
    assert (reply.status, reply.json) == (409, {"error": {
        "code": "OperationNotAllowed", "message": "There is no ongoing Rolling Upgrade to cancel."}})
    latest = client.get(api(VMSS_PATH + "/rollingUpgrades/latest"))
    assert latest.status == 404 and latest.json["error"]["code"] == "NotFound"


def test_cancel_of_a_running_rollout_is_accepted_and_its_operation_succeeds(client):
    create_seed_set(client)
    publish(client, "18.04.202406010")
    client.request("POST", api(VMSS_PATH + "/osRollingUpgrade"))
    cancel = client.request("POST", api(VMSS_PATH + "/rollingUpgrades/cancel"))
    assert cancel.status == 202
    body = {"status": "InProgress"}
    while body["status"] == "InProgress":
        body = client.get(cancel.path_of("Azure-AsyncOperation")).json
    # the cancel request succeeded (az 2.91 exits 0); the rollout itself ended Cancelled
    assert body["status"] == "Succeeded"
    latest = client.get(api(VMSS_PATH + "/rollingUpgrades/latest")).json
    assert latest["properties"]["runningStatus"]["code"] == "Cancelled"


def test_history_pages_with_next_link_and_pages_add_up_to_the_cli_history(client, cli):
    create_seed_set(client, capacity=2)
    for version in ("18.04.202406010", "18.04.202407010", "18.04.202408010"):
        publish(client, version)
        client.request("POST", api(VMSS_PATH + "/osRollingUpgrade"))
        client.request("POST", "/_vmss/clock/advance", {"seconds": 3600})
    first = client.get(api(VMSS_PATH + "/osUpgradeHistory", "2023-09-01")).json
    assert len(first["value"]) == 2
    next_link = first["nextLink"]
    assert next_link.endswith("&$skiptoken=2") and next_link.startswith("https://localhost:")
    second = client.get("/" + next_link.split("/", 3)[3]).json
    assert "nextLink" not in second
    versions = [h["properties"]["targetImageReference"]["version"] for h in first["value"] + second["value"]]
    assert versions == ["18.04.202408010", "18.04.202407010", "18.04.202406010"]
    shown = cli("get-os-upgrade-history", "-g", "rg1", "-n", "web", "--query",
                "[].properties.targetImageReference.version", "-o", "tsv").stdout.split()
    assert shown == versions


def test_instances_and_the_image_catalog(client):
    create_seed_set(client, capacity=2)
    vms = client.get(api(VMSS_PATH + "/virtualMachines")).json["value"]
    assert [vm["instanceId"] for vm in vms] == ["0", "1"]
    one = client.get(api(VMSS_PATH + "/virtualMachines/1")).json
    assert one["id"].endswith("/virtualMachineScaleSets/web/virtualMachines/1")
    view = client.get(api(VMSS_PATH + "/virtualMachines/1/instanceView"))
    assert view.status == 200 and "statuses" in view.json
    set_view = client.get(api(VMSS_PATH + "/instanceView")).json
    assert set_view["virtualMachine"]["statusesSummary"][0]["count"] == 2
    loc = f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/eastus"
    assert "Canonical" in [p["name"] for p in client.get(api(loc + "/publishers")).json]
    versions = client.get(api(loc + "/publishers/canonical/artifacttypes/vmimage/offers/UbuntuServer/skus/"
                              "18.04-LTS/versions?$orderby=name%20desc&$top=1")).json
    assert len(versions) == 1
    shown = client.get(api(loc + f"/publishers/Canonical/artifacttypes/vmimage/offers/UbuntuServer/skus/"
                              f"18.04-LTS/versions/{versions[0]['name']}")).json
    assert shown["properties"]["automaticOSUpgradeProperties"] == {"automaticOSUpgradeSupported": True}


def test_delete_is_accepted_and_its_operation_succeeds(client, cli):
    create_seed_set(client)
    gone = client.request("DELETE", api(VMSS_PATH, "2023-09-01"))
    assert gone.status == 202 and gone.headers["retry-after"] == "1"
    assert client.get(gone.path_of("Azure-AsyncOperation")).json["status"] == "Succeeded"
    assert client.get(api(VMSS_PATH)).status == 404
    assert cli("show", "-g", "rg1", "-n", "web").exit_code == 3


def test_an_unknown_operation_id_is_404(client):
    reply = client.get(api(f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/eastus/operations/zzz"))
    assert reply.status == 404 and reply.json["error"]["code"] == "NotFound"


# ---- identity ---------------------------------------------------------------------------------------

def _claims(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@pytest.mark.parametrize("path", ["/adfs/oauth2/token", "/72f988bf-0000-0000-0000-000000000001/oauth2/v2.0/token"])
def test_the_token_endpoint_issues_a_jwt_to_any_service_principal(client, path):
    form = f"grant_type=client_credentials&client_id=app&client_secret=x&scope={client.url}//.default"
    reply = client.request("POST", path, raw=form.encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 200
    body = reply.json
    assert body["token_type"] == "Bearer" and body["expires_in"] >= 3600
    claims = _claims(body["access_token"])
    assert claims["tid"] == "72f988bf-0000-0000-0000-000000000001" and claims["appid"] == "app"
    bad = client.request("POST", path, raw=b"grant_type=device_code",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert bad.status == 400 and bad.json["error"] == "unsupported_grant_type"


def test_metadata_names_this_server_for_every_endpoint(client):
    meta = client.get("/metadata/endpoints?api-version=2022-09-01").json
    assert meta["resourceManager"] == client.url + "/"
    assert meta["authentication"] == {"loginEndpoint": client.url + "/adfs", "audiences": [client.url + "/"],
                                      "tenant": "adfs", "identityProvider": "ADFS"}
    assert client.get("/metadata/clouds").json[0]["name"] == "VmssEmulator"
    oidc = client.get("/adfs/.well-known/openid-configuration").json
    assert oidc["token_endpoint"] == client.url + "/adfs/oauth2/token"
    subs = client.get("/subscriptions?api-version=2022-12-01").json["value"]
    assert [s["subscriptionId"] for s in subs] == [SUB] and subs[0]["state"] == "Enabled"
    regions = [r["name"] for r in client.get(api(f"/subscriptions/{SUB}/locations")).json["value"]]
    assert "eastus" in regions and "westus" in regions


# ---- admin endpoints --------------------------------------------------------------------------------

def test_admin_clock_publish_and_health(client, cli):
    assert client.get("/_vmss/clock").json == {"now": "2026-01-01T00:00:00+00:00", "seed": 42,
                                               "startTime": "2026-01-01T00:00:00+00:00", "pendingEvents": 0,
                                               "clock": "on-poll"}
    moved = client.request("POST", "/_vmss/clock/advance", {"duration": "1h30m"})
    assert moved.json["now"] == "2026-01-01T01:30:00+00:00"
    assert cli("sim", "clock", "show", "--query", "now", "-o", "tsv").stdout == "2026-01-01T01:30:00+00:00\n"
    bad = client.request("POST", "/_vmss/clock/advance", {"seconds": "soon"})
    assert bad.status == 400 and "'seconds'" in bad.json["error"]["message"]
    assert client.request("POST", "/_vmss/clock/advance", {"seconds": -5}).status == 400
    publish(client, "18.04.202406010")
    again = client.request("POST", "/_vmss/images/publish", {"location": "eastus", "publisher": "Canonical",
                                                               "offer": "UbuntuServer", "sku": "18.04-LTS",
                                                               "version": "18.04.202406010"})
    assert again.status == 409
    create_seed_set(client, capacity=2)
    health = client.request("POST", "/_vmss/health", {"resourceGroup": "rg1", "name": "web",
                                                      "instanceIds": ["1"], "state": "Unhealthy"})
    assert health.json == {"value": [{"instanceId": "1", "healthState": "Unhealthy"}]}


def test_the_store_has_one_subscription_and_others_are_not_found(vmss_home, cli):
    from tests.serve.conftest import Client
    from vmss_cli.serve.server import Serving

    mine = "7c4b2e91-58d3-4f0a-9b6e-2d81c5a3f047"
    assert cli("config", "set", f"sim.subscription={mine}").exit_code == 0
    server = Serving(vmss_home, port=0).start_background()
    client = Client(server.url, server.ca_file)
    try:
        listed = client.get("/subscriptions?api-version=2022-12-01").json["value"]
        assert [s["subscriptionId"] for s in listed] == [mine]
        created = client.request("PUT", api(f"/subscriptions/{mine.upper()}/resourcegroups/rg1"), {"location": "eastus"})
        assert created.json["id"] == f"/subscriptions/{mine}/resourceGroups/rg1"
        other = client.get(api(f"/subscriptions/{SUB}/resourcegroups/rg1"))
        assert (other.status, other.json) == (404, {"error": {
            "code": "SubscriptionNotFound", "message": f"The subscription '{SUB}' could not be found."}})
    finally:
        client.close()
        server.close()


HOSTILE_BODIES = [b"[]", b"null", b"5", b'"x"', b"{}", b'{"location": 5}', b'{"properties": []}',
                  b'{"properties": {"virtualMachineProfile": 7}}', b'{"sku": "big"}', b'{"sku": {"capacity": -1}}',
                  b'{"sku": {"capacity": "many"}}', b'{"tags": [1]}', b'{"location": "mars"}',
                  b'{"properties": {"upgradePolicy": {"mode": null}}}', b"[" * 5000 + b"]" * 5000,
                  '{"location": "eastus", "name": "\u00e9\u0000"}'.encode()]


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_hostile_bodies_get_arm_errors_never_a_500(client, method):
    create_seed_set(client)
    targets = [VMSS_PATH, RG_PATH.replace("rg1", "rg2") if method == "PUT" else VMSS_PATH,
               RG_PATH + "/providers/Microsoft.Compute/virtualMachineScaleSets/fresh"]
    for path in targets:
        for body in HOSTILE_BODIES:
            reply = client.request(method, api(path), raw=body)
            assert reply.status in (200, 201, 400, 404, 405, 409), (path, body[:40], reply.status, reply.payload)
            if reply.status >= 400:
                assert set(reply.json["error"]) >= {"code", "message"}
    # the set is still readable and the CLI agrees with serve
    assert client.get(api(VMSS_PATH)).status == 200


@pytest.mark.parametrize("name", ["..", "a%2Fb", "%00", "x" * 300, "%E2%80%AE", "web%20", "-web", "a.b."])
def test_hostile_names_in_paths_get_arm_errors(client, name):
    client.request("PUT", api(RG_PATH), {"location": "eastus"})
    v = RG_PATH + "/providers/Microsoft.Compute/virtualMachineScaleSets/"
    loc = f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/"
    for method, path in [("GET", f"/subscriptions/{SUB}/resourceGroups/{name}"), ("PUT", v + name),
                         ("GET", v + name), ("DELETE", v + name), ("POST", v + name + "/osRollingUpgrade"),
                         ("GET", v + name + "/osUpgradeHistory"), ("GET", loc + name + "/publishers"),
                         ("GET", loc + "eastus/publishers/" + name + "/artifacttypes/vmimage/offers"),
                         ("GET", RG_PATH + "/providers/Microsoft.Resources/deployments/" + name),
                         ("GET", loc + "eastus/operations/" + name)]:
        reply = client.request(method, api(path), {"location": "eastus"} if method == "PUT" else None)
        assert reply.status in (400, 404, 405), (method, path, reply.status, reply.payload)
        assert set(reply.json["error"]) >= {"code", "message"}


def _az_deployment_body(template_text: str, parameters: dict) -> bytes:
    """The body az 2.91's `deployment group create` sends: JSON, with the template file's text spliced in
    after an unquoted `template:` key (azure-cli resource module, custom.py)."""
    partial = json.dumps({"properties": {"parameters": parameters, "mode": "Incremental"}})
    return (partial[:-2] + ", template:" + template_text + "}}").encode()


def test_az_deployment_group_create_validates_then_deploys_the_seed_template(client, cli):
    from pathlib import Path

    client.request("PUT", api(RG_PATH), {"location": "eastus"})
    text = (Path(__file__).parents[1] / "fixtures" / "templates" / "autoupdate.json").read_text()
    params = {"vmssNamePrefix": {"value": "myvmss"}, "instanceCount": {"value": 3},
              "adminUsername": {"value": "azureuser"}, "adminPassword": {"value": "P@ssw0rd1234!"}}
    base = RG_PATH + "/providers/Microsoft.Resources/deployments/autoupdate"
    checked = client.request("POST", api(base + "/validate"), raw=_az_deployment_body(text, params))
    assert checked.status == 200, checked.payload
    assert checked.json["properties"]["provisioningState"] == "Succeeded"
    assert cli("list", "-g", "rg1", "--query", "length(@)").stdout == "0\n"  # validation keeps nothing
    deployed = client.request("PUT", api(base), raw=_az_deployment_body(text, params))
    assert deployed.status == 201
    assert b"P@ssw0rd1234!" not in deployed.payload
    assert cli("list", "-g", "rg1", "--query", "[].name", "-o", "tsv").stdout == "myvmss\n"
    too_big = dict(params, instanceCount={"value": 3000}, vmssNamePrefix={"value": "other"})
    refused = client.request("POST", api(base.replace("autoupdate", "second") + "/validate"),
                             raw=_az_deployment_body(text, too_big))
    assert refused.status == 400
    error = refused.json["error"]
    assert error["code"] == "InvalidTemplateDeployment"
    assert error["details"] == [{"code": "InvalidParameter", "message": "The value 3000 of parameter "
                                 "'sku.capacity' is out of range. The value must be an integer between 0 and 1000, "
                                 "inclusive."}]


def test_deployment_delete_drops_the_record_and_keeps_the_resources(client, cli):
    from pathlib import Path

    client.request("PUT", api(RG_PATH), {"location": "eastus"})
    text = (Path(__file__).parents[1] / "fixtures" / "templates" / "autoupdate.json").read_text()
    base = RG_PATH + "/providers/Microsoft.Resources/deployments/autoupdate"
    body = _az_deployment_body(text, {"vmssNamePrefix": {"value": "myvmss"}, "instanceCount": {"value": 2},
                                      "adminUsername": {"value": "azureuser"},
                                      "adminPassword": {"value": "P@ssw0rd1234!"}})
    assert client.request("PUT", api(base), raw=body).status == 201
    deleted = client.request("DELETE", api(base))
    assert deleted.status == 202
    assert client.get(deleted.path_of("location")).status == 200  # the poll: done
    assert client.request("GET", api(base)).json["error"]["code"] == "DeploymentNotFound"
    assert client.request("DELETE", api(base)).status == 204
    assert cli("list", "-g", "rg1", "--query", "[].name", "-o", "tsv").stdout == "myvmss\n"  # the set stays
