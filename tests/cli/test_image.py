"""`vmss image ...` (= `az vm image ...`) and `vmss sim image publish`: exact stdout, stderr, exit code."""

from __future__ import annotations

import json

import pytest

from tests.schema import validate
from tests.util import examples_of, usage_error
from vmss_cli.core.resources import catalog
from vmss_cli.render.views import az_form

SUB = "00000000-0000-0000-0000-000000000000"
START = 1767225600
JAMMY = ["-p", "Canonical", "-f", "0001-com-ubuntu-server-jammy", "-s", "22_04-lts-gen2"]
OFFLINE = "WARNING: You are viewing an offline list of images, use --all to retrieve an up-to-date list\n"
ALL = ("WARNING: You are retrieving all the images from server which could take more than a minute. To shorten the "
       "wait, provide '--publisher', '--offer' , '--sku' or '--edge-zone'. Partial name search is supported.\n")
SHOW_ARGS = "ERROR: Please specify all of (--publisher, --offer, --sku, --version), or --urn\n"
URN_FORMAT = ("ERROR: --urn should be in the format of publisher:offer:sku:version or "
              "publisher:offer:sku:edge_zone:version\n")
NOT_FOUND = ("ERROR: (NotFound) Artifact: VMImage was not found.\nCode: NotFound\n"
             "Message: Artifact: VMImage was not found.\n")
# az 2.91's bundled aliases in output order (reference/az-behavior.md §4).
ALIASES = [
    ("AzureLinux4", "microsoftazurelinux:azurelinux-4:4", "x64"),
    ("AzureLinux4Arm64", "microsoftazurelinux:azurelinux-4:4-arm64", "Arm64"),
    ("AzureLinux4Gen1", "microsoftazurelinux:azurelinux-4:4-gen1", "x64"),
    ("CentOS85Gen2", "OpenLogic:CentOS:8_5-gen2", "x64"),
    ("Debian11", "Debian:debian-11:11-backports-gen2", "x64"),
    ("FlatcarLinuxFreeGen2", "kinvolk:flatcar-container-linux-free:stable-gen2", "x64"),
    ("OpenSuseLeap154Gen2", "SUSE:openSUSE-leap-15-4:gen2", "x64"),
    ("RHELRaw8LVMGen2", "RedHat:RHEL:8-lvm-gen2", "x64"),
    ("SuseSles15SP3", "SUSE:sles-15-sp3:gen2", "x64"),
    ("Ubuntu2204", "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2", "x64"),
    ("Win2022Datacenter", "MicrosoftWindowsServer:WindowsServer:2022-datacenter-g2", "x64"),
    ("Win2022AzureEditionCore", "MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition-core", "x64"),
    ("Win2019Datacenter", "MicrosoftWindowsServer:WindowsServer:2019-datacenter-gensecond", "x64"),
    ("Win2016Datacenter", "MicrosoftWindowsServer:WindowsServer:2016-datacenter-gensecond", "x64"),
    ("Win2012R2Datacenter", "MicrosoftWindowsServer:WindowsServer:2012-R2-Datacenter", "x64"),
    ("Win2012Datacenter", "MicrosoftWindowsServer:WindowsServer:2012-Datacenter", "x64"),
]


def dumps(value) -> str:
    return json.dumps(value, indent=2, sort_keys=True) + "\n"


def alias_item(name, urn, arch):
    publisher, offer, sku = urn.split(":")
    return {"architecture": arch, "offer": offer, "publisher": publisher, "sku": sku, "urn": f"{urn}:latest",
            "urnAlias": name, "version": "latest"}


def version_item(publisher, offer, sku, version, arch="x64"):
    return {"architecture": arch, "imageDeprecationStatus": {"imageState": "Active"}, "offer": offer,
            "publisher": publisher, "sku": sku, "urn": f"{publisher}:{offer}:{sku}:{version}", "version": version}


def shown(location, urn) -> str:
    """What `image show` must print: the az form of the ARM VirtualMachineImage, which itself validates."""
    publisher, offer, sku, version = urn.split(":")
    arm = catalog.image_version(SUB, location, catalog.find_sku(publisher, offer, sku), version)
    validate(arm, "VirtualMachineImage", strict=True)
    return dumps(az_form(arm))


# ---- image list (offline alias list) ---------------------------------------------------------------

