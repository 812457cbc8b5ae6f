"""The shipped image catalog, the image endpoints' data, and publishing versions into the store."""

from __future__ import annotations

import json
import re

import pytest

from tests.schema import validate
from vmss_cli.core.resources import catalog
from vmss_cli.errors import ConflictError, InvalidParameterError, NotFoundError
from vmss_cli.store import paths
from vmss_cli.store.state import transaction

START = 1767225600  # conftest's VMSS_START_TIME as epoch seconds
SUB = "00000000-0000-0000-0000-000000000000"
JAMMY = ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2")

# reference/seed-automatic-os-upgrade.md, "Supported OS images" (display names mapped to URN publishers).
SEED_TABLE = [
    ("Canonical", "UbuntuServer", "16.04-LTS"),
    ("Canonical", "UbuntuServer", "18.04-LTS"),
    ("OpenLogic", "CentOS", "7.5"),
    ("CoreOS", "CoreOS", "Stable"),
    ("MicrosoftWindowsServer", "WindowsServer", "2012-R2-Datacenter"),
    ("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter"),
    ("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter-Smalldisk"),
    ("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter-with-Containers"),
    ("MicrosoftWindowsServer", "WindowsServer", "2019-Datacenter"),
    ("MicrosoftWindowsServer", "WindowsServer", "2019-Datacenter-Smalldisk"),
    ("MicrosoftWindowsServer", "WindowsServer", "2019-Datacenter-with-Containers"),
    ("MicrosoftWindowsServer", "WindowsServer", "Datacenter-Core-1903-with-Containers-smalldisk"),
]
# reference/az-behavior.md §4, az 2.91's bundled alias table in output order, with the choice made for
# automaticOSUpgradeSupported (Azure's supported-images list: only these Windows SKUs are on it).
ALIASES = [
    ("AzureLinux4", "microsoftazurelinux", "azurelinux-4", "4", "x64", False),
    ("AzureLinux4Arm64", "microsoftazurelinux", "azurelinux-4", "4-arm64", "Arm64", False),
    ("AzureLinux4Gen1", "microsoftazurelinux", "azurelinux-4", "4-gen1", "x64", False),
    ("CentOS85Gen2", "OpenLogic", "CentOS", "8_5-gen2", "x64", False),
    ("Debian11", "Debian", "debian-11", "11-backports-gen2", "x64", False),
    ("FlatcarLinuxFreeGen2", "kinvolk", "flatcar-container-linux-free", "stable-gen2", "x64", False),
    ("OpenSuseLeap154Gen2", "SUSE", "openSUSE-leap-15-4", "gen2", "x64", False),
    ("RHELRaw8LVMGen2", "RedHat", "RHEL", "8-lvm-gen2", "x64", False),
    ("SuseSles15SP3", "SUSE", "sles-15-sp3", "gen2", "x64", False),
    ("Ubuntu2204", "Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2", "x64", False),
    ("Win2022Datacenter", "MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-g2", "x64", True),
    ("Win2022AzureEditionCore", "MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition-core",
     "x64", True),
    ("Win2019Datacenter", "MicrosoftWindowsServer", "WindowsServer", "2019-datacenter-gensecond", "x64", True),
    ("Win2016Datacenter", "MicrosoftWindowsServer", "WindowsServer", "2016-datacenter-gensecond", "x64", True),
    ("Win2012R2Datacenter", "MicrosoftWindowsServer", "WindowsServer", "2012-R2-Datacenter", "x64", True),
    ("Win2012Datacenter", "MicrosoftWindowsServer", "WindowsServer", "2012-Datacenter", "x64", False),
]
ENTRY_KEYS = {"publisher", "offer", "sku", "osType", "architecture", "hyperVGeneration",
              "automaticOSUpgradeSupported", "urnAlias", "locations", "versions"}


def key(entry):
    return entry["publisher"], entry["offer"], entry["sku"]


# ---- the shipped data ----------------------------------------------------------------------------

def test_catalog_lists_the_seed_table_then_the_alias_skus_in_order():
    images = catalog.shipped()["images"]
    assert [key(e) for e in images[:len(SEED_TABLE)]] == SEED_TABLE
    alias_only = [a for a in ALIASES if (a[1], a[2], a[3]) not in SEED_TABLE]
    assert [key(e) for e in images[len(SEED_TABLE):]] == [(a[1], a[2], a[3]) for a in alias_only]
    assert catalog.shipped()["aliases"] == [a[0] for a in ALIASES]


def test_every_seed_sku_supports_automatic_os_upgrade():
    for sku in SEED_TABLE:
        assert catalog.find_sku(*sku)["automaticOSUpgradeSupported"] is True, sku


