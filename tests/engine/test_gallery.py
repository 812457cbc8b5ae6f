"""Shared Image Gallery images end to end through the CLI: `vmss sig ...` as az prints it,
replication to regions on the world clock, scale sets on gallery images, and the seed's section
"Automatic OS image upgrade for custom images"."""

from __future__ import annotations

SUB = "00000000-0000-0000-0000-000000000000"
GALLERY_ID = f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/galleries/myGallery"
DEF_ID = f"{GALLERY_ID}/images/myImage"
MANAGED_IMAGE_ID = f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/images/myManagedImage"
SIG = ["-g", "rg1", "-r", "myGallery", "-i", "myImage"]


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def gallery_with_definition(cli):
    ok(cli("sig", "create", "-g", "rg1", "-r", "myGallery"))
    ok(cli("sig", "image-definition", "create", *SIG, "--publisher", "contoso", "--offer", "web", "--sku", "ubuntu",
           "--os-type", "Linux"))


def version(cli, name, *extra):
    return cli("sig", "image-version", "create", *SIG, "-e", name, *extra)


def now(cli) -> str:
    return ok(cli("sim", "clock", "show")).json["now"]


def advance(cli, duration):
    ok(cli("sim", "clock", "advance", duration, "--only-show-errors", "-o", "none"))


def exact_versions(cli, name="web"):
    return ok(cli("list-instances", "-g", "rg1", "-n", name, "--query",
                  "[].storageProfile.imageReference.exactVersion", "-o", "tsv")).stdout.split()


def history(cli, query, name="web"):
    return ok(cli("get-os-upgrade-history", "-g", "rg1", "-n", name, "--query", query, "-o", "json")).json


def replication(cli, name):
    return ok(cli("sig", "image-version", "show", *SIG, "-e", name, "--expand", "ReplicationStatus",
                  "--query", "{state: provisioningState, replication: replicationStatus}")).json


def test_seed_automatic_os_image_upgrade_for_custom_images(cli, rg):
    """The seed: a set on a gallery image definition gets a new version once the version has
    replicated to the set's region; a version excluded from latest is never rolled out."""
    gallery_with_definition(cli)
    ok(version(cli, "1.0.0", "--target-regions", "eastus", "westus"))
    assert now(cli) == "2026-01-01T00:40:00+00:00"  # blocked for the replication: 20 minutes per region
    ok(cli("create", "-g", "rg1", "-n", "web", "-l", "westus", "--image", DEF_ID, "--orchestration-mode", "Uniform",
           "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true", "--instance-count", "4",
           "-o", "none"))
    assert exact_versions(cli) == ["1.0.0"] * 4

    # 1.0.1 replicates to eastus first (its own region), then to westus, where the set is.
    r = version(cli, "1.0.1", "--target-regions", "eastus", "westus", "--no-wait")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    advance(cli, "30m")
    assert replication(cli, "1.0.1") == {"state": "Creating", "replication": {
        "aggregatedState": "InProgress", "summary": [
        {"details": "", "progress": 100, "region": "East US", "state": "Completed"},
        {"details": "", "progress": 50, "region": "West US", "state": "Replicating"}]}}
    assert ok(cli("sim", "clock", "show")).json["pendingEvents"] == 1  # westus's replication; no pickup yet
    advance(cli, "9m")
    assert history(cli, "length(@)") == 0  # not replicated to westus: no rollout
    advance(cli, "1m")
    assert replication(cli, "1.0.1")["state"] == "Succeeded"
    assert ok(cli("sim", "clock", "show")).json["pendingEvents"] == 1  # the platform's pickup
    advance(cli, "4h")
    assert history(cli, "[0].properties.[runningStatus.code, startedBy]") == ["Completed", "Platform"]
    assert history(cli, "[0].properties.targetImageReference.{id: id, exactVersion: exactVersion}") == {
        "exactVersion": "1.0.1", "id": f"{DEF_ID}/versions/1.0.1"}
    assert exact_versions(cli) == ["1.0.1"] * 4

    # Excluded from latest: replicated everywhere, never rolled out, not used for new instances.
    ok(version(cli, "2.0.0", "--target-regions", "eastus", "westus", "--exclude-from-latest", "-o", "none"))
    assert ok(cli("sig", "image-version", "show", *SIG, "-e", "2.0.0", "--query",
                  "publishingProfile.excludeFromLatest")).json is True
    advance(cli, "4h")
    assert history(cli, "length(@)") == 1
    ok(cli("scale", "-g", "rg1", "-n", "web", "--new-capacity", "5", "-o", "none"))
    assert exact_versions(cli) == ["1.0.1"] * 5

    # Releasing it (excludeFromLatest false) offers it to the sets where it is replicated.
    r = ok(cli("sig", "image-version", "update", *SIG, "-e", "2.0.0", "--exclude-from-latest", "false",
               "--query", "publishingProfile.excludeFromLatest"))
    assert r.json is False
    advance(cli, "2h")  # a later pickup: 30-60 minutes
    assert history(cli, "[0].properties.[runningStatus.code, startedBy, targetImageReference.version]") == [
        "Completed", "Platform", "2.0.0"]
    assert exact_versions(cli) == ["2.0.0"] * 5


