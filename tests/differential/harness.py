"""Run one command line through real az 2.91 (against tests/differential/fake_arm.py) and through
vmss, each on its own copy of the same store, and report what each printed."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.differential.fake_arm import TENANT, FakeArm

AZ_VERSION = "2.91.0"


def find_az() -> tuple[Path | None, str]:
    """The az 2.91 executable: $VMSS_AZ291 (a venv with azure-cli 2.91.0, or its bin/az), else the venv
    `.ci/run` builds in ~/.cache/vmss-ci/az291. Returns (path or None, why not)."""
    candidates = [os.environ.get("VMSS_AZ291"), str(Path.home() / ".cache/vmss-ci/az291")]
    for candidate in filter(None, candidates):
        path = Path(candidate)
        path = path if path.name == "az" else path / "bin" / "az"
        if path.is_file():
            if not list(path.parent.parent.glob(f"lib/python3*/site-packages/azure_cli-{AZ_VERSION}.dist-info")):
                return None, f"{path} is not azure-cli {AZ_VERSION}"
            return path, ""
    return None, (f"az {AZ_VERSION} is not installed: set VMSS_AZ291 to a venv with `pip install "
                  f"azure-cli=={AZ_VERSION}` (`.ci/run` builds one in ~/.cache/vmss-ci/az291)")


class Session:
    """One logged-in az configuration against one FakeArm."""

    def __init__(self, az: Path, workdir: Path) -> None:
        self.az = az
        self.workdir = workdir
        self.server_store = workdir / "server-store"
        self.vmss_store = workdir / "vmss-store"
        self.server_store.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(workdir / "az", ignore_errors=True)  # a fresh az configuration every session
        self.arm = FakeArm(self.server_store, workdir / "certs").__enter__()
        self.env = dict(os.environ, AZURE_CONFIG_DIR=str(workdir / "az"), REQUESTS_CA_BUNDLE=str(self.arm.ca),
                        AZURE_CORE_COLLECT_TELEMETRY="false", AZURE_CORE_NO_COLOR="true",
                        AZURE_CORE_INSTANCE_DISCOVERY="false", AZURE_CORE_SURVEY_MESSAGE="false",
                        AZURE_CORE_ONLY_SHOW_ERRORS="false", COLUMNS="120")
        self.env.pop("AZURE_DEFAULTS_GROUP", None)
        url = self.arm.url
        for args in (["config", "set", "core.instance_discovery=false", "core.collect_telemetry=false",
                      "core.survey_message=false", "core.no_color=true", "--only-show-errors"],
                     ["cloud", "register", "-n", "VmssEmulator", "--skip-endpoint-discovery",
                      "--endpoint-resource-manager", url, "--endpoint-active-directory", url + "adfs",
                      "--endpoint-active-directory-resource-id", url,
                      "--endpoint-active-directory-graph-resource-id", url + "graph/"],
                     ["cloud", "set", "-n", "VmssEmulator"],
                     ["login", "--service-principal", "-u", "any-app", "-p", "any-secret", "--tenant", TENANT,
                      "-o", "none"]):
            done = subprocess.run([str(az), *args], env=self.env, capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                raise RuntimeError(f"az {' '.join(args)} failed: {done.stderr.strip()}")

        # az's Python runs tests/differential/az_worker.py: one warm process that forks a child per command
        worker_env = dict(self.env, AZ_INSTALLER="PIP", PYTHONPATH=str(az.parent / "src"))
        self.worker = subprocess.Popen([str(az.parent / "python"), str(Path(__file__).with_name("az_worker.py"))],
                                       env=worker_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                       cwd=str(workdir))
        assert self.worker.stdout.readline().strip() == "ready"

    def close(self) -> None:
        self.worker.stdin.close()
        self.worker.wait(timeout=60)
        self.arm.__exit__(None, None, None)

    def reset(self, baseline: Path) -> None:
        """Both stores back to `baseline` (a command may have changed either)."""
        for store in (self.server_store, self.vmss_store):
            shutil.rmtree(store, ignore_errors=True)
            shutil.copytree(baseline, store)

    def run_az(self, argv: list[str]) -> tuple[int, str, str]:
        """`az ARGV` (through the warm worker, as `az` itself runs it): exit code, stdout, stderr."""
        out, err = self.workdir / "az.out", self.workdir / "az.err"
        env = {}
        if argv.count("--ids") and len(ids_of(argv)) > 1:
            # az runs several ids in parallel and lists the results as they finish, in an order that varies
            # from run to run; with core.disable_concurrent_ids it runs them in the order given, as vmss
            # does (README "Differences from az")
            env["AZURE_CORE_DISABLE_CONCURRENT_IDS"] = "true"
        self.worker.stdin.write(json.dumps({"argv": argv, "out": str(out), "err": str(err), "env": env}) + "\n")
        self.worker.stdin.flush()
        code = int(self.worker.stdout.readline())
        return code, out.read_text(), err.read_text()

    def run_vmss(self, argv: list[str]) -> tuple[int, str, str]:
        assert argv[0] == "vmss"
        env = dict(os.environ, VMSS_HOME=str(self.vmss_store))
        done = subprocess.run([sys.executable, "-m", "vmss_cli", *argv[1:]], env=env, capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)
        return done.returncode, done.stdout, done.stderr


def ids_of(argv: list[str]) -> list[str]:
    """The values of --ids in a command line (up to the next option)."""
    if "--ids" not in argv:
        return []
    rest = argv[argv.index("--ids") + 1:]
    return [word for word in rest[:next((i for i, w in enumerate(rest) if w.startswith("-")), len(rest))]]


def first_line(text: str) -> str:
    return text.splitlines()[0] if text.strip() else ""


def compare(az: tuple[int, str, str], vm: tuple[int, str, str]) -> str | None:
    """None when they agree: same exit code, same stdout, same first stderr line on failure."""
    if az[0] != vm[0]:
        return f"exit code az={az[0]} vmss={vm[0]}"
    if az[1] != vm[1]:
        return "stdout differs"
    # argparse names the program in some messages (`az vmss show: 'xml' is not a valid value ...`): vmss
    # says `vmss show:` there (`vmss group show:` for `az group show:`), as it does in its examples
    az_first = first_line(az[2])
    for words in ("group", "deployment", "vm image", "sig", "config"):
        az_first = az_first.replace(f"ERROR: az {words} ", f"ERROR: vmss {words.replace('vm image', 'image')} ", 1)
    if az[0] != 0 and az_first.replace("ERROR: az ", "ERROR: ", 1) != first_line(vm[2]):
        return "first stderr line differs"
    if az[0] == 0 and az[2] != vm[2]:  # warnings on success: all of them, byte for byte
        return "stderr differs"
    return None


def az_line(line: str) -> list[str]:
    """`vmss …` as az types it: `az vmss …` (`vmss image` = `az vm image`, groups as themselves)."""
    words = shlex.split(line)
    if words[1] in ("group", "sig", "deployment", "config"):
        return words[1:]
    if words[1] == "image":
        return ["vm", *words[1:]]
    return words