@pytest.mark.parametrize("name, publisher, offer, sku, arch, supported", ALIASES)
def test_alias_resolves_to_its_sku(name, publisher, offer, sku, arch, supported):
    entry = catalog.alias(name.lower())  # az matches aliases case-insensitively
    assert key(entry) == (publisher, offer, sku)
    assert entry["urnAlias"] == name
    assert entry["architecture"] == arch
    assert entry["automaticOSUpgradeSupported"] is supported
    assert entry["hyperVGeneration"] == ("V1" if sku in ("4-gen1", "2012-R2-Datacenter", "2012-Datacenter") else "V2")


@pytest.mark.parametrize("entry", catalog.shipped()["images"], ids=lambda e: ":".join(key(e)))
def test_entry_shape(entry):
    assert set(entry) == ENTRY_KEYS
    assert entry["osType"] == ("Windows" if entry["publisher"] == "MicrosoftWindowsServer" else "Linux")
    assert entry["architecture"] in catalog.ARCHITECTURES
    assert entry["hyperVGeneration"] in ("V1", "V2")
    assert 3 <= len(entry["versions"]) <= 4
    assert 6 <= len(entry["locations"]) <= 8
    assert catalog.DEFAULT_LOCATION in entry["locations"]  # `image show` without -l must find every SKU
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in entry["versions"])
    assert entry["versions"] == sorted(entry["versions"], key=catalog.version_key)
    assert len(set(map(catalog.version_key, entry["versions"]))) == len(entry["versions"])


def test_starter_versions_are_kept():
    with transaction(write=False) as tx:
        jammy = catalog.alias("Ubuntu2204")
        assert catalog.resolve_version(tx, "eastus", jammy, "latest")["version"] == "22.04.202409030"
        entry = catalog.find_sku("canonical", "ubuntuserver", "18.04-lts")
        assert catalog.resolve_version(tx, "westus", entry, "latest")["version"] == "18.04.202405140"


def test_version_key_orders_numerically():
    assert catalog.version_key("2019.0.20190410") < catalog.version_key("17763.5206.231202")
    assert catalog.version_key("8.9.2024020513") < catalog.version_key("8.10.2024061411")


def test_regions():
    assert catalog.regions() == ["centralus", "eastus", "eastus2", "northeurope", "southeastasia", "westeurope",
                                 "westus", "westus2"]
    assert catalog.check_location("West US 2") == "westus2"
    with pytest.raises(InvalidParameterError) as err:
        catalog.check_location("mars")
    assert err.value.code == "NoRegisteredProviderFound"


# ---- listing -------------------------------------------------------------------------------------

def test_alias_images_filters_are_partial_and_case_insensitive():
    found = catalog.alias_images(publisher="WINDOWS", sku="2022")
    assert [i["urnAlias"] for i in found] == ["Win2022Datacenter", "Win2022AzureEditionCore"]
    assert found[0] == {"architecture": "x64", "offer": "WindowsServer", "publisher": "MicrosoftWindowsServer",
                        "sku": "2022-datacenter-g2",
                        "urn": "MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2:latest",
                        "urnAlias": "Win2022Datacenter", "version": "latest"}
    assert [i["urnAlias"] for i in catalog.alias_images(architecture="Arm64")] == ["AzureLinux4Arm64"]
    assert catalog.alias_images(offer="nosuch") == []


def test_all_images_sorted_and_one_item_per_urn():
    with transaction(write=False) as tx:
        everywhere = catalog.all_images(tx, None)
        westus = catalog.all_images(tx, "westus")
        centralus = catalog.all_images(tx, "centralus")
    assert everywhere == westus  # every SKU ships in westus
    assert len({i["urn"] for i in everywhere}) == len(everywhere) == sum(
        len(e["versions"]) for e in catalog.shipped()["images"])
    order = [(i["publisher"].lower(), i["offer"].lower(), i["sku"].lower(), catalog.version_key(i["version"]))
             for i in everywhere]
    assert order == sorted(order)
    assert not any(i["sku"] == "Stable" for i in centralus)  # CoreOS is not offered there
    assert set(everywhere[0]) == {"architecture", "imageDeprecationStatus", "offer", "publisher", "sku", "urn",
                                  "version"}


def test_all_images_architecture_is_exact():
    with transaction(write=False) as tx:
        arm = catalog.all_images(tx, "westus", architecture="Arm64")
    assert {i["sku"] for i in arm} == {"4-arm64"}