def test_list_prints_the_alias_table_with_the_offline_warning(cli):
    result = cli("image", "list")
    assert (result.exit_code, result.stderr) == (0, OFFLINE)
    assert result.stdout == dumps([alias_item(*a) for a in ALIASES])


def test_list_table_columns(cli):
    result = cli("image", "list", "-o", "table", "-s", "2012")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == ["Architecture", "Offer", "Publisher", "Sku", "Urn", "UrnAlias",
                                                     "Version"]
    assert [line.split()[5] for line in result.stdout.splitlines()[2:]] == ["Win2012R2Datacenter",
                                                                           "Win2012Datacenter"]


@pytest.mark.parametrize("args, aliases", [
    (["-p", "WINDOWS", "-s", "2022"], ["Win2022Datacenter", "Win2022AzureEditionCore"]),
    (["-f", "centos"], ["CentOS85Gen2"]),
    (["--architecture", "arm64"], ["AzureLinux4Arm64"]),
    (["-p", "suse", "--architecture", "Arm64"], []),
    (["-l", "nowhere", "-s", "debian"], []),  # like az, the offline list ignores -l
    (["-l", "nowhere", "-s", "backports"], ["Debian11"]),
    (["-p", "nosuch"], []),
])
def test_list_filters_are_partial_and_case_insensitive(cli, args, aliases):
    result = cli("image", "list", *args)
    assert (result.exit_code, result.stderr) == (0, OFFLINE)
    assert result.stdout == dumps([alias_item(*a) for a in ALIASES if a[0] in aliases])


def test_list_warnings_obey_only_show_errors(cli):
    result = cli("image", "list", "-p", "debian", "--only-show-errors", "-o", "tsv")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "x64\tdebian-11\tDebian\t11-backports-gen2\tDebian:debian-11:11-backports-gen2:latest\t" \
                            "Debian11\tlatest\n"


def test_list_rejects_an_unknown_architecture(cli):
    result = cli("image", "list", "--architecture", "riscv")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == usage_error("vmss image list: 'riscv' is not a valid value for '--architecture'. "
                                        "Allowed values: Arm64, x64.", *examples_of("image", "list"))


# ---- image list --all ----------------------------------------------------------------------------------

def test_list_all_canonical_tsv(cli):
    result = cli("image", "list", "--all", "-p", "Canonical", "-o", "tsv")
    assert (result.exit_code, result.stderr) == (0, "")
    expected = [("0001-com-ubuntu-server-jammy", "22_04-lts-gen2", v)
                for v in ("22.04.202407010", "22.04.202408010", "22.04.202409030")]
    expected += [("UbuntuServer", "16.04-LTS", v) for v in ("16.04.202104140", "16.04.202106110", "16.04.202109280")]
    expected += [("UbuntuServer", "18.04-LTS", v) for v in ("18.04.202401161", "18.04.202404080", "18.04.202405140")]
    assert result.stdout == "".join(f"x64\t\t{o}\tCanonical\t{s}\tCanonical:{o}:{s}:{v}\t{v}\n"
                                    for o, s, v in expected)


def test_list_all_json_and_table(cli):
    result = cli("image", "list", "--all", "-l", "westus", "-s", "stable")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == dumps(
        [version_item("CoreOS", "CoreOS", "Stable", v) for v in ("2247.6.0", "2303.4.0", "2345.3.0")]
        + [version_item("kinvolk", "flatcar-container-linux-free", "stable-gen2", v)
           for v in ("3815.2.5", "3975.2.0", "4081.2.0")])
    table = cli("image", "list", "--all", "-l", "westus", "-s", "stable", "-o", "table").stdout.splitlines()
    assert table[0].split() == ["Architecture", "Offer", "Publisher", "Sku", "Urn", "Version"]
    assert len(table) == 2 + 6


def test_list_all_without_filters_warns_and_walks_everything(cli):
    result = cli("image", "list", "--all")
    assert (result.exit_code, result.stderr) == (0, ALL)
    items = result.json
    assert len(items) == len({i["urn"] for i in items}) == sum(len(e["versions"]) for e in catalog.shipped()["images"])
    assert items == sorted(items, key=lambda i: (i["publisher"].lower(), i["offer"].lower(), i["sku"].lower(),
                                                 catalog.version_key(i["version"])))


