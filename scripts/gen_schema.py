#!/usr/bin/env python3
"""Generate `vmss_cli/data/vmss_schema.json`: the VM scale set model in az's flattened form.

The package must not read test fixtures at run time, so this script compiles the swagger extract
(`tests/fixtures/arm/ComputeRP.2026-09-01.extract.json` + `common-types-v1-common.json`) into a small table
that ships inside the package. The extract keeps only 43 definitions; the ones it references but does
not define are written out below (HAND) from the same ComputeRP.json, or listed as enums (a string) or
as opaque objects (any content accepted, as az would) where their shape does not matter to us.

Output format (read by `vmss_cli.core.arm.schema`):
    {"root": "VirtualMachineScaleSet",
     "defs": {"Name": {"props": {"prop": SPEC, ...},      # az form: `properties` merged in
                       "ro": ["prop", ...],                 # readOnly in the swagger
                       "arm": ["prop", ...]}}}              # kept under `properties` in ARM (if any)
    SPEC = "string" | "integer" | "number" | "boolean"    a scalar
         | "any"                                            an object we do not describe (open)
         | "map" | {"map": SPEC}                            a free-form map (tags, settings...)
         | "#Name"                                          a definition
         | [SPEC]                                           an array of SPEC

Run:  python scripts/gen_schema.py            (writes the file)
      python scripts/gen_schema.py --check    (exit 1 if the committed file is stale)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARM_DIR = REPO / "tests" / "fixtures" / "arm"
OUT = REPO / "vmss_cli" / "data" / "vmss_schema.json"
ROOT = "VirtualMachineScaleSet"

S, I, B, N = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}
RO_S = {"type": "string", "readOnly": True}


def ref(name: str, **extra) -> dict:
    return {"$ref": f"#/definitions/{name}", **extra}


def arr(item: dict) -> dict:
    return {"type": "array", "items": item}


def obj(**props) -> dict:
    return {"type": "object", "properties": props}


FLATTEN = {"x-ms-client-flatten": True}

# Definitions ComputeRP.json has but the extract left out (same names, same properties; descriptions
# dropped). Only what a scale set model carries; everything az prints for `vmss show` is covered.
HAND: dict[str, dict] = {
    # common-types v3 TrackedResource (id/name/type are read-only; systemData is not printed by az)
    "TrackedResource": obj(id=RO_S, name=RO_S, type=RO_S, location=S,
                           tags={"type": "object", "additionalProperties": S}),
    "Plan": obj(name=S, publisher=S, product=S, promotionCode=S),
    "Placement": obj(zonePlacementPolicy=S, includeZones=arr(S), excludeZones=arr(S)),
    "AdditionalCapabilities": obj(ultraSSDEnabled=B, hibernationEnabled=B),
    "ScaleInPolicy": obj(rules=arr(S), forceDeletion=B, prioritizeUnhealthyVMs=B),
    "SpotRestorePolicy": obj(enabled=B, restoreTimeout=S),
    "PriorityMixPolicy": obj(baseRegularPriorityCount=I, regularPriorityPercentageAboveBase=I),
    "Common.UserAssignedIdentitiesValue": obj(principalId=RO_S, clientId=RO_S),
    "ApiEntityReference": obj(id=S),
    # storage profile
    "VirtualMachineScaleSetDataDisk": obj(
        name=S, lun=I, caching=ref("CachingTypes"), writeAcceleratorEnabled=B, createOption=ref("DiskCreateOptionTypes"),
        diskSizeGB=I, managedDisk=ref("VirtualMachineScaleSetManagedDiskParameters"), diskIOPSReadWrite=I,
        diskMBpsReadWrite=I, deleteOption=ref("DiskDeleteOptionTypes")),
    "VirtualMachineScaleSetManagedDiskParameters": obj(
        storageAccountType=S, diskEncryptionSet=ref("SubResource"), securityProfile=ref("VMDiskSecurityProfile")),
    "VMDiskSecurityProfile": obj(securityEncryptionType=S, diskEncryptionSet=ref("SubResource")),
    "DiffDiskSettings": obj(option=S, placement=S),
    "VirtualHardDisk": obj(uri=S),
    # os profile
    "LinuxConfiguration": obj(
        disablePasswordAuthentication=B, ssh=ref("SshConfiguration"), provisionVMAgent=B,
        patchSettings=ref("LinuxPatchSettings"), enableVMAgentPlatformUpdates=B),
    "SshConfiguration": obj(publicKeys=arr(ref("SshPublicKey"))),
    "SshPublicKey": obj(path=S, keyData=S),
    "LinuxPatchSettings": obj(patchMode=S, assessmentMode=S, automaticByPlatformSettings=ref("PatchPlatformSettings")),
    "WindowsConfiguration": obj(
        provisionVMAgent=B, enableAutomaticUpdates=B, timeZone=S,
        additionalUnattendContent=arr(ref("AdditionalUnattendContent")), patchSettings=ref("PatchSettings"),
        winRM=ref("WinRMConfiguration"), enableVMAgentPlatformUpdates=B),
    "AdditionalUnattendContent": obj(passName=S, componentName=S, settingName=S, content=S),
    "PatchSettings": obj(patchMode=S, enableHotpatching=B, assessmentMode=S,
                         automaticByPlatformSettings=ref("PatchPlatformSettings")),
    "PatchPlatformSettings": obj(rebootSetting=S, bypassPlatformSafetyChecksOnUserSchedule=B),
    "WinRMConfiguration": obj(listeners=arr(ref("WinRMListener"))),
    "WinRMListener": obj(protocol=S, certificateUrl=S),
    "VaultSecretGroup": obj(sourceVault=ref("SubResource"), vaultCertificates=arr(ref("VaultCertificate"))),
    "VaultCertificate": obj(certificateUrl=S, certificateStore=S),
    "KeyVaultSecretReference": obj(secretUrl=S, sourceVault=ref("SubResource")),
    # network profile: NIC configs, IP configs and public IP configs keep a `properties` wrapper in ARM
    "VirtualMachineScaleSetNetworkProfile": obj(
        healthProbe=ref("ApiEntityReference"),
        networkInterfaceConfigurations=arr(ref("VirtualMachineScaleSetNetworkConfiguration")),
        networkApiVersion=S),
    "VirtualMachineScaleSetNetworkConfiguration": obj(
        name=S, properties=ref("VirtualMachineScaleSetNetworkConfigurationProperties", **FLATTEN)),
    "VirtualMachineScaleSetNetworkConfigurationProperties": obj(
        primary=B, enableAcceleratedNetworking=B, disableTcpStateTracking=B, enableFpga=B,
        networkSecurityGroup=ref("SubResource"), dnsSettings=obj(dnsServers=arr(S)),
        ipConfigurations=arr(ref("VirtualMachineScaleSetIPConfiguration")), enableIPForwarding=B,
        deleteOption=S, auxiliaryMode=S, auxiliarySku=S),
    "VirtualMachineScaleSetIPConfiguration": obj(
        name=S, properties=ref("VirtualMachineScaleSetIPConfigurationProperties", **FLATTEN)),
    "VirtualMachineScaleSetIPConfigurationProperties": obj(
        subnet=ref("ApiEntityReference"), primary=B,
        publicIPAddressConfiguration=ref("VirtualMachineScaleSetPublicIPAddressConfiguration"),
        privateIPAddressVersion=S, privateIPAddressPrefixLength=I,
        applicationGatewayBackendAddressPools=arr(ref("SubResource")),
        applicationSecurityGroups=arr(ref("SubResource")),
        loadBalancerBackendAddressPools=arr(ref("SubResource")),
        loadBalancerInboundNatPools=arr(ref("SubResource"))),
    "VirtualMachineScaleSetPublicIPAddressConfiguration": obj(
        name=S, sku=obj(name=S, tier=S),
        properties=ref("VirtualMachineScaleSetPublicIPAddressConfigurationProperties", **FLATTEN)),
    "VirtualMachineScaleSetPublicIPAddressConfigurationProperties": obj(
        idleTimeoutInMinutes=I, dnsSettings=obj(domainNameLabel=S, domainNameLabelScope=S),
        ipTags=arr(obj(ipTagType=S, tag=S, firstPartyServiceTagId=S)), publicIPPrefix=ref("SubResource"), publicIPAddressVersion=S,
        deleteOption=S),
    # the rest of the VM profile
    "SecurityProfile": obj(uefiSettings=obj(secureBootEnabled=B, vTpmEnabled=B), encryptionAtHost=B,
                           securityType=S, encryptionIdentity=obj(userAssignedIdentityResourceId=S),
                           proxyAgentSettings={"type": "object"}),
    "DiagnosticsProfile": obj(bootDiagnostics=obj(enabled=B, storageUri=S)),
    "BillingProfile": obj(maxPrice=N),
    "ScheduledEventsProfile": obj(terminateNotificationProfile=obj(notBeforeTimeout=S, enable=B),
                                  osImageNotificationProfile=obj(notBeforeTimeout=S, enable=B)),
    "CapacityReservationProfile": obj(capacityReservationGroup=ref("SubResource")),
    "ApplicationProfile": obj(galleryApplications=arr(ref("VMGalleryApplication"))),
    "VMGalleryApplication": obj(tags=S, order=I, packageReferenceId=S, configurationReference=S,
                                treatFailureAsDeploymentFailure=B, enableAutomaticUpgrade=B),
    "VirtualMachineScaleSetHardwareProfile": obj(vmSizeProperties=obj(vCPUsAvailable=I, vCPUsPerCore=I)),
    "ServiceArtifactReference": obj(id=S),
}

# string enums (a `$ref` to these is a scalar)
ENUMS = {
    "CachingTypes", "Common.OperatingSystemTypes", "Common.ResourceIdentityType", "DiskApiVersion",
    "DiskControllerTypes", "DiskCreateOptionTypes", "DiskDeleteOptionTypes", "ExtendedLocationType",
    "OrchestrationMode", "RepairAction", "StorageFaultDomainAlignmentType", "VirtualMachineEvictionPolicyTypes",
    "VirtualMachinePriorityTypes", "ZonalPlatformFaultDomainAlignMode", "HighSpeedInterconnectPlacement",
}
# newer policy objects whose shape we do not model: accepted as given, like az does for any dict
OPAQUE = {
    "ScheduledEventsPolicy", "ResiliencyPolicy", "SkuProfile", "LifecycleHooksProfile", "ExternalHealthPolicy",
    "InterconnectBlockProfile", "SecurityPostureReference",
}


class Compiler:
    def __init__(self, definitions: dict[str, dict]) -> None:
        self.definitions = definitions
        self.out: dict[str, dict] = {}

    def spec(self, prop: dict, where: str) -> object:
        if "$ref" in prop:
            return self.ref(prop["$ref"].rsplit("/", 1)[-1], where)
        kind = prop.get("type")
        if kind == "array":
            return [self.spec(prop.get("items", {}), where + "[]")]
        if kind in ("string", "integer", "number", "boolean"):
            return kind
        if kind == "object" and "properties" in prop:
            return self.ref(self.define(where, prop), where)
        if "additionalProperties" in prop:
            value = self.spec(prop["additionalProperties"], where + "{}")
            return {"map": value} if isinstance(value, str) and value.startswith("#") else "map"
        if kind is None:
            # `settings`, `protectedSettings`: untyped, free-form JSON the extension reads
            return "map"
        if kind == "object":
            return "any"  # an object the swagger leaves undescribed
        raise SystemExit(f"gen_schema: cannot read the schema of {where}: {prop}")

    def define(self, name: str, schema: dict) -> str:
        self.definitions.setdefault(name, schema)
        return name

    def ref(self, name: str, where: str) -> str:
        if name in ENUMS:
            return "string"
        if name in OPAQUE:
            return "any"
        schema = self.definitions.get(name)
        if schema is None:
            raise SystemExit(f"gen_schema: {where} refers to {name}, which is neither defined nor listed")
        if "properties" not in schema and "allOf" not in schema:
            if schema.get("type") in ("string", "integer", "number", "boolean"):
                return schema["type"]
            raise SystemExit(f"gen_schema: {name} has no properties and is not a scalar")
        if name not in self.out:
            self.out[name] = {}  # placeholder: breaks reference cycles
            self.out[name] = self.compile(name, schema)
        return "#" + name

    def raw_props(self, schema: dict) -> dict[str, dict]:
        """Own properties after `allOf` bases (bases first, as the swagger generator merges them)."""
        props: dict[str, dict] = {}
        for base in schema.get("allOf", []):
            props.update(self.raw_props(self.definitions[base["$ref"].rsplit("/", 1)[-1]]))
        props.update(schema.get("properties", {}))
        return props

    def compile(self, name: str, schema: dict) -> dict:
        outer = self.raw_props(schema)
        props: dict[str, object] = {}
        read_only: set[str] = set()
        inner_names: list[str] = []
        for key, prop in outer.items():
            if key == "properties" and prop.get("x-ms-client-flatten"):
                continue
            props[key] = self.spec(prop, f"{name}.{key}")
            if prop.get("readOnly"):
                read_only.add(key)
        wrapper = outer.get("properties")
        if wrapper and wrapper.get("x-ms-client-flatten"):
            inner_schema = self.definitions[wrapper["$ref"].rsplit("/", 1)[-1]]
            for key, prop in self.raw_props(inner_schema).items():
                # az prints the inner value when both levels use a name (an extension's `type`)
                props[key] = self.spec(prop, f"{name}.properties.{key}")
                read_only.discard(key)
                if prop.get("readOnly"):
                    read_only.add(key)
                inner_names.append(key)
        folded: dict[str, str] = {}
        for key in props:
            other = folded.setdefault(key.replace("_", "").lower(), key)
            if other != key:
                raise SystemExit(f"gen_schema: {name} has {other} and {key}, which fold to the same name")
        out: dict = {"props": dict(sorted(props.items()))}
        if read_only:
            out["ro"] = sorted(read_only)
        if inner_names:
            out["arm"] = sorted(inner_names)
        return out


def build(arm_dir: Path = ARM_DIR) -> dict:
    extract = json.loads((arm_dir / "ComputeRP.2026-09-01.extract.json").read_text())
    common = json.loads((arm_dir / "common-types-v1-common.json").read_text())
    definitions = {**HAND, **common["definitions"], **extract["definitions"]}
    compiler = Compiler(definitions)
    compiler.ref(ROOT, ROOT)
    return {
        "source": "generated by scripts/gen_schema.py from Azure/azure-rest-api-specs ComputeRP.json 2026-09-01 "
                  "(extract) and common-types v1; hand-written entries for definitions the extract omits",
        "root": ROOT,
        "defs": dict(sorted(compiler.out.items())),
    }


def render(schema: dict) -> str:
    # one definition per line: small, and a regenerated file diffs readably
    lines = ["{", f'"source": {json.dumps(schema["source"])},', f'"root": {json.dumps(schema["root"])},', '"defs": {']
    items = list(schema["defs"].items())
    for i, (name, body) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(f"{json.dumps(name)}: {json.dumps(body, separators=(',', ':'))}{comma}")
    lines += ["}", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file is stale")
    parser.add_argument("--arm-dir", type=Path, default=ARM_DIR)
    args = parser.parse_args(argv)
    text = render(build(args.arm_dir))
    if args.check:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT} is stale: run scripts/gen_schema.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