def test_image_version_shapes_and_replication_timing(cli, rg):
    gallery_with_definition(cli)
    r = ok(version(cli, "1.0.0", "--target-regions", "eastus=2", "westus=standard_zrs"))
    assert r.json == {
        "id": f"{DEF_ID}/versions/1.0.0",
        "location": "eastus",
        "name": "1.0.0",
        "provisioningState": "Succeeded",
        "publishingProfile": {
            "excludeFromLatest": False,
            "publishedDate": "2026-01-01T00:00:00+00:00",
            "replicaCount": 1,
            "storageAccountType": "Standard_LRS",
            "targetRegions": [
                {"name": "East US", "regionalReplicaCount": 2, "storageAccountType": "Standard_LRS"},
                {"name": "West US", "regionalReplicaCount": 1, "storageAccountType": "Standard_ZRS"}]},
        "resourceGroup": "rg1",
        "safetyProfile": {"allowDeletionOfReplicatedLocations": True, "reportedForPolicyViolation": False},
        "storageProfile": {"dataDiskImages": [], "osDiskImage": {"hostCaching": "ReadWrite", "sizeInGB": 30}},
        "tags": {},
        "type": "Microsoft.Compute/galleries/images/versions"}
    assert "replicationStatus" not in ok(cli("sig", "image-version", "show", *SIG, "-e", "1.0.0")).json
    assert replication(cli, "1.0.0")["replication"] == {"aggregatedState": "Completed", "summary": [
        {"details": "", "progress": 100, "region": "East US", "state": "Completed"},
        {"details": "", "progress": 100, "region": "West US", "state": "Completed"}]}

    # More regions later: they replicate after whatever is pending, one at a time.
    r = ok(cli("sig", "image-version", "update", *SIG, "-e", "1.0.0", "--target-regions", "eastus", "westus",
               "westeurope", "northeurope", "--no-wait"))
    assert r.stdout == ""
    advance(cli, "25m")
    assert replication(cli, "1.0.0") == {"state": "Updating", "replication": {
        "aggregatedState": "InProgress", "summary": [
        {"details": "", "progress": 100, "region": "East US", "state": "Completed"},
        {"details": "", "progress": 100, "region": "West US", "state": "Completed"},
        {"details": "", "progress": 100, "region": "West Europe", "state": "Completed"},
        {"details": "", "progress": 25, "region": "North Europe", "state": "Replicating"}]}}
    r = ok(cli("sig", "image-version", "update", *SIG, "-e", "1.0.0", "--target-regions", "eastus", "westus",
               "westeurope", "northeurope", "--query", "provisioningState", "-o", "tsv"))
    assert r.stdout == "Succeeded\n"
    assert now(cli) == "2026-01-01T01:20:00+00:00"
    r = ok(cli("sig", "image-version", "list", *SIG, "--query", "[].[name, length(publishingProfile.targetRegions)]",
               "-o", "tsv"))
    assert r.stdout == "1.0.0\t4\n"


