"""`vmss serve az-login`: point the az on PATH at a running `vmss serve`.

What it runs (the sequence proved against az 2.91): register (or update) the cloud `VmssEmulator`
with ADFS-style endpoints on the server — so MSAL does no instance discovery against
login.microsoftonline.com — select it, and log in with a service principal (any id and secret
are accepted by the emulator's token endpoint). AZURE_CONFIG_DIR is honoured because az reads it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from vmss_cli.errors import CliError
from vmss_cli.serve.identity import CLOUD_NAME, TENANT

SERVICE_PRINCIPAL = "vmss-emulator"


def endpoint_from_store(root: Path) -> str:
    from vmss_cli.serve.server import endpoint_file

    path = endpoint_file(root)
    try:
        return path.read_text().strip()
    except OSError:
        raise CliError(f"No running 'vmss serve' found ('{path}' does not exist): start 'vmss serve' first, or "
                       "pass --endpoint URL.") from None


def commands(endpoint: str, update: bool) -> list[list[str]]:
    ep = endpoint.rstrip("/")
    cloud = ["cloud", "update" if update else "register", "-n", CLOUD_NAME,
             "--endpoint-resource-manager", ep + "/", "--endpoint-active-directory", ep + "/adfs",
             "--endpoint-active-directory-resource-id", ep + "/",
             "--endpoint-active-directory-graph-resource-id", ep + "/graph/"]
    if not update:
        cloud.insert(4, "--skip-endpoint-discovery")
    return [cloud, ["cloud", "set", "-n", CLOUD_NAME],
            ["login", "--service-principal", "-u", SERVICE_PRINCIPAL, "-p", SERVICE_PRINCIPAL,
             "--tenant", TENANT, "-o", "none"]]


def run(root: Path, endpoint: str | None) -> None:
    endpoint = (endpoint or endpoint_from_store(root)).rstrip("/")
    if not endpoint.startswith("https://"):
        raise CliError(f"The endpoint '{endpoint}' is not an https URL; az sends tokens over https only.")
    az = shutil.which("az")
    if az is None:
        raise CliError("az was not found on PATH. Install the Azure CLI (pip install azure-cli) and run this again.")
    env = dict(os.environ)
    ca = root / "serve" / "ca.pem"
    if ca.exists():  # these calls only reach the emulator: trust its CA whatever the shell's bundle is
        env["REQUESTS_CA_BUNDLE"] = str(ca)
    env.setdefault("AZURE_CORE_COLLECT_TELEMETRY", "false")
    registered = subprocess.run([az, "cloud", "show", "-n", CLOUD_NAME, "-o", "none"], env=env,
                                capture_output=True, text=True).returncode == 0
    for args in commands(endpoint, registered):
        done = subprocess.run([az, *args], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            shown = " ".join(args)
            raise CliError(f"'az {shown}' failed (exit {done.returncode}): {done.stderr.strip()}")
    config_dir = os.environ.get("AZURE_CONFIG_DIR") or "~/.azure"
    sys.stderr.write(
        f"az ({az}, config {config_dir}) now talks to {endpoint}:\n"
        f"  {'updated' if registered else 'registered'} the cloud '{CLOUD_NAME}' with its endpoints, selected it, "
        f"and logged in as service principal '{SERVICE_PRINCIPAL}' (tenant {TENANT}).\n"
        "Every az command needs the emulator's CA:\n"
        f"  export REQUESTS_CA_BUNDLE={ca}\n"
        "Undo:\n"
        f"  az logout; az cloud set -n AzureCloud; az cloud unregister -n {CLOUD_NAME}\n")
