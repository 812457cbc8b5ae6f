"""Scale sets: create, read, list, delete, scale. Stored in ARM shape, one file per set.

A scale set file holds:
    scaleSet         the ARM resource (what GET returns, minus secrets)
    secrets          adminPassword and extension protectedSettings: kept, never output
    instances        the VMs, see core.instances
    rollingUpgrades  the last five OS upgrade rollouts and the latest rollout, oldest first (what history
                     and get-latest show; history.trim); rolloutCount counts every one started
    events           only in a store from before the event log: <name>.events.jsonl holds them
    modelVersion     bumped on every model change; instances remember the version they run
"""

from __future__ import annotations

from vmss_cli.core.rollout import history
from vmss_cli.store import names
from vmss_cli.errors import CliError, InvalidParameterError, NotFoundError
from vmss_cli.store import paths
from vmss_cli.store.state import Transaction
from vmss_cli.core.arm import ids

# the model's accessors, re-exported: scaleset is the module callers know for a scale set
from vmss_cli.core.resources.model import (  # noqa: F401
    HEALTH_EXTENSION_TYPES as HEALTH_EXTENSION_TYPES, RESOURCE_TYPE as RESOURCE_TYPE, find_instance as find_instance,
    health_extension as health_extension, health_source as health_source, scale_set_id as scale_set_id)

TYPE_CHECKING = False  # typing is not imported at run time (README "Start-up time")
if TYPE_CHECKING:
    from vmss_cli.core.arm.document_types import CatalogSku, ImageReference
    from vmss_cli.core.arm.documents import Document

DEFAULT_VM_SKU = "Standard_D2s_v5"


def load(tx: Transaction, rg: str, name: str) -> Document:
    """The whole scale set file; ResourceGroupNotFound / ResourceNotFound as ARM answers."""
    # checked on every load, before the names become a path (~0.6 us for both: no module-level cache of names seen)
    names.validate_resource_group(rg)
    names.validate_scale_set_name(name)
    doc: Document | None = tx.load(paths.scale_set_file(tx.root, rg, name), "scaleSet")
    if doc is None:
        from vmss_cli.core.resources import groups  # (lazy, as the clock below: a hot read needs neither)

        groups.get(tx, rg)
        raise NotFoundError(
            f"The Resource '{RESOURCE_TYPE}/{name}' under resource group '{rg}' was not found. "
            "For more details please go to https://aka.ms/ARMResourceNotFoundFix")
    if tx.writable and (doc.get("events") or len(doc["rollingUpgrades"]) > history.HISTORY_LIMIT):
        save(tx, doc)  # the bounded-state migration (README "The state store"), committed with the command
    return doc


def save(tx: Transaction, doc: Document) -> None:
    """The set's file, and its new events appended to its event log: the file stays the size of the
    set, not of its past (a rollout of 100 instances logs ~100 KB of events).

    It is also the bounded-state migration of a set file written before the event log (vmss before
    issue 16: every event in `events`, every rollout in `rollingUpgrades`): its events move to the
    log, in order, and its history is trimmed. A writer that loads such a set runs it (load), so the
    first command that writes the store while it reads the set migrates it, in that command's commit."""
    arm = doc["scaleSet"]
    rg = ids.resource_group(arm["id"])
    if len(doc["rollingUpgrades"]) > history.HISTORY_LIMIT:  # the engine saves on every event: no call
        history.trim(doc)  # an older store's history is trimmed on its first write too
    fresh = doc.pop("events", None)  # an older store's events move to the log on its first write
    if fresh:
        tx.append(paths.scale_set_events_file(tx.root, rg, arm["name"]), fresh)
    tx.save(paths.scale_set_file(tx.root, rg, arm["name"]), doc)


def list_docs(tx: Transaction, rg: str | None) -> list[Document]:
    from vmss_cli.core.resources import groups

    return groups.resource_docs(tx, rg, paths.scale_sets_dir, "scaleSet")


def delete(tx: Transaction, rg: str, name: str) -> None:
    from vmss_cli.core.world import clock as world

    load(tx, rg, name)
    tx.delete(paths.scale_set_file(tx.root, rg, name))
    log = paths.scale_set_events_file(tx.root, rg, name)
    for path in (log, paths.rotated_log(log)):
        if path.exists() or tx.appending(path):  # (loading an old set moved its events to the log)
            tx.delete(path)
    world.drop_events(tx, rg, name)


