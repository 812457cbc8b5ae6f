"""`vmss serve` as a process (start, files, Ctrl-C), `vmss serve az-login`, and many clients at once."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.serve.conftest import SUB, Client, api, create_seed_set, make_client

REPO = Path(__file__).parents[2]


def _wait_for(path: Path, proc: subprocess.Popen, limit: float = 60.0) -> None:
    """Wall-clock wait for another process to start listening (not world time)."""
    deadline = time.monotonic() + limit
    while not path.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"vmss serve did not start: {proc.communicate()}")
        time.sleep(0.05)


def test_serve_runs_in_the_foreground_announces_itself_and_stops_on_ctrl_c(vmss_home, cli):
    proc = subprocess.Popen([sys.executable, "-m", "vmss_cli", "serve", "--port", "0"], cwd=REPO,
                            env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    endpoint = vmss_home / "serve" / "endpoint"
    _wait_for(endpoint, proc)
    url = endpoint.read_text().strip()
    assert url.startswith("https://localhost:") and int(url.rsplit(":", 1)[1]) > 0
    for name in ("ca.key", "server.key"):
        assert stat.S_IMODE((vmss_home / "serve" / name).stat().st_mode) == 0o600
    client = Client(url, vmss_home / "serve" / "ca.pem")
    assert client.request("PUT", api(f"/subscriptions/{SUB}/resourcegroups/rg1"), {"location": "eastus"}).status == 201
    client.close()
    assert cli("group", "show", "-n", "rg1", "--query", "location", "-o", "tsv").stdout == "eastus\n"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert out == ""
    assert f"vmss serve: listening on {url} (store {vmss_home}, clock on-poll)" in err
    assert f"  export REQUESTS_CA_BUNDLE={vmss_home / 'serve' / 'ca.pem'}\n" in err
    assert "  vmss serve az-login" in err
    assert err.endswith("vmss serve: stopped.\n") and "Traceback" not in err
    assert not endpoint.exists()  # nothing listens there any more


def test_the_ca_is_kept_across_restarts(vmss_home):
    from vmss_cli.serve.server import Serving

    first = Serving(vmss_home, port=0)
    ca = (vmss_home / "serve" / "ca.pem").read_bytes()
    first.httpd.server_close()
    Serving(vmss_home, port=0).httpd.server_close()
    assert (vmss_home / "serve" / "ca.pem").read_bytes() == ca  # REQUESTS_CA_BUNDLE stays valid


def test_a_port_in_use_is_an_error_not_a_traceback(serving, cli):
    result = cli("serve", "--port", str(serving.port))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"ERROR: Cannot listen on 127.0.0.1:{serving.port}: ")


def test_keep_alive_serves_many_requests_on_one_connection(client):
    for _ in range(50):
        assert client.get(api(f"/subscriptions/{SUB}/resourcegroups")).status == 200


def test_many_clients_at_once_on_one_store(serving, client):
    create_seed_set(client, capacity=4)
    errors: list = []

    def reader():
        c = make_client(serving)
        try:
            for _ in range(15):
                reply = c.get(api(f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/"
                                  "virtualMachineScaleSets/web"))
                if reply.status != 200 or reply.json["name"] != "web":
                    errors.append(reply.payload)
        finally:
            c.close()

    def writer():
        c = make_client(serving)
        try:
            for _ in range(5):
                if c.request("POST", "/_vmss/clock/advance", {"seconds": 60}).status != 200:
                    errors.append("advance")
        finally:
            c.close()

    threads = [threading.Thread(target=reader) for _ in range(6)] + [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert client.get("/_vmss/clock").json["now"] == "2026-01-01T00:10:00+00:00"  # 2 writers × 5 × 60 s, none lost


# ---- az-login -----------------------------------------------------------------------------------------

FAKE_AZ = """#!/bin/sh
echo "$AZURE_CONFIG_DIR|$REQUESTS_CA_BUNDLE|$*" >> "$FAKE_AZ_LOG"
case "$*" in "cloud show"*) exit "$FAKE_AZ_SHOW" ;; esac
exit 0
"""


@pytest.fixture
def fake_az(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "az").write_text(FAKE_AZ)
    (bin_dir / "az").chmod(0o755)
    log = tmp_path / "az.log"
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_AZ_LOG", str(log))
    monkeypatch.setenv("FAKE_AZ_SHOW", "3")
    monkeypatch.setenv("AZURE_CONFIG_DIR", str(tmp_path / "azconfig"))
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    return log


def test_az_login_registers_selects_and_logs_in(serving, fake_az, cli, tmp_path, vmss_home):
    result = cli("serve", "az-login")
    assert result.exit_code == 0, result.stderr
    ep = serving.url
    ca = vmss_home / "serve" / "ca.pem"
    prefix = f"{tmp_path / 'azconfig'}|{ca}|"
    assert fake_az.read_text().splitlines() == [
        prefix + "cloud show -n VmssEmulator -o none",
        prefix + f"cloud register -n VmssEmulator --skip-endpoint-discovery --endpoint-resource-manager {ep}/ "
                 f"--endpoint-active-directory {ep}/adfs --endpoint-active-directory-resource-id {ep}/ "
                 f"--endpoint-active-directory-graph-resource-id {ep}/graph/",
        prefix + "cloud set -n VmssEmulator",
        prefix + "login --service-principal -u vmss-emulator -p vmss-emulator --tenant "
                 "72f988bf-0000-0000-0000-000000000001 -o none",
    ]
    assert result.stderr.startswith(f"az ({tmp_path / 'bin' / 'az'}, config {tmp_path / 'azconfig'}) now talks to {ep}:\n"
                                    "  registered the cloud 'VmssEmulator'")
    assert f"  export REQUESTS_CA_BUNDLE={ca}\n" in result.stderr
    assert result.stderr.endswith("Undo:\n  az logout; az cloud set -n AzureCloud; az cloud unregister -n "
                                  "VmssEmulator\n")


def test_az_login_updates_a_cloud_registered_before(serving, fake_az, cli, monkeypatch):
    monkeypatch.setenv("FAKE_AZ_SHOW", "0")
    assert cli("serve", "az-login", "--endpoint", "https://localhost:9/").exit_code == 0
    lines = fake_az.read_text().splitlines()
    assert lines[1].split("|")[2].startswith("cloud update -n VmssEmulator --endpoint-resource-manager "
                                             "https://localhost:9/ ")


def test_az_login_without_a_server_or_az_says_what_to_do(fake_az, cli, monkeypatch, vmss_home):
    result = cli("serve", "az-login")
    assert (result.exit_code, result.stderr) == (1, f"ERROR: No running 'vmss serve' found "
                                                    f"('{vmss_home / 'serve' / 'endpoint'}' does not exist): start "
                                                    "'vmss serve' first, or pass --endpoint URL.\n")
    http = cli("serve", "az-login", "--endpoint", "http://localhost:8443")
    assert http.stderr == ("ERROR: The endpoint 'http://localhost:8443' is not an https URL; az sends tokens "
                           "over https only.\n")
    monkeypatch.setenv("PATH", "/nonexistent")
    missing = cli("serve", "az-login", "--endpoint", "https://localhost:8443")
    assert missing.stderr == ("ERROR: az was not found on PATH. Install the Azure CLI (pip install azure-cli) and "
                              "run this again.\n")


def test_reads_never_wait_for_a_writer_holding_the_store_lock(serving, client, vmss_home):
    """A long write (another shell's `vmss sim clock advance`, a blocking rollout) holds the store's lock:
    serve's reads answer meanwhile; its writes wait for the lock and then land."""
    import fcntl

    from vmss_cli.store import paths

    create_seed_set(client, capacity=2)
    writer_done = threading.Event()
    results: dict = {}
    with open(paths.lock_file(vmss_home), "a+") as lock:  # another process's lock: an OS flock on the file
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        for path in (api(f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/"
                         "virtualMachineScaleSets/web"), "/_vmss/clock",
                     api(f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/"
                         "virtualMachineScaleSets/web/virtualMachines")):
            assert client.get(path).status == 200

        def write():
            c = make_client(serving)
            results["advance"] = c.request("POST", "/_vmss/clock/advance", {"seconds": 60}).json["now"]
            c.close()
            writer_done.set()

        thread = threading.Thread(target=write)
        thread.start()
        assert not writer_done.wait(0.3)  # the write waits for the lock (wall time: another process's lock)
        assert client.get("/_vmss/clock").json["now"] == "2026-01-01T00:00:00+00:00"
        fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
    thread.join(timeout=30)
    assert results["advance"] == "2026-01-01T00:01:00+00:00"


def test_serve_listens_on_ipv6_loopback_too(vmss_home):
    import socket

    from vmss_cli.serve.server import Serving

    if not socket.has_ipv6:
        pytest.skip("this machine has no IPv6")
    try:
        server = Serving(vmss_home, host="::1", port=0).start_background()
    except OSError as exc:
        pytest.skip(f"IPv6 loopback is not available here: {exc}")
    try:
        assert server.url == f"https://localhost:{server.port}"
        client = Client(f"https://[::1]:{server.port}", server.ca_file)
        assert client.get("/metadata/endpoints").status == 200  # the certificate names ::1
        client.close()
    finally:
        server.close()
