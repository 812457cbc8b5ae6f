"""`vmss config` defaults (az config): -g/-l/-o fall back to them; bad TOML is reported."""

from __future__ import annotations


def test_defaults_fill_in_group_location_and_output(cli, vmss_home):
    r = cli("config", "set", "defaults.group=rg9", "defaults.location=westus", "core.output=tsv")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    text = (vmss_home / "config.toml").read_text()
    assert 'group = "rg9"' in text and 'output = "tsv"' in text
    assert oct((vmss_home / "config.toml").stat().st_mode & 0o777) == "0o600"
    r = cli("group", "create", "-n", "rg9", "-o", "json")  # location from defaults.location
    assert r.exit_code == 0 and r.json["location"] == "westus"
    r = cli("create", "-n", "ss", "--image", "Canonical:UbuntuServer:18.04-LTS:latest", "-o", "none")
    assert r.exit_code == 0, r.stderr
    r = cli("show", "-n", "ss", "--query", "[name, location]")  # -g from defaults, tsv from core.output
    assert r.stdout == "ss\nwestus\n"
    r = cli("config", "get", "defaults.group", "-o", "json")
    assert r.json == {"name": "group", "source": str(vmss_home / "config.toml"), "value": "rg9"}
    assert cli("config", "unset", "defaults.group").exit_code == 0
    r = cli("show", "-n", "ss")
    assert r.exit_code == 2 and r.stderr.startswith("ERROR: the following arguments are required: --resource-group/-g")


def test_unknown_keys_and_bad_values(cli, vmss_home):
    r = cli("config", "set", "defaults.colour=red")
    assert r.exit_code == 1 and r.stderr.startswith("ERROR: Unknown configuration key 'defaults.colour'.")
    r = cli("config", "set", "core.output=xml")
    assert r.exit_code == 1 and "core.output must be one of" in r.stderr
    assert not (vmss_home / "config.toml").exists()


def test_bad_toml_names_the_file_and_line(cli, vmss_home):
    vmss_home.mkdir(parents=True)
    (vmss_home / "config.toml").write_text('[defaults]\ngroup = "rg1"\nlocation = \n')
    before = (vmss_home / "config.toml").read_bytes()
    r = cli("group", "list")
    assert r.exit_code == 1
    assert r.stderr.startswith(f"ERROR: Config file '{vmss_home / 'config.toml'}' is not valid TOML: ")
    assert "line 3" in r.stderr
    assert (vmss_home / "config.toml").read_bytes() == before
