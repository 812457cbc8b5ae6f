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


def wide_reads() -> list[str]:
    """Every read command x every format, with query shapes that pick scalars, lists, objects, projections,
    filters, functions and multiselects (the second, wider sample)."""
    commands = {
        "show -g rg1 -n plain": ["virtualMachineProfile.storageProfile", "virtualMachineProfile.osProfile",
                                 "sku.{n: name, c: capacity}", "keys(virtualMachineProfile)",
                                 "virtualMachineProfile.storageProfile.dataDisks[].lun",
                                 "virtualMachineProfile.storageProfile.dataDisks[0]", "values(sku)",
                                 "to_string(sku)", "upgradePolicy.mode", "[provisioningState, orchestrationMode]"],
        "list -g rg1": ["[].sku", "[].upgradePolicy", "[?name=='web'] | [0].zones", "sort_by(@, &name)[].name",
                        "[].[name, sku.capacity, location]", "max_by(@, &sku.capacity).name", "[*].tags",
                        "[0].virtualMachineProfile.extensionProfile", "length([?zones])", "[].keys(@)"],
        "list-instances -g rg1 -n web": ["[].instanceId", "[0]", "[].{id: instanceId, z: zones}", "[].storageProfile",
                                         "[0].storageProfile.osDisk", "[?instanceId=='1'].name", "[].osProfile",
                                         "length(@)", "[].latestModelApplied", "[0].keys(@)"],
        "show -g rg1 -n web --instance-id 0": ["storageProfile", "storageProfile.osDisk", "keys(@)", "osProfile",
                                               "hardwareProfile", "[instanceId, name]", "networkProfileConfiguration",
                                               "@"],
        "get-instance-view -g rg1 -n web": ["virtualMachine", "statuses", "statuses[0]", "extensions",
                                            "orchestrationServices", "keys(@)", "@", "virtualMachine.statusesSummary"],
        "get-instance-view -g rg1 -n web --instance-id *": ["[].computerName", "[0].statuses", "[].vmHealth.status",
                                                            "[0].extensions[0]", "[].platformFaultDomain", "[0]"],
        "rolling-upgrade get-latest -g rg1 -n web": ["policy", "progress", "runningStatus.code", "keys(policy)",
                                                     "[policy.maxBatchInstancePercent, progress.successfulInstanceCount]",
                                                     "{s: runningStatus.code, p: progress}"],
        "get-os-upgrade-history -g rg1 -n web": ["[0].properties", "[0].properties.progress", "[].properties.startedBy",
                                                 "[0].properties.rollbackInfo", "[0].keys(properties)", "[].type"],
        "group show -n rg1": ["name", "properties", "keys(@)", "@", "{n: name, l: location}", "tags"],
        "group list": ["[].name", "[0]", "[].properties", "length(@)", "[?location=='eastus'].id", "@"],
    }
    lines = []
    for command, queries in commands.items():
        for fmt in FORMATS:
            lines.append(f"vmss {command} -o {fmt}")
            for query in queries:
                lines.append(f'vmss {command} --query "{query}" -o {fmt}')
    return lines