def resolve_image(tx: Transaction, image: str, location: str) -> tuple[ImageReference, CatalogSku, Document]:
    """(imageReference as stored, catalog SKU entry, version record) for an alias, a URN or an image id."""
    from vmss_cli.core.resources import catalog  # lazy: reading commands never load the image catalog

    if image.startswith("/"):
        from vmss_cli.core.resources import gallery  # a gallery image definition (latest) or version (pinned) id

        return gallery.resolve_image_id(tx, image, location)
    entry = catalog.alias(image)
    version = "latest"
    if entry is None:
        parts = image.split(":")
        if len(parts) != 4 or not all(parts):
            raise CliError(f"Invalid image \"{image}\". Use a valid image URN, custom image name, custom image id, "
                           "VHD blob URI, or pick an image from ['" + "', '".join(
                               e["urnAlias"] or "" for e in catalog.shipped()["images"] if e.get("urnAlias")) + "'].")
        entry = catalog.find_sku(*parts[:3])
        if entry is None:
            raise NotFoundError("Artifact: VMImage was not found.", code="NotFound")
        version = parts[3]
    info = catalog.resolve_version(tx, location, entry, version)
    ref: ImageReference = {"publisher": entry["publisher"], "offer": entry["offer"], "sku": entry["sku"],
           "version": "latest" if version.lower() == "latest" else info["version"]}
    return ref, entry, info


def create(tx: Transaction, *, resource_group: str, name: str, image: str, location: str | None = None,
           instance_count: int = 2, vm_sku: str = DEFAULT_VM_SKU, orchestration_mode: str = "Flexible",
           upgrade_policy_mode: str = "Manual", enable_auto_os_upgrade: bool | None = None,
           rolling_policy: Document | None = None, health_probe: str | None = None, lb: str | None = None,
           zones: list[str] | None = None, platform_fault_domain_count: int | None = None,
           data_disk_sizes_gb: list[int] | None = None, admin_username: str | None = None,
           admin_password: str | None = None, custom_data: str | None = None,
           enable_auto_update: bool | None = None, tags: Document | None = None,
           subscription: str | None = None) -> Document:
    from vmss_cli.core.resources import groups
    from vmss_cli.core.world import clock as world, rng, timeutil  # lazy (hashlib): only writers mint ids

    subscription = subscription or world.subscription(tx)
    names.validate_scale_set_name(name)
    group = groups.get(tx, resource_group)
    check_absent(tx, resource_group, name)
    if instance_count < 0 or instance_count > 1000:
        raise InvalidParameterError("The value of parameter sku.capacity is out of range. "
                                    "The value must be between 0 and 1000, inclusive.", target="sku.capacity")
    if orchestration_mode == "Flexible" and health_probe:
        raise CliError("usage error: --health-probe is not supported for Flex mode")
    from vmss_cli.core.resources import regions

    location = regions.check_for_type(location, "Microsoft.Compute/virtualMachineScaleSets") if location \
        else group["location"]
    ref, entry, info = resolve_image(tx, image, location)
    now = world.now(tx)
    seed = world.seed(tx)
    rid = scale_set_id(subscription, group["name"], name)
    windows = entry["osType"] == "Windows"
    mode = upgrade_policy_mode.capitalize()

    upgrade_policy: Document = {"mode": mode}
    if rolling_policy:
        upgrade_policy["rollingUpgradePolicy"] = rolling_policy
    if enable_auto_os_upgrade is not None:
        upgrade_policy["automaticOSUpgradePolicy"] = {"enableAutomaticOSUpgrade": enable_auto_os_upgrade}

    os_profile: Document = {"computerNamePrefix": name[:9].replace("_", "").replace(".", "") or "vm",
                        "adminUsername": admin_username or "azureuser", "secrets": [],
                        "allowExtensionOperations": True, "requireGuestProvisionSignal": True}
    if windows:
        os_profile["windowsConfiguration"] = {
            "provisionVMAgent": True,
            # Azure's default is true; enabling automatic OS upgrade sets it to false (the API's words).
            "enableAutomaticUpdates": (not enable_auto_os_upgrade) if enable_auto_update is None else enable_auto_update}
    else:
        os_profile["linuxConfiguration"] = {"disablePasswordAuthentication": admin_password is None,
                                            "provisionVMAgent": True}
    if custom_data is not None:
        os_profile["customData"] = custom_data

    extensions: list[Document] = []
    if mode == "Rolling" and not health_probe:
        # az adds the Application Health extension (binary, port 80) so Rolling has a health source.
        ext_type = HEALTH_EXTENSION_TYPES[1] if windows else HEALTH_EXTENSION_TYPES[0]
        extensions.append({"name": ext_type, "properties": {
            "autoUpgradeMinorVersion": True, "publisher": "Microsoft.ManagedServices", "type": ext_type,
            "typeHandlerVersion": "1.0", "settings": {"port": 80, "protocol": "http", "requestPath": "/"}}})

    data_disks = [{"lun": lun, "createOption": "Empty", "caching": "None", "diskSizeGB": size,
                   "managedDisk": {"storageAccountType": "Premium_LRS"}}
                  for lun, size in enumerate(data_disk_sizes_gb or [])]
    lb_name = lb or f"{name}LB"
    sub_prefix = f"/subscriptions/{subscription}/resourceGroups/{group['name']}/providers/Microsoft.Network"
    network_profile: Document = {"networkInterfaceConfigurations": [{
        "name": f"{name[:9]}Nic", "properties": {
            "primary": True, "enableAcceleratedNetworking": False, "ipConfigurations": [{
                "name": f"{name[:9]}IPConfig", "properties": {
                    "subnet": {"id": f"{sub_prefix}/virtualNetworks/{name}VNET/subnets/{name}Subnet"},
                    "loadBalancerBackendAddressPools": [
                        {"id": f"{sub_prefix}/loadBalancers/{lb_name}/backendAddressPools/{lb_name}BEPool"}]}}]}}]}
    if health_probe:
        probe_id = health_probe if health_probe.startswith("/") else \
            f"{sub_prefix}/loadBalancers/{lb_name}/probes/{health_probe}"
        network_profile["healthProbe"] = {"id": probe_id}

    fault_domains = platform_fault_domain_count or (1 if orchestration_mode == "Flexible" else 5)
    properties = {
        "singlePlacementGroup": orchestration_mode != "Flexible" and instance_count <= 100 and not zones,
        "orchestrationMode": orchestration_mode,
        "upgradePolicy": upgrade_policy,
        "virtualMachineProfile": {
            "osProfile": os_profile,
            "storageProfile": {
                "imageReference": ref,
                "osDisk": {"createOption": "FromImage", "caching": "ReadWrite", "osType": entry["osType"],
                           "managedDisk": {"storageAccountType": "Premium_LRS"}, "diskSizeGB": 30},
                "dataDisks": data_disks},
            "networkProfile": network_profile,
            "extensionProfile": {"extensions": extensions},
            "timeCreated": timeutil.format_time(now)},
        "provisioningState": "Succeeded",
        "overprovision": orchestration_mode != "Flexible",
        "doNotRunExtensionsOnOverprovisionedVMs": False,
        "uniqueId": rng.guid(seed, rid, "uniqueId", now),
        "platformFaultDomainCount": fault_domains,
        "timeCreated": timeutil.format_time(now),
    }
    arm: Document = {"id": rid, "name": name, "type": RESOURCE_TYPE, "location": location,
                 "tags": tags or {}, "sku": {"name": vm_sku, "tier": "Standard", "capacity": instance_count},
                 "properties": properties}
    if zones:
        arm["zones"] = list(zones)
    doc = {"scaleSet": arm,
           "secrets": {"adminPassword": admin_password, "protectedSettings": {}},
           "instances": [], "rollingUpgrades": [], "modelVersion": 1, "nextInstanceIndex": 0}
    from vmss_cli.core.resources import validation  # the same checks as `vmss update`

    validation.validate_model(tx, doc, previous=None)
    add_instances(tx, doc, instance_count, info)
    save(tx, doc)
    return doc