def test_list_all_location_and_architecture(cli):
    central = cli("image", "list", "--all", "-l", "centralus", "-p", "coreos")
    assert (central.exit_code, central.stdout, central.stderr) == (0, "[]\n", "")
    arm = cli("image", "list", "--all", "-p", "microsoftazurelinux", "--architecture", "ARM64", "--query", "[].sku")
    assert arm.stdout == dumps(["4-arm64"] * 3)


def test_list_all_rejects_an_unknown_location(cli):
    result = cli("image", "list", "--all", "-l", "mars", "-p", "Canonical")
    assert (result.exit_code, result.stdout) == (1, "")
    message = ("No registered resource provider found for location 'mars' and API version '2026-09-01' for type "
               "'locations/publishers'. The supported locations are 'centralus, eastus, eastus2, northeurope, "
               "southeastasia, westeurope, westus, westus2'.")
    assert result.stderr == (f"ERROR: (NoRegisteredProviderFound) {message}\nCode: NoRegisteredProviderFound\n"
                             f"Message: {message}\n")


# ---- list-publishers / list-offers / list-skus -------------------------------------------------------

def resource(location, *segments):
    rid = f"/Subscriptions/{SUB}/Providers/Microsoft.Compute/Locations/{location}/Publishers/{segments[0]}"
    for label, value in zip(("/ArtifactTypes/VMImage/Offers/", "/Skus/"), segments[1:]):
        rid += label + value
    return {"id": rid, "location": location, "name": segments[-1]}


def test_list_publishers(cli):
    result = cli("image", "list-publishers", "-l", "West US")
    assert (result.exit_code, result.stderr) == (0, "")
    names = ["Canonical", "CoreOS", "Debian", "kinvolk", "microsoftazurelinux", "MicrosoftWindowsServer", "OpenLogic",
             "RedHat", "SUSE"]
    assert result.stdout == dumps([resource("westus", n) for n in names])
    for item in result.json:
        validate(item, "VirtualMachineImageResource", strict=True)
    table = cli("image", "list-publishers", "-l", "westus", "-o", "table").stdout.splitlines()
    assert table[:3] == ["Location    Name", "----------  ----------------------", "westus      Canonical"]


def test_list_offers_and_skus(cli):
    offers = cli("image", "list-offers", "-l", "eastus", "-p", "canonical")
    assert (offers.exit_code, offers.stderr) == (0, "")
    assert offers.stdout == dumps([resource("eastus", "Canonical", "0001-com-ubuntu-server-jammy"),
                                   resource("eastus", "Canonical", "UbuntuServer")])
    skus = cli("image", "list-skus", "-l", "eastus", "-p", "MicrosoftWindowsServer", "-f", "windowsserver",
               "--query", "[].name", "-o", "tsv")
    assert skus.stdout.splitlines() == [
        "2012-Datacenter", "2012-R2-Datacenter", "2016-Datacenter", "2016-datacenter-gensecond",
        "2016-Datacenter-Smalldisk", "2016-Datacenter-with-Containers", "2019-Datacenter",
        "2019-datacenter-gensecond", "2019-Datacenter-Smalldisk", "2019-Datacenter-with-Containers",
        "2022-datacenter-azure-edition-core", "2022-datacenter-g2", "Datacenter-Core-1903-with-Containers-smalldisk"]
    one = cli("image", "list-skus", "-l", "eastus", "-p", "openlogic", "-f", "CentOS")
    assert one.stdout == dumps([resource("eastus", "OpenLogic", "CentOS", "7.5"),
                                resource("eastus", "OpenLogic", "CentOS", "8_5-gen2")])
    for item in offers.json + one.json:
        validate(item, "VirtualMachineImageResource", strict=True)


@pytest.mark.parametrize("args, message", [
    (["list-offers", "-l", "westus", "-p", "nosuch"], "Publisher: nosuch was not found."),
    (["list-offers", "-l", "centralus", "-p", "CoreOS"], "Publisher: CoreOS was not found."),
    (["list-skus", "-l", "westus", "-p", "nosuch", "-f", "x"], "Publisher: nosuch was not found."),
    (["list-skus", "-l", "westus", "-p", "Canonical", "-f", "nosuch"], "Offer: nosuch was not found."),
])
def test_list_offers_and_skus_not_found(cli, args, message):
    result = cli("image", *args)
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == f"ERROR: (NotFound) {message}\nCode: NotFound\nMessage: {message}\n"