def wide_updates() -> list[str]:
    """Generic updates on many paths of both sets (the second, wider sample)."""
    q = '--query "{p: upgradePolicy, t: tags, c: sku.capacity, s: virtualMachineProfile.storageProfile.osDisk}"'
    sets = [f"{SP}.osDisk.diskSizeGB=64", f"{SP}.osDisk.caching=ReadWrite", "upgradePolicy.mode=Automatic",
            "upgradePolicy.mode=rolling", "tags.a=b tags.c=d", "tags={}", "tags.x=", "sku.tier=Premium",
            "sku.capacity=0", "sku.capacity=-1", "sku.capacity=1.5", "singlePlacementGroup=true",
            "platformFaultDomainCount=2", f"{EXT}[0].autoUpgradeMinorVersion=false", f"{EXT}[0].settings.port=81",
            f"{EXT}[0].settings={{}}", f"{EXT}[name=ApplicationHealthLinux].typeHandlerVersion=1.1",
            f"{NIC}[0].name=renamed", f"{NIC}[0].enableAcceleratedNetworking=true", f"{NIC}[-1].primary=true",
            "virtualMachineProfile.osProfile.adminUsername=other", "doNotRunExtensionsOnOverprovisionedVMs=true",
            "upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent=50",
            "upgradePolicy.rollingUpgradePolicy.pauseTimeBetweenBatches=PT1M", "nosuch=1", "nosuch.deeper=1",
            "sku=null", "tags.a.b=1", f"{SP}.osDisk=null", f"{EXT}[1].name=x", "zones[0]=3", "zones=[]"]
    out = []
    for name in ("web", "plain"):
        out += [f"vmss update -g rg1 -n {name} --set {s} {q}" for s in sets]
    out += [f"vmss update -g rg1 -n web --add tags a=b {q}", f"vmss update -g rg1 -n web --add zones 3 {q}",
            f"vmss update -g rg1 -n web --remove zones 0 --query zones", f"vmss update -g rg1 -n web --remove zones 9",
            f"vmss update -g rg1 -n web --remove tags.nosuch --query tags", f"vmss update -g rg1 -n web --remove {EXT} 0 "
            f"--query {EXT}", f"vmss update -g rg1 -n web --remove {EXT}[0].settings --query {EXT}[0]",
            f"vmss update -g rg1 -n web --add {EXT}[0].settings x=1", f"vmss update -g rg1 -n web --remove nosuch",
            f"vmss update -g rg1 -n web --add nosuch x=1", f"vmss update -g rg1 -n plain --add {SP}.dataDisks "
            f"'{{\"lun\": 3, \"createOption\": \"Empty\", \"diskSizeGB\": 4}}' --query {SP}.dataDisks[].lun",
            "vmss update -g rg1 -n web --set tags.a=b -o tsv", "vmss update -g rg1 -n web --set tags.a=b -o yaml",
            "vmss update -g rg1 -n web --set tags.a=b -o none", "vmss update -g rg1 -n web --set tags.a=b -o jsonc",
            "vmss update -g rg1 -n web --set tags.a=b --query keys(@) -o tsv",
            "vmss update -g rg1 -n web --set tags.a=b --query @ -o table",
            "vmss update -g nosuchrg -n web --set tags.a=b", "vmss update -g rg1 -n web --remove",
            "vmss update -g rg1 -n web --add tags", "vmss update -g rg1 -n web --set tags.a=b --no-wait",
            "vmss update -g rg1 -n web --max-unhealthy-instance-percent 30 --query upgradePolicy",
            "vmss update -g rg1 -n web --pause-time-between-batches PT5S --query upgradePolicy",
            "vmss update -g rg1 -n web --prioritize-unhealthy-instances true --query upgradePolicy",
            "vmss update -g rg1 -n web --enable-cross-zone-upgrade true --query upgradePolicy",
            "vmss update -g rg1 -n plain --upgrade-policy-mode Rolling --query upgradePolicy",
            # the bounds az's AAZ arguments declare, checked on az's side before the PUT
            "vmss update -g rg1 -n web --max-batch-instance-percent -5",
            "vmss update -g rg1 -n web --max-batch-instance-percent 3",
            "vmss update -g rg1 -n web --max-batch-instance-percent 101",
            "vmss update -g rg1 -n web --max-batch-instance-percent 5 --query upgradePolicy",
            "vmss update -g rg1 -n web --max-unhealthy-instance-percent 4",
            "vmss update -g rg1 -n web --max-unhealthy-instance-percent 100 --query upgradePolicy",
            "vmss update -g rg1 -n web --max-unhealthy-upgraded-instance-percent 101",
            "vmss update -g rg1 -n web --max-unhealthy-upgraded-instance-percent -5",
            "vmss update -g rg1 -n web --max-unhealthy-upgraded-instance-percent 0 --query upgradePolicy"]
    return out