def test_list_publishers_offers_skus():
    with transaction(write=False) as tx:
        pubs = catalog.list_publishers(tx, "westus", SUB)
        offers = catalog.list_offers(tx, "westus", "openlogic", SUB)
        skus = catalog.list_skus(tx, "westus", "OPENLOGIC", "centos", SUB)
        with pytest.raises(NotFoundError, match="^Publisher: nosuch was not found.$"):
            catalog.list_offers(tx, "westus", "nosuch", SUB)
        with pytest.raises(NotFoundError, match="^Offer: nosuch was not found.$"):
            catalog.list_skus(tx, "westus", "OpenLogic", "nosuch", SUB)
        with pytest.raises(NotFoundError, match="^Publisher: CoreOS was not found.$"):
            catalog.list_offers(tx, "centralus", "CoreOS", SUB)
    assert [p["name"] for p in pubs] == ["Canonical", "CoreOS", "Debian", "kinvolk", "microsoftazurelinux",
                                         "MicrosoftWindowsServer", "OpenLogic", "RedHat", "SUSE"]
    assert offers == [{"id": f"/Subscriptions/{SUB}/Providers/Microsoft.Compute/Locations/westus/Publishers/"
                             "OpenLogic/ArtifactTypes/VMImage/Offers/CentOS", "location": "westus", "name": "CentOS"}]
    assert [s["name"] for s in skus] == ["7.5", "8_5-gen2"]
    assert skus[0]["id"].endswith("/Publishers/OpenLogic/ArtifactTypes/VMImage/Offers/CentOS/Skus/7.5")
    for item in pubs + offers + skus:
        validate(item, "VirtualMachineImageResource", strict=True)


# ---- ARM builders ---------------------------------------------------------------------------------

def test_image_version_is_a_virtual_machine_image():
    entry = catalog.find_sku("MicrosoftWindowsServer", "WindowsServer", "2019-Datacenter")
    arm = catalog.image_version(SUB, "eastus", entry, "17763.5458.240206")
    validate(arm, "VirtualMachineImage", strict=True)
    assert arm == {
        "id": f"/Subscriptions/{SUB}/Providers/Microsoft.Compute/Locations/eastus/Publishers/MicrosoftWindowsServer/"
              "ArtifactTypes/VMImage/Offers/WindowsServer/Skus/2019-Datacenter/Versions/17763.5458.240206",
        "name": "17763.5458.240206",
        "location": "eastus",
        "properties": {"automaticOSUpgradeProperties": {"automaticOSUpgradeSupported": True},
                       "osDiskImage": {"operatingSystem": "Windows"}, "hyperVGeneration": "V1",
                       "architecture": "x64", "imageDeprecationStatus": {"imageState": "Active"}},
    }
    resource = catalog.image_resource(SUB, "eastus", entry, "17763.5458.240206")
    validate(resource, "VirtualMachineImageResource", strict=True)
    assert resource == {k: arm[k] for k in ("id", "name", "location")}


@pytest.mark.parametrize("entry", catalog.shipped()["images"], ids=lambda e: ":".join(key(e)))
def test_every_shipped_version_validates(entry):
    for version in entry["versions"]:
        validate(catalog.image_version(SUB, entry["locations"][0], entry, version), "VirtualMachineImage", strict=True)


def test_show_resolves_latest_and_reports_missing_versions():
    with transaction(write=False) as tx:
        arm = catalog.show(tx, "westus", "canonical", "UBUNTUSERVER", "16.04-lts", "latest", SUB)
        assert arm["name"] == "16.04.202109280"
        assert "/Publishers/Canonical/ArtifactTypes/VMImage/Offers/UbuntuServer/Skus/16.04-LTS/" in arm["id"]
        for args in (("westus", "Canonical", "UbuntuServer", "16.04-LTS", "1.2.3"),
                     ("westus", "Canonical", "nosuch", "16.04-LTS", "latest"),
                     ("centralus", "CoreOS", "CoreOS", "Stable", "latest")):
            with pytest.raises(NotFoundError) as err:
                catalog.show(tx, *args, SUB)
            assert (err.value.code, err.value.message) == ("NotFound", "Artifact: VMImage was not found.")


# ---- publish ---------------------------------------------------------------------------------------

def test_publish_records_the_version_in_the_store(vmss_home):
    with transaction() as tx:
        record = catalog.publish(tx, "East US", "canonical", "0001-COM-ubuntu-server-jammy", "22_04-LTS-gen2",
                                 "22.04.202410010", 300, 30, START)
    assert record == {"publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts-gen2",
                      "location": "eastus", "version": "22.04.202410010", "bootSeconds": 300, "failPercent": 30,
                      "publishedAt": START}
    stored = json.loads(paths.images_file(vmss_home).read_text())
    assert stored == {"schemaVersion": 1, "versions": [record]}
    with transaction(write=False) as tx:
        entry = catalog.find_sku(*JAMMY)
        assert catalog.resolve_version(tx, "eastus", entry, "latest") == record
        assert catalog.resolve_version(tx, "westus", entry, "latest")["version"] == "22.04.202409030"
        assert catalog.published(tx) == [record]