@pytest.mark.parametrize("args, missing", [
    (["list-publishers"], "--location/-l"),
    (["list-offers"], "--location/-l, --publisher/-p"),
    (["list-offers", "-l", "westus"], "--publisher/-p"),
    (["list-skus", "-p", "Canonical"], "--location/-l, --offer/-f"),
])
def test_list_commands_require_their_arguments(cli, args, missing):
    result = cli("image", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == usage_error(f"the following arguments are required: {missing}", *examples_of("image", args[0]))


# ---- image show --------------------------------------------------------------------------------------

def test_show_urn_latest(cli):
    result = cli("image", "show", "--urn", "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest",
                 "-l", "eastus")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == shown("eastus", "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202409030")
    assert result.json == {
        "architecture": "x64",
        "automaticOSUpgradeProperties": {"automaticOSUpgradeSupported": False},
        "hyperVGeneration": "V2",
        "id": f"/Subscriptions/{SUB}/Providers/Microsoft.Compute/Locations/eastus/Publishers/Canonical/ArtifactTypes/"
              "VMImage/Offers/0001-com-ubuntu-server-jammy/Skus/22_04-lts-gen2/Versions/22.04.202409030",
        "imageDeprecationStatus": {"imageState": "Active"},
        "location": "eastus",
        "name": "22.04.202409030",
        "osDiskImage": {"operatingSystem": "Linux"},
    }


def test_show_by_parts_defaults_to_westus(cli):
    result = cli("image", "show", "-p", "microsoftwindowsserver", "-f", "WindowsServer", "-s", "2019-datacenter",
                 "--version", "2019.0.20190410")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == shown("westus", "MicrosoftWindowsServer:WindowsServer:2019-Datacenter:2019.0.20190410")
    latest = cli("image", "show", "-p", "CoreOS", "-f", "CoreOS", "-s", "Stable", "--version", "LATEST")
    assert latest.stdout == shown("westus", "CoreOS:CoreOS:Stable:2345.3.0")


def test_show_table(cli):
    result = cli("image", "show", "--urn", "OpenLogic:CentOS:7.5:latest", "-o", "table")
    assert result.stdout == ("Architecture    HyperVGeneration    Location    Name\n"
                             "--------------  ------------------  ----------  ------------\n"
                             "x64             V1                  westus      7.5.20181017\n")


@pytest.mark.parametrize("args, stderr", [
    ([], SHOW_ARGS),
    (["-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS"], SHOW_ARGS),
    (["--urn", "Canonical:UbuntuServer:18.04-LTS:latest", "--version", "latest"],
     SHOW_ARGS + "Try to use --urn publisher:offer:sku:version or --urn publisher:offer:sku:edge_zone:version\n"),
    (["--urn", "Canonical:UbuntuServer:18.04-LTS"], URN_FORMAT),
    (["--urn", "a:b:c:d:e:f"], URN_FORMAT),
    (["--urn", "Canonical:UbuntuServer:18.04-LTS:edgezone1:latest"],
     "ERROR: Edge zones are not emulated: use --urn publisher:offer:sku:version.\n"),
])
def test_show_argument_errors(cli, args, stderr):
    result = cli("image", "show", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", stderr)


@pytest.mark.parametrize("urn, location", [
    ("Canonical:UbuntuServer:18.04-LTS:18.04.1", "westus"),
    ("Canonical:UbuntuServer:20.04-LTS:latest", "westus"),
    ("Canonical::18.04-LTS:latest", "westus"),
    ("CoreOS:CoreOS:Stable:latest", "centralus"),
])
def test_show_not_found(cli, urn, location):
    result = cli("image", "show", "--urn", urn, "-l", location)
    assert (result.exit_code, result.stdout, result.stderr) == (3, "", NOT_FOUND)


# ---- sim image publish ---------------------------------------------------------------------------------

def publish(cli, *extra, location="eastus", version="22.04.202410010"):
    return cli("sim", "image", "publish", "-l", location, *JAMMY, "--version", version, *extra)


def test_publish_prints_the_version_as_image_show_does(cli, vmss_home):
    result = publish(cli, "--boot-time", "5m", "--fail-percent", "30")
    assert (result.exit_code, result.stderr) == (0, "")
    urn = "Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202410010"
    assert result.stdout == shown("eastus", urn)
    stored = json.loads((vmss_home / "images.json").read_text())
    assert stored == {"schemaVersion": 1, "versions": [
        {"bootSeconds": 300, "failPercent": 30, "location": "eastus", "offer": "0001-com-ubuntu-server-jammy",
         "publishedAt": START, "publisher": "Canonical", "sku": "22_04-lts-gen2", "version": "22.04.202410010"}]}
    assert json.loads((vmss_home / "world.json").read_text())["now"] == START  # the world's clock is now fixed
    # The new version is what `latest` means in that region, and only there.
    latest = urn.rsplit(":", 1)[0] + ":latest"
    assert cli("image", "show", "--urn", latest, "-l", "eastus").stdout == shown("eastus", urn)
    assert cli("image", "show", "--urn", latest).json["name"] == "22.04.202409030"
    everywhere = cli("image", "list", "--all", "-s", "22_04", "--query", "[].version", "-o", "tsv").stdout
    assert everywhere.splitlines()[-1] == "22.04.202410010"
    westus = cli("image", "list", "--all", "-s", "22_04", "-l", "westus", "--query", "[].version", "-o", "tsv").stdout
    assert "22.04.202410010" not in westus


def test_publish_defaults(cli, vmss_home):
    result = publish(cli, "--boot-time", "PT90S", location="West Europe", version="22.04.202410011")
    assert result.exit_code == 0, result.stderr
    assert result.json["location"] == "westeurope"
    assert publish(cli, location="westeurope", version="22.04.202410012").exit_code == 0
    records = json.loads((vmss_home / "images.json").read_text())["versions"]
    assert [(r["bootSeconds"], r["failPercent"]) for r in records] == [(90, 0), (catalog.DEFAULT_BOOT_SECONDS, 0)]


def service_error(code, message, target=None):
    return f"ERROR: ({code}) {message}\nCode: {code}\nMessage: {message}\n" + (f"Target: {target}\n" if target else "")


@pytest.mark.parametrize("args, exit_code, stderr", [
    (["-l", "eastus", *JAMMY, "--version", "22.04.202409030"], 1, service_error(
        "Conflict", "Image version '22.04.202409030' of 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2' is "
                    "already published in 'eastus'.")),
    (["-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "20.04-LTS", "--version", "20.04.1.1"], 3,
     service_error("NotFound", "The image SKU 'Canonical:UbuntuServer:20.04-LTS' is not in the platform image "
                               "catalog, so no version of it can be published. See 'vmss image list --all' for the "
                               "SKUs there are.")),
    (["-l", "eastus", *JAMMY, "--version", "22.04"], 1, service_error(
        "InvalidParameter", "The image version '22.04' is not valid: use Major.Minor.Build, three whole numbers "
                            "(for example 22.04.202409030).", "version")),
    (["-l", "eastus", *JAMMY, "--version", "22.04.1", "--fail-percent", "150"], 1, service_error(
        "InvalidParameter", "The fail percent 150 is not between 0 and 100.", "failPercent")),
    (["-l", "eastus", *JAMMY, "--version", "22.04.1", "--boot-time", "soon"], 1, service_error(
        "InvalidParameter", "The value 'soon' of parameter '--boot-time' is not a duration. Use ISO 8601 (PT45M) or "
                            "a short form such as 45m, 2h, 1h30m, 90s.", "--boot-time")),
    (["-l", "eastus", "-s", "x"], 2,
     usage_error("the following arguments are required: --publisher/-p, --offer/-f, --version",
                 *examples_of("sim", "image", "publish"))),
])
def test_publish_errors_write_nothing(cli, vmss_home, args, exit_code, stderr):
    result = cli("sim", "image", "publish", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (exit_code, "", stderr)
    assert not (vmss_home / "images.json").exists()


def test_publish_fail_percent_must_be_an_integer(cli, vmss_home):
    # The wording of type errors belongs to the shared usage-error renderer; the contract here is exit 2.
    result = publish(cli, "--fail-percent", "lots")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("ERROR: argument --fail-percent: ")
    assert not (vmss_home / "images.json").exists()