def test_gallery_and_definition_shapes(cli, rg):
    r = ok(cli("sig", "create", "-g", "rg1", "-r", "myGallery", "--description", "images for web"))
    assert r.json == {"description": "images for web", "id": GALLERY_ID,
                      "identifier": {"uniqueName": f"{SUB}-MYGALLERY"}, "location": "eastus", "name": "myGallery",
                      "provisioningState": "Succeeded", "resourceGroup": "rg1", "tags": {},
                      "type": "Microsoft.Compute/galleries"}
    r = ok(cli("sig", "image-definition", "create", *SIG, "-p", "contoso", "-f", "web", "-s", "ubuntu",
               "--os-type", "linux", "--hyper-v-generation", "V2"))
    assert r.json == {"hyperVGeneration": "V2", "id": DEF_ID,
                      "identifier": {"offer": "web", "publisher": "contoso", "sku": "ubuntu"}, "location": "eastus",
                      "name": "myImage", "osState": "Generalized", "osType": "Linux",
                      "provisioningState": "Succeeded", "resourceGroup": "rg1", "tags": {},
                      "type": "Microsoft.Compute/galleries/images"}
    assert ok(cli("sig", "show", "-g", "rg1", "-r", "mygallery", "--query", "name", "-o", "tsv")).stdout == \
        "myGallery\n"
    assert ok(cli("sig", "list", "--query", "[].name", "-o", "tsv")).stdout == "myGallery\n"
    assert ok(cli("sig", "image-definition", "list", "-g", "rg1", "-r", "myGallery", "--query", "[].name",
                  "-o", "tsv")).stdout == "myImage\n"
    assert ok(cli("sig", "image-definition", "show", *SIG, "--query", "osType", "-o", "tsv")).stdout == "Linux\n"
    assert ok(cli("sig", "image-version", "list", *SIG)).stdout == "[]\n"


def test_pinned_version_cannot_enable_automatic_os_upgrade(cli, rg, vmss_home):
    gallery_with_definition(cli)
    ok(version(cli, "1.0.0", "-o", "none"))
    pinned = f"{DEF_ID}/versions/1.0.0"
    snapshot = {p: p.read_bytes() for p in vmss_home.rglob("*.json")}
    r = cli("create", "-g", "rg1", "-n", "web", "--image", pinned, "--orchestration-mode", "Uniform",
            "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true")
    message = (f"Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because the image reference "
               f"'{pinned}' pins gallery image version '1.0.0'. Reference the gallery image definition (without "
               "/versions/...) so that the scale set follows its latest version.")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == (f"ERROR: (InvalidParameter) {message}\nCode: InvalidParameter\nMessage: {message}\n"
                        "Target: virtualMachineProfile.storageProfile.imageReference.id\n")
    assert {p: p.read_bytes() for p in vmss_home.rglob("*.json")} == snapshot

    # Pinned without automatic upgrades: the set stays on its version; a manual start is refused.
    ok(cli("create", "-g", "rg1", "-n", "web", "--image", pinned, "--orchestration-mode", "Uniform",
           "--upgrade-policy-mode", "Rolling", "-o", "none"))
    ok(version(cli, "1.1.0", "-o", "none"))
    advance(cli, "4h")
    assert exact_versions(cli) == ["1.0.0", "1.0.0"]
    r = cli("rolling-upgrade", "start", "-g", "rg1", "-n", "web")
    assert r.exit_code == 1 and r.stderr.startswith("ERROR: (OperationNotAllowed) The OS Rolling Upgrade API cannot")
    r = cli("update", "-g", "rg1", "-n", "web", "--enable-auto-os-upgrade", "true")
    assert r.exit_code == 1 and "pins gallery image version '1.0.0'" in r.stderr