def wide_errors() -> list[str]:
    """Not found, bad names, conflicts and usage errors on every shared command (the second sample)."""
    out = []
    for rg, name in (("rg1", "nosuch"), ("nosuchrg", "web"), ("rg1", "bad_name!"), ("bad rg", "web"),
                     ("rg1", "-x"), ("RG1", "WEB")):
        for command in ("show", "rolling-upgrade get-latest", "get-os-upgrade-history", "get-instance-view",
                        "list-instances", "rolling-upgrade start", "rolling-upgrade cancel", "delete"):
            out.append(f"vmss {command} -g '{rg}' -n '{name}'")
        out.append(f"vmss scale -g '{rg}' -n '{name}' --new-capacity 2")
    out += ["vmss list -g nosuchrg", "vmss list -g RG1 --query [].name", "vmss group show -n RG1 --query name",
            "vmss group exists -n rg1", "vmss group exists -n nosuch", "vmss group exists -n rg1 -o tsv",
            "vmss show -g rg1 -n web --instance-id 7", "vmss show -g rg1 -n web --instance-id x",
            "vmss get-instance-view -g rg1 -n web --instance-id x", "vmss rolling-upgrade start -g rg1 -n plain",
            "vmss scale -g rg1 -n web --new-capacity 3 --query sku.capacity", "vmss scale -g rg1 -n web --new-capacity 3",
            "vmss scale -g rg1 -n plain --new-capacity 1 --query sku", "vmss scale -g rg1 -n plain --new-capacity -1",
            "vmss scale -g rg1 -n plain --new-capacity 1.5", "vmss list-instances -g rg1 -n plain -o table",
            "vmss list-instances -g rg1 -n web --query [].instanceId -o tsv", "vmss delete -g rg1 -n plain",
            "vmss delete -g rg1 -n plain --no-wait", "vmss rolling-upgrade start -g rg1 -n web --no-wait",
            "vmss rolling-upgrade cancel -g rg1 -n plain"]
    for command in ("show", "list", "list-instances", "get-instance-view", "get-os-upgrade-history", "scale",
                    "delete", "update", "rolling-upgrade get-latest", "rolling-upgrade start",
                    "rolling-upgrade cancel", "group show", "group list"):
        out += [f"vmss {command} --nosuch", f"vmss {command} -g rg1 -n web -o nosuch", f"vmss {command} extra",
                f"vmss {command} -g", f"vmss {command} --query '[' -g rg1 -n web"]
    for command in ("show", "scale", "update", "get-instance-view", "delete", "rolling-upgrade start",
                    "rolling-upgrade cancel", "rolling-upgrade get-latest", "get-os-upgrade-history", "list-instances",
                    "update-instances", "create", "group show", "group exists"):
        out += [f"vmss {command} -g rg1 -n", f"vmss {command} -g -n web", f"vmss {command} -g rg1 -n web --bogus 1 2"]
    out += [f"vmss show --ids {WEB}", f"vmss show --ids {WEB} -g rg1", f"vmss show -g rg1 -n web --ids {WEB}",
            f"vmss get-os-upgrade-history --ids {WEB}", f"vmss list-instances --ids {WEB}",
            f"vmss rolling-upgrade get-latest --ids {WEB} --name web", f"vmss delete --ids {PLAIN} --name plain",
            f"vmss rolling-upgrade cancel --ids {WEB} --vm-scale-set-name web",
            f"vmss scale --ids {WEB} --name web --new-capacity 3 -o none",
            f"vmss get-instance-view --ids {WEB}/virtualMachines/0 --name web -o none",
            f"vmss get-instance-view --ids {WEB}/virtualMachines/0 {WEB}/virtualMachines/2 --query [].computerName",
            f"vmss get-instance-view --ids {WEB}/virtualMachines/0 {WEB}/virtualMachines/9 --query [].computerName",
            f"vmss rolling-upgrade get-latest --ids {WEB} {NOSUCH} --query [].runningStatus.code",
            f"vmss rolling-upgrade get-latest --ids {NOSUCH} {NOSUCH}",
            f"vmss update --ids {WEB}/virtualMachines/0 --set tags.a=b --query tags",
            f"vmss scale --ids {PLAIN} {WEB} --new-capacity 4 --query [].sku.capacity -o tsv"]
    return out


def images_and_deployments() -> list[str]:
    """`vmss image …` (az vm image) against the catalog, and `deployment group` reads."""
    urn = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2"
    commands = {
        "image list-publishers -l eastus": ["[].name", "[0]", "length(@)", "[?name=='Canonical']", "[0].keys(@)"],
        "image list-offers -l eastus -p Canonical": ["[].name", "[0]", "[0].keys(@)", "[?contains(name, 'jammy')].name"],
        "image list-skus -l eastus -p Canonical -f 0001-com-ubuntu-server-jammy": ["[].name", "[0]", "[0].keys(@)"],
        f"image show -l eastus --urn {urn}:latest": ["keys(@)", "@", "osDiskImage", "automaticOSUpgradeProperties",
                                                    "{a: architecture, h: hyperVGeneration}", "name"],
        f"image show -l eastus --urn {urn}:22.04.202612010": ["name", "keys(@)"],
        "image list -l eastus -p Canonical -f 0001-com-ubuntu-server-jammy -s 22_04-lts-gen2 --all":
            ["[].version", "[0]", "[-1].urn", "[0].keys(@)", "length(@)"],
        "image list -l eastus -p Canonical -f 0001-com-ubuntu-server-focal --all": ["[].urn", "[0].keys(@)"],
        "deployment group list -g rg1": ["[].name", "length(@)"],
    }
    lines = []
    for command, queries in commands.items():
        for fmt in FORMATS:
            lines.append(f"vmss {command} -o {fmt}")
        for query in queries:
            for fmt in ("json", "tsv", "table"):
                lines.append(f'vmss {command} --query "{query}" -o {fmt}')
    lines += ["vmss image list-offers -l eastus -p Nosuch", "vmss image list-skus -l eastus -p Canonical -f nosuch",
              f"vmss image show -l eastus --urn {urn}:1.2.3", "vmss image show -l eastus --urn a:b",
              "vmss image show -l eastus --urn Canonical:nosuch:sku:latest", "vmss image list-publishers",
              "vmss image list-offers -l eastus", "vmss image list-skus -l eastus -p Canonical",
              "vmss image list-publishers -l nosuchregion", "vmss deployment group show -g rg1 -n nosuch",
              "vmss deployment group list -g nosuchrg", "vmss deployment group list",
              "vmss image list -l eastus -p Canonical -f nosuch --all"]
    return lines


def all_cases() -> list[str]:
    seen: dict[str, None] = {}
    for line in reads() + query_errors() + ids() + updates() + usage_errors() + wide_reads() + wide_updates() + \
            wide_errors() + images_and_deployments():
        seen.setdefault(line, None)
    return list(seen)


MUTATING = ("vmss update", "vmss delete", "vmss rolling-upgrade start", "vmss rolling-upgrade cancel", "vmss scale")
