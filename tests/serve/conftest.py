"""`vmss serve` in-process on a free port over the test's own store, and an HTTPS client trusting its CA."""

from __future__ import annotations

import http.client
import json
import os
import ssl
from pathlib import Path

import pytest

SUB = "00000000-0000-0000-0000-000000000000"
RG_PATH = f"/subscriptions/{SUB}/resourceGroups/rg1"
VMSS_PATH = RG_PATH + "/providers/Microsoft.Compute/virtualMachineScaleSets/web"


class Client:
    """One keep-alive HTTPS connection, as az and the SDKs use."""

    def __init__(self, url: str, ca_file: Path) -> None:
        self.url = url
        host, port = url.removeprefix("https://").rsplit(":", 1)
        context = ssl.create_default_context(cafile=str(ca_file))
        self.conn = http.client.HTTPSConnection(host.strip("[]"), int(port), context=context, timeout=30)

    def request(self, method: str, path: str, body=None, headers: dict | None = None, raw: bytes | None = None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        hdrs = {"Content-Type": "application/json"} | (headers or {})
        self.conn.request(method, path, body=data, headers=hdrs)
        resp = self.conn.getresponse()
        payload = resp.read()
        return Reply(resp.status, dict(resp.getheaders()), payload)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def close(self) -> None:
        self.conn.close()


class Reply:
    def __init__(self, status: int, headers: dict, payload: bytes) -> None:
        self.status = status
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.payload = payload

    @property
    def json(self):
        return json.loads(self.payload)

    def path_of(self, header: str) -> str:
        """The path and query of a URL header (Azure-AsyncOperation, Location)."""
        url = self.headers[header.lower()]
        return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def serving(vmss_home):
    from vmss_cli.serve.server import Serving

    server = Serving(Path(os.environ["VMSS_HOME"]), port=0).start_background()
    yield server
    server.close()


@pytest.fixture
def client(serving):
    c = Client(serving.url, serving.ca_file)
    yield c
    c.close()


def make_client(serving) -> Client:
    return Client(serving.url, serving.ca_file)


def api(path: str, version: str = "2024-11-01") -> str:
    return path + ("&" if "?" in path else "?") + f"api-version={version}"


def create_seed_set(client: Client, name: str = "web", capacity: int = 10, auto: bool = False) -> dict:
    """A Rolling set of the seed's image, created by PUT as the SDK's begin_create_or_update sends it."""
    reply = client.request("PUT", api(f"/subscriptions/{SUB}/resourcegroups/rg1"), {"location": "eastus"})
    assert reply.status in (200, 201), reply.payload
    body = {
        "location": "eastus", "sku": {"name": "Standard_D2s_v5", "capacity": capacity},
        "properties": {
            "upgradePolicy": {"mode": "Rolling",
                              "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": auto}},
            "virtualMachineProfile": {
                "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "UbuntuServer",
                                                      "sku": "18.04-LTS", "version": "latest"}},
                "osProfile": {"computerNamePrefix": name, "adminUsername": "azureuser",
                              "adminPassword": "S3cret-Passw0rd!"},
                "networkProfile": {"healthProbe": {"id": RG_PATH + "/providers/Microsoft.Network/loadBalancers/lb/probes/p"},
                                   "networkInterfaceConfigurations": [{"name": "nic", "properties": {"primary": True, "ipConfigurations": [{"name": "ip", "properties": {"subnet": {"id": RG_PATH + "/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default"}}}]}}]},
            },
        },
    }
    reply = client.request("PUT", api(RG_PATH + f"/providers/Microsoft.Compute/virtualMachineScaleSets/{name}",
                                      "2026-04-01"), body)
    assert reply.status == 201, reply.payload
    return reply.json


def publish(client: Client, version: str, fail_percent: int = 0) -> None:
    reply = client.request("POST", "/_vmss/images/publish", {
        "location": "eastus", "publisher": "Canonical", "offer": "UbuntuServer", "sku": "18.04-LTS",
        "version": version, "failPercent": fail_percent})
    assert reply.status == 200, reply.payload