def test_managed_image_cannot_enable_automatic_os_upgrade(cli, rg, vmss_home):
    gallery_with_definition(cli)
    ok(version(cli, "1.0.0", "-o", "none"))
    ok(cli("create", "-g", "rg1", "-n", "web", "--image", DEF_ID, "--orchestration-mode", "Uniform",
           "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true", "-o", "none"))
    snapshot = {p: p.read_bytes() for p in vmss_home.rglob("*.json")}
    r = cli("update", "-g", "rg1", "-n", "web", "--set",
            f"virtualMachineProfile.storageProfile.imageReference.id={MANAGED_IMAGE_ID}")
    message = (f"Automatic OS Upgrade is not supported for this Virtual Machine Scale Set because the image "
               f"'{MANAGED_IMAGE_ID}' is a custom image that is not in a Shared Image Gallery. Only platform images "
               "and Shared Image Gallery images support automatic OS image upgrade.")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == f"ERROR: (InvalidParameter) {message}"
    assert {p: p.read_bytes() for p in vmss_home.rglob("*.json")} == snapshot
    # vmss emulates no managed images: creating a set from one is ARM's 404.
    r = cli("create", "-g", "rg1", "-n", "other", "--image", MANAGED_IMAGE_ID)
    assert r.exit_code == 3
    assert r.stderr.splitlines()[0] == (
        "ERROR: (ResourceNotFound) The Resource 'Microsoft.Compute/images/myManagedImage' under resource group 'rg1' "
        "was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix")


def test_a_manual_start_on_a_gallery_set_and_a_failing_version_rolls_back(cli, rg):
    gallery_with_definition(cli)
    ok(version(cli, "1.0.0", "-o", "none"))
    ok(cli("create", "-g", "rg1", "-n", "web", "--image", DEF_ID, "--orchestration-mode", "Uniform",
           "--upgrade-policy-mode", "Rolling", "--instance-count", "5", "-o", "none"))
    ok(version(cli, "1.0.1", "--boot-time", "2m", "-o", "none"))
    r = ok(cli("rolling-upgrade", "start", "-g", "rg1", "-n", "web", "--only-show-errors"))
    assert r.stdout == ""
    assert history(cli, "[0].properties.[runningStatus.code, startedBy, targetImageReference.version]") == [
        "Completed", "User", "1.0.1"]
    ok(cli("update", "-g", "rg1", "-n", "web", "--enable-auto-os-upgrade", "true", "-o", "none"))
    ok(version(cli, "1.0.2", "--fail-percent", "100", "-o", "none"))
    advance(cli, "4h")
    assert history(cli, "[0].properties.[runningStatus.code, startedBy, error.code]") == [
        "Faulted", "Platform", "MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade"]
    assert exact_versions(cli) == ["1.0.1"] * 5