def check_absent(tx: Transaction, rg: str, name: str) -> None:
    """`create` and `import` make a new set only: az create on an existing set redeploys it; the
    emulator refuses instead of silently replacing its state (instances, rollouts)."""
    if tx.load(paths.scale_set_file(tx.root, rg, name), "scaleSet") is not None:
        raise CliError(f"The scale set '{name}' already exists in resource group '{rg}'. "
                       "Use 'vmss update' to change it or 'vmss delete' first.", code="Conflict")


def add_instances(tx: Transaction, doc: Document, count: int, version_info: Document | None = None) -> list[Document]:
    from vmss_cli.core.resources import catalog, instances  # lazy: see resolve_image
    from vmss_cli.core.world import clock as world

    arm = doc["scaleSet"]
    vmp = arm["properties"]["virtualMachineProfile"]
    ref = vmp["storageProfile"]["imageReference"]
    if version_info is None and ref.get("id"):
        version_info = resolve_image(tx, ref["id"], arm["location"])[2]
    elif version_info is None:
        entry = catalog.find_sku(ref["publisher"], ref["offer"], ref["sku"])
        if entry is None:
            raise NotFoundError("Artifact: VMImage was not found.", code="NotFound")
        version_info = catalog.resolve_version(tx, arm["location"], entry, ref["version"])
    added = []
    for _ in range(count):
        index = doc["nextInstanceIndex"]
        doc["nextInstanceIndex"] = index + 1
        inst = instances.new_instance(
            arm, index, arm.get("zones"), arm["properties"]["platformFaultDomainCount"], ref, version_info,
            (vmp.get("extensionProfile") or {}).get("extensions") or [],  # both optional in a state file
            vmp["storageProfile"].get("dataDisks") or [], world.now(tx),
            world.seed(tx), doc["modelVersion"])
        doc["instances"].append(inst)
        added.append(inst)
    arm["sku"]["capacity"] = len(doc["instances"])
    return added


