"""The differential tier's command lines, generated: formats x commands, --query, generic update,
errors and usage errors. Each line is written as for vmss; az gets the same words (harness.az_line).

The baseline store (build_baseline) has resource group rg1 with `web` (Uniform, Rolling, zones 1 2,
3 instances, one finished rolling upgrade) and `plain` (Uniform, Manual, 2 instances)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

WEB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Compute/" \
      "virtualMachineScaleSets/web"
PLAIN = WEB[:-3] + "plain"
NOSUCH = WEB[:-3] + "nosuch"
FORMATS = ("json", "jsonc", "yaml", "yamlc", "table", "tsv", "none")
SP = "virtualMachineProfile.storageProfile"
EXT = "virtualMachineProfile.extensionProfile.extensions"
NIC = "virtualMachineProfile.networkProfile.networkInterfaceConfigurations"


def build_baseline(root: Path) -> None:
    env = dict(os.environ, VMSS_HOME=str(root), VMSS_START_TIME="2026-01-01T00:00:00Z", VMSS_SEED="42")

    def vmss(*args: str) -> None:
        subprocess.run([sys.executable, "-m", "vmss_cli", *args, "--only-show-errors"], env=env, check=True,
                       capture_output=True)

    vmss("group", "create", "-n", "rg1", "-l", "eastus")
    vmss("create", "-g", "rg1", "-n", "web", "--image", "Ubuntu2204", "--orchestration-mode", "Uniform",
         "--upgrade-policy-mode", "Rolling", "--instance-count", "3", "--zones", "1", "2")
    vmss("create", "-g", "rg1", "-n", "plain", "--image", "Ubuntu2204", "--orchestration-mode", "Uniform",
         "--instance-count", "2", "--data-disk-sizes-gb", "10", "20")
    vmss("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "0001-com-ubuntu-server-jammy",
         "-s", "22_04-lts-gen2", "--version", "22.04.202612010")
    vmss("rolling-upgrade", "start", "-g", "rg1", "-n", "web")


def reads() -> list[str]:
    """Read commands in every format, with and without --query."""
    commands = ["show -g rg1 -n web", "show -g rg1 -n plain", "list -g rg1", "list",
                "rolling-upgrade get-latest -g rg1 -n web", "get-os-upgrade-history -g rg1 -n web",
                "get-instance-view -g rg1 -n web", "get-instance-view -g rg1 -n web --instance-id 0",
                "get-instance-view -g rg1 -n web --instance-id *", "list-instances -g rg1 -n plain",
                "group show -n rg1", "group list", "show -g rg1 -n web --instance-id 1"]
    queries = ["name", "sku", "sku.capacity", "upgradePolicy", "zones", "[name, sku.capacity]", "{n: name, c: sku.capacity}",
               "tags", "[].name", "[].{name: name, zones: zones}", "length(@)", "[0]", "runningStatus",
               "progress", "[].properties.runningStatus.code", "[0].properties.targetImageReference",
               "statuses", "virtualMachineProfile.storageProfile.dataDisks", "[?sku.capacity > `2`].name",
               "id", "nosuch", "@", "keys(@)", "[?sku.capacity > '2'].name"]
    lines = []
    for command in commands:
        for fmt in FORMATS:
            lines.append(f"vmss {command} -o {fmt}")
    for command in ("show -g rg1 -n web", "list", "rolling-upgrade get-latest -g rg1 -n web",
                    "get-os-upgrade-history -g rg1 -n web", "get-instance-view -g rg1 -n web --instance-id 0"):
        for query in queries:
            for fmt in ("json", "tsv", "table"):
                lines.append(f'vmss {command} --query "{query}" -o {fmt}')
    return lines


def query_errors() -> list[str]:
    out = []
    for query in ("nosuchfn(@)", "length(@, @)", "length(`1`)", "sort_by(@, &name)", "max(name)",
                  "[?sku.capacity > '2']", "abs(name)", "join(',', zones)", "to_number(name) + 1", "[", "a.."):
        out.append(f'vmss show -g rg1 -n web --query "{query}"')
        out.append(f'vmss list --query "{query}" -o tsv')
    return out


def ids() -> list[str]:
    return [f"vmss rolling-upgrade get-latest --ids {WEB}", f"vmss rolling-upgrade get-latest --ids {WEB} {WEB}",
            f'vmss rolling-upgrade get-latest --ids {WEB} {WEB} --query "[].runningStatus.code" -o tsv',
            f"vmss rolling-upgrade get-latest --ids {WEB} {PLAIN}",
            f"vmss rolling-upgrade get-latest --ids {NOSUCH}",
            f"vmss rolling-upgrade get-latest --ids {WEB} -g rg1",
            f"vmss get-instance-view --ids {WEB}", f"vmss get-instance-view --ids {WEB} {PLAIN} -o tsv",
            f"vmss get-instance-view --ids {WEB} --instance-id 0 --query statuses[1].code -o tsv",
            f"vmss update --ids {WEB} --set tags.a=b --query tags",
            f"vmss update --ids {WEB} {PLAIN} --set tags.a=b --query [].tags",
            f"vmss update --ids {WEB} -n web --set tags.a=b --query tags",
            f"vmss delete --ids {PLAIN}", f"vmss delete --ids {NOSUCH}", f"vmss delete --ids {PLAIN} {WEB}",
            f"vmss rolling-upgrade cancel --ids {PLAIN} {WEB}", f"vmss rolling-upgrade start --ids {PLAIN} {WEB}",
            f"vmss get-instance-view --ids {WEB}/virtualMachines/0 {WEB}/virtualMachines/1 -o tsv",
            f"vmss scale --ids {WEB} {PLAIN} --new-capacity 3 --query [].sku.capacity",
            "vmss rolling-upgrade get-latest --ids notanid"]


def updates() -> list[str]:
    sets = ["upgradePolicy.mode=Manual", "sku.capacity=4", "tags.env=prod", "tags.build=123", "tags.flag=true",
            "tags.n=null", f"{EXT}[0].typeHandlerVersion=2.0", f"{EXT}[0].typeHandlerVersion=1.1",
            f"{SP}.osDisk.caching=None", f"{SP}.osDisk.caching=ReadOnly", "upgradePolicy=null", "zones=null",
            f"{SP}.dataDisks[5].diskSizeGB=64", f"{EXT}[name=nosuch].typeHandlerVersion=1",
            f"{EXT}[5].name=x", "upgradePolicy.mode.x=1", f"{NIC}.name=x", "=value",
            f"{SP}.dataDisks[x].lun=1", "upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent=30",
            "upgradePolicy.rollingUpgradePolicy=null", "overprovision=false", "sku.capacity=abc",
            "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade=yes", "tags='{\"a\": 1}'",
            f"{EXT}[0].settings.port=8080", "sku.name=Standard_D4s_v5"]
    out = [f'vmss update -g rg1 -n web --set {s} --query "{{p: upgradePolicy, t: tags, c: sku.capacity}}"'
           for s in sets]
    out += [f"vmss update -g rg1 -n plain --add {SP}.dataDisks lun=2",
            f"vmss update -g rg1 -n plain --add {SP}.dataDisks lun=2 createOption=Empty diskSizeGB=5 "
            f"--query {SP}.dataDisks[2]",
            f"vmss update -g rg1 -n plain --remove {SP}.dataDisks 0 --query {SP}.dataDisks",
            f"vmss update -g rg1 -n plain --remove {SP}.dataDisks 7",
            f"vmss update -g rg1 -n plain --remove {SP}.dataDisks[0]",
            f"vmss update -g rg1 -n plain --set {SP}.dataDisks[lun=9].diskSizeGB=1",
            f"vmss update -g rg1 -n plain --set {SP}.dataDisks[1].diskSizeGB=64 --query {SP}.dataDisks",
            f"vmss update -g rg1 -n web --add {EXT} name=x", "vmss update -g rg1 -n web --add tags x=1",
            "vmss update -g rg1 -n web --remove tags --query tags",
            "vmss update -g rg1 -n web --set upgradePolicy.mode=Rolling --remove upgradePolicy.mode",
            "vmss update -g rg1 -n web --max-batch-instance-percent 50 --query upgradePolicy",
            "vmss update -g rg1 -n web --max-batch-instance-percent abc",
            "vmss update -g rg1 -n web --enable-auto-os-upgrade yes",
            "vmss update -g rg1 -n web --upgrade-policy-mode sometimes",
            "vmss update -g rg1 -n web --upgrade-policy-mode manual --query upgradePolicy.mode -o tsv",
            "vmss update -g rg1 --set tags.a=b", "vmss update -n web --set tags.a=b", "vmss update --set tags.a=b",
            "vmss update -g rg1 -n nosuch --set tags.a=b", "vmss update -g rg1 -n web --set",
            "vmss update -g rg1 -n web --set tags.a=b -o table",
            "vmss update -g rg1 -n web --set tags.a=b --force-string --query tags"]
    return out


def usage_errors() -> list[str]:
    return ["vmss show -g rg1", "vmss show -g rg1 -n web extra", "vmss show -g rg1 -n", "vmss show -g rg1 -n web -o xml",
            "vmss show -g rg1 -n web --bogus", "vmss list -g", "vmss show", "vmss nosuch",
            "vmss get-os-upgrade-history -g rg1", "vmss rolling-upgrade get-latest -g rg1",
            "vmss rolling-upgrade get-latest -n web", "vmss rolling-upgrade nosuch", "vmss show -g rg1 -n nosuch",
            "vmss show -g nosuchrg -n web", "vmss rolling-upgrade get-latest -g rg1 -n plain",
            "vmss rolling-upgrade cancel -g rg1 -n web", "vmss get-os-upgrade-history -g rg1 -n plain",
            "vmss list-instances -g rg1", "vmss get-instance-view -g rg1 -n web --instance-id 9",
            "vmss group show -n nosuch", "vmss show -g rg1 -n web --query", "vmss show -g rg1 -n web -o",
            "vmss show -g rg1 -n web --subscription nosuch", "vmss get-os-upgrade-history -g rg1 -n web --max-items x",
            "vmss delete -g rg1 -n nosuch", "vmss delete -g nosuchrg -n web", "vmss delete -g rg1", "vmss delete",
            "vmss scale -g rg1 -n web", "vmss scale --new-capacity 2", "vmss scale -g rg1 --new-capacity 2",
            "vmss get-instance-view -g rg1", "vmss create --image x", "vmss update-instances --instance-ids 1",
            "vmss list-instances -g rg1 -n", "vmss show -g rg1 --name", "vmss scale -g rg1 -n web --new-capacity x",
            "vmss rolling-upgrade start -g rg1", "vmss rolling-upgrade cancel -n web",
            "vmss get-os-upgrade-history -n web", "vmss list -o tsv --query", "vmss update-instances"]


def all_cases() -> list[str]:
    seen: dict[str, None] = {}
    for line in reads() + query_errors() + ids() + updates() + usage_errors():
        seen.setdefault(line, None)
    return list(seen)


MUTATING = ("vmss update", "vmss delete", "vmss rolling-upgrade start", "vmss rolling-upgrade cancel")