def test_gallery_errors(cli, rg, vmss_home):
    r = cli("sig", "show", "-g", "rg1", "-r", "nope")
    assert r.exit_code == 3
    assert r.stderr.splitlines()[0] == (
        "ERROR: (ResourceNotFound) The Resource 'Microsoft.Compute/galleries/nope' under resource group 'rg1' was "
        "not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix")
    r = cli("sig", "create", "-g", "nosuch", "-r", "g")
    assert (r.exit_code, r.stderr.splitlines()[0]) == (
        3, "ERROR: (ResourceGroupNotFound) Resource group 'nosuch' could not be found.")
    r = cli("sig", "create", "-g", "rg1", "-r", "my-gallery")
    assert r.exit_code == 1 and r.stderr.splitlines()[0] == (
        "ERROR: (InvalidParameter) The gallery name 'my-gallery' is invalid. It must be 1-80 characters of letters, "
        "digits, '_' or '.', and start and end with a letter or digit.")
    r = cli("sig", "create", "-g", "rg1", "-r", "../x")
    assert r.exit_code == 1 and "The gallery name '../x' is invalid" in r.stderr
    r = cli("sig", "create", "-g", "rg1")
    assert (r.exit_code, r.stderr.splitlines()[0]) == (
        2, "ERROR: the following arguments are required: --gallery-name/-r")
    gallery_with_definition(cli)
    r = cli("sig", "image-definition", "show", "-g", "rg1", "-r", "myGallery", "-i", "other")
    assert r.exit_code == 3 and "'Microsoft.Compute/galleries/myGallery/images/other'" in r.stderr
    r = cli("sig", "image-definition", "create", "-g", "rg1", "-r", "myGallery", "-i", "other", "-p", "contoso",
            "-f", "web", "-s", "ubuntu", "--os-type", "Linux")
    assert r.exit_code == 1 and r.stderr.startswith(
        "ERROR: (Conflict) Gallery image identifier 'contoso:web:ubuntu' is already used by image definition "
        "'myImage'")
    r = version(cli, "1.0")
    assert r.exit_code == 1 and "The gallery image version name '1.0' is invalid" in r.stderr
    r = version(cli, "1.0.0", "--target-regions", "westus")
    message = ("Gallery image version publishing profile regions 'West US' must contain the location of image "
               "version 'East US'.")
    assert (r.exit_code, r.stderr.splitlines()[0]) == (1, f"ERROR: (InvalidParameter) {message}")
    r = version(cli, "1.0.0", "--target-regions", "mars")
    assert r.exit_code == 1 and "(NoRegisteredProviderFound)" in r.stderr
    r = version(cli, "1.0.0", "--exclude-from-latest", "maybe")
    assert (r.exit_code, r.stderr.splitlines()[0]) == (
        2, "ERROR: vmss sig image-version create: 'maybe' is not a valid value for '--exclude-from-latest'. "
           "Allowed values: true, false.")
    snapshot = {p: p.read_bytes() for p in vmss_home.rglob("*.json")}
    r = cli("create", "-g", "rg1", "-n", "web", "--image", DEF_ID)
    message = (f"The gallery image {DEF_ID} is not available in eastus region. Please contact image owner to "
               "replicate to this region, or change your requested region.")
    assert (r.exit_code, r.stderr) == (
        3, f"ERROR: (GalleryImageNotFound) {message}\nCode: GalleryImageNotFound\nMessage: {message}\n")
    assert {p: p.read_bytes() for p in vmss_home.rglob("*.json")} == snapshot
    ok(version(cli, "1.0.0", "-o", "none"))
    r = version(cli, "1.0.0")
    assert r.exit_code == 1 and r.stderr.startswith("ERROR: (Conflict) Gallery image version '1.0.0' already exists")
    r = cli("create", "-g", "rg1", "-n", "web", "-l", "westus", "--image", f"{DEF_ID}/versions/1.0.0")
    assert r.exit_code == 3 and "(GalleryImageNotFound)" in r.stderr and "not available in westus region" in r.stderr
    r = cli("sig", "image-version", "show", *SIG, "-e", "1.0.0", "--expand", "Everything")
    assert r.exit_code == 1 and "The value 'Everything' of parameter '$expand' is not valid" in r.stderr


def test_a_definitions_create_only_properties_cannot_change(cli, rg, vmss_home):
    gallery_with_definition(cli)
    same = ["--publisher", "contoso", "--offer", "web", "--sku", "ubuntu"]
    before = {p: p.read_bytes() for p in vmss_home.rglob("*.json")}
    for changed, prop in ((["--os-type", "Windows"], "osType"),
                          (["--os-type", "Linux", "--os-state", "Specialized"], "osState"),
                          (["--publisher", "other", "--offer", "web", "--sku", "ubuntu", "--os-type", "Linux"],
                           "identifier")):
        args = changed if prop == "identifier" else same + changed
        result = cli("sig", "image-definition", "create", *SIG, *args)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == (
            f"ERROR: (PropertyChangeNotAllowed) Changing property 'galleryImage.properties.{prop}' is not allowed.")
    assert {p: p.read_bytes() for p in vmss_home.rglob("*.json")} == before
    # the same create-only values again: an update of what may change
    result = ok(cli("sig", "image-definition", "create", *SIG, *same, "--os-type", "Linux", "--tags", "team=web"))
    assert result.json["tags"] == {"team": "web"}