def test_publish_appends_and_defaults(vmss_home):
    with transaction() as tx:
        catalog.publish(tx, "eastus", *JAMMY, "22.04.202410010", now=START)
    with transaction() as tx:
        second = catalog.publish(tx, "eastus", *JAMMY, "22.04.202411010", now=START + 60)
    assert (second["bootSeconds"], second["failPercent"]) == (catalog.DEFAULT_BOOT_SECONDS, 0)
    stored = json.loads(paths.images_file(vmss_home).read_text())["versions"]
    assert [v["version"] for v in stored] == ["22.04.202410010", "22.04.202411010"]


def test_publish_into_a_region_the_sku_does_not_ship_in():
    with transaction() as tx:
        catalog.publish(tx, "centralus", "CoreOS", "CoreOS", "Stable", "2411.1.0", now=START)
    with transaction(write=False) as tx:
        found = catalog.versions(tx, "centralus", catalog.find_sku("CoreOS", "CoreOS", "Stable"))
        assert [v["version"] for v in found] == ["2411.1.0"]
        assert [p["name"] for p in catalog.list_publishers(tx, "centralus", SUB)].count("CoreOS") == 1


@pytest.mark.parametrize("version", ["1.2", "1.2.3.4", "a.b.c", "1.2.-3", "1..3", " 1.2.3", "2147483648.0.0", ""])
def test_publish_rejects_malformed_versions(vmss_home, version):
    with pytest.raises(InvalidParameterError) as err, transaction() as tx:
        catalog.publish(tx, "eastus", *JAMMY, version, now=START)
    assert err.value.message == (f"The image version '{version}' is not valid: use Major.Minor.Build, three whole "
                                 "numbers (for example 22.04.202409030).")
    assert err.value.target == "version"
    assert not paths.images_file(vmss_home).exists()


@pytest.mark.parametrize("version, shown", [
    ("22.04.202409030", "22.04.202409030"),   # shipped
    ("22.04.0202409030", "22.04.202409030"),  # the same version, numerically
])
def test_publish_rejects_a_version_already_offered(vmss_home, version, shown):
    with pytest.raises(ConflictError) as err, transaction() as tx:
        catalog.publish(tx, "eastus", *JAMMY, version, now=START)
    assert err.value.code == "Conflict"
    assert err.value.message == (f"Image version '{shown}' of 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2' "
                                 "is already published in 'eastus'.")
    assert not paths.images_file(vmss_home).exists()


def test_publish_rejects_a_version_published_before():
    with transaction() as tx:
        catalog.publish(tx, "westeurope", *JAMMY, "22.04.202410010", now=START)
    with pytest.raises(ConflictError), transaction() as tx:
        catalog.publish(tx, "westeurope", *JAMMY, "22.04.202410010", now=START)
    with transaction() as tx:  # another region is another replica
        catalog.publish(tx, "northeurope", *JAMMY, "22.04.202410010", now=START)


def test_publish_rejects_unknown_skus_regions_and_fault_profiles(vmss_home):
    cases = [
        (("eastus", "Canonical", "UbuntuServer", "20.04-LTS", "20.04.202401010"), {}, NotFoundError,
         "The image SKU 'Canonical:UbuntuServer:20.04-LTS' is not in the platform image catalog, so no version of it "
         "can be published. See 'vmss image list --all' for the SKUs there are."),
        (("mars", *JAMMY, "22.04.202410010"), {}, InvalidParameterError,
         "No registered resource provider found for location 'mars' and API version '2026-09-01' for type "
         "'locations/publishers/artifacttypes/offers/skus/versions'. The supported locations are 'centralus, eastus, "
         "eastus2, northeurope, southeastasia, westeurope, westus, westus2'."),
        (("eastus", *JAMMY, "22.04.202410010"), {"fail_percent": 101}, InvalidParameterError,
         "The fail percent 101 is not between 0 and 100."),
        (("eastus", *JAMMY, "22.04.202410010"), {"fail_percent": -1}, InvalidParameterError,
         "The fail percent -1 is not between 0 and 100."),
        (("eastus", *JAMMY, "22.04.202410010"), {"boot_seconds": -5}, InvalidParameterError,
         "The boot time -5 s is negative."),
    ]
    for args, kwargs, error, message in cases:
        with pytest.raises(error) as err, transaction() as tx:
            catalog.publish(tx, *args, now=START, **kwargs)
        assert err.value.message == message
    assert not paths.images_file(vmss_home).exists()
    with transaction() as tx:  # the bounds themselves are fine
        catalog.publish(tx, "eastus", *JAMMY, "22.04.202410010", boot_seconds=0, fail_percent=100, now=START)
