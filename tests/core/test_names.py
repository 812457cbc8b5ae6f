"""Azure's naming rules, checked before a name can become a path in the store."""

from __future__ import annotations

import pytest

from tests.util import snapshot
from vmss_cli.store import names
from vmss_cli.errors import InvalidParameterError

GOOD_GROUPS = ["a", "rg1", "My_Group-1", "x.y", "(paren)", "a" * 90, "1", "_", "-", "a..b", ".hidden", "rg()"]
BAD_GROUPS = ["", "a" * 91, "ends.", "..", ".", "../x", "a/b", "a\\b", "a\x00b", "a b", "a:b", "a*b", "a?",
              "\uff0f", "\uff0e\uff0e", "rg\uff0fx", "caf\u00e9", "\u0430bc", "a\nb", "\t", "a" * 10000]
GOOD_SETS = ["a", "s1", "A", "0", "vmss_1.prod-x", "a" * 64, "1-", "a.", "a..b"]
BAD_SETS = ["", "a" * 65, "-a", "_a", ".a", "..", ".", "../x", "a/b", "a\\b", "a\x00b", "a b", "a(b)",
            "\uff0f", "\uff0e\uff0e", "s\uff0f1", "\u0455et", "a\nb", "a" * 10000]


@pytest.mark.parametrize("name", GOOD_GROUPS)
def test_valid_resource_group_names(name):
    assert names.validate_resource_group(name) == name


@pytest.mark.parametrize("name", BAD_GROUPS)
def test_invalid_resource_group_names(name):
    with pytest.raises(InvalidParameterError) as caught:
        names.validate_resource_group(name)
    assert caught.value.code == "InvalidParameter"
    assert caught.value.target == "resourceGroupName"
    assert caught.value.message.endswith(" is invalid. It must be 1-90 characters of letters, digits, '-', '_', "
                                         "'.', '(' or ')' and must not end with '.'.")


@pytest.mark.parametrize("name", GOOD_SETS)
def test_valid_scale_set_names(name):
    assert names.validate_scale_set_name(name) == name


@pytest.mark.parametrize("name", BAD_SETS)
def test_invalid_scale_set_names(name):
    with pytest.raises(InvalidParameterError) as caught:
        names.validate_scale_set_name(name)
    assert caught.value.code == "InvalidParameter"
    assert caught.value.target == "vmScaleSetName"
    assert caught.value.message.endswith(" is invalid. It must be 1-64 characters of letters, digits, '-', '_' "
                                         "or '.', and start with a letter or digit.")


def test_error_never_echoes_control_characters_and_is_bounded():
    with pytest.raises(InvalidParameterError) as caught:
        names.validate_scale_set_name("a\x00b\x1b[31m")
    assert "Virtual machine scale set name 'a\\x00b\\x1b[31m' is invalid." in caught.value.message
    with pytest.raises(InvalidParameterError) as caught:
        names.validate_resource_group("x" * 10000)
    assert caught.value.message == ("Resource group name '" + "x" * 100 + "' is invalid. It must be 1-90 characters "
                                    "of letters, digits, '-', '_', '.', '(' or ')' and must not end with '.'.")


GROUP_MESSAGE = ("Resource group name '{}' is invalid. It must be 1-90 characters of letters, digits, '-', '_', '.', "
                 "'(' or ')' and must not end with '.'.")
SET_MESSAGE = ("Virtual machine scale set name '{}' is invalid. It must be 1-64 characters of letters, digits, "
               "'-', '_' or '.', and start with a letter or digit.")


def az_error(message: str, target: str) -> str:
    return f"ERROR: (InvalidParameter) {message}\nCode: InvalidParameter\nMessage: {message}\nTarget: {target}\n"


@pytest.mark.parametrize("name, shown", [
    ("../x", "../x"), ("a/b", "a/b"), ("", ""), ("a\x00b", "a\\x00b"), ("a\u202eb", "a?b"),
    ("\uff0f", "\uff0f"), ("\uff0e\uff0e", "\uff0e\uff0e"),  # printable look-alikes are echoed, and refused
    ("..", ".."), ("end.", "end."), ("a" * 91, "a" * 91),
])
def test_group_create_refuses_bad_names_and_writes_nothing(cli, vmss_home, name, shown):
    result = cli("group", "create", "-n", name, "-l", "eastus")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == az_error(GROUP_MESSAGE.format(shown), "resourceGroupName")
    assert not vmss_home.exists()  # not even the store directory or its lock file


@pytest.mark.parametrize("name, shown", [
    ("../x", "../x"), ("a/b", "a/b"), ("", ""), ("a\x00b", "a\\x00b"), ("a\u202eb", "a?b"),
    ("\uff0f", "\uff0f"), ("\uff0e\uff0e", "\uff0e\uff0e"),  # printable look-alikes are echoed, and refused
    (".hidden", ".hidden"), ("a" * 65, "a" * 65), ("s p", "s p"),
])
def test_scale_set_commands_refuse_bad_names_and_write_nothing(cli, rg, vmss_home, name, shown):
    before = snapshot(vmss_home)
    expected = az_error(SET_MESSAGE.format(shown), "vmScaleSetName")
    for args in (["create", "-g", rg, "-n", name], ["delete", "-g", rg, "-n", name],
                 ["scale", "-g", rg, "-n", name, "--new-capacity", "3"], ["show", "-g", rg, "-n", name],
                 ["list-instances", "-g", rg, "-n", name]):
        result = cli(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected), args
    assert snapshot(vmss_home) == before


@pytest.mark.parametrize("name", ["../x", "a/b", "..", "\uff0f"])
def test_scale_set_commands_refuse_bad_group_names(cli, rg, vmss_home, name):
    before = snapshot(vmss_home)
    for args in (["create", "-g", name, "-n", "s1"], ["show", "-g", name, "-n", "s1"], ["list", "-g", name],
                 ["group", "delete", "-n", name, "--yes"], ["group", "show", "-n", name]):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("ERROR: (InvalidParameter) Resource group name '"), args
    assert snapshot(vmss_home) == before


def test_names_are_case_insensitive_in_the_store(cli, rg, vmss_home):
    assert cli("create", "-g", "RG1", "-n", "MySet").exit_code == 0
    assert (vmss_home / "resourceGroups" / "rg1" / "virtualMachineScaleSets" / "myset.json").is_file()
    shown = cli("show", "-g", "rg1", "-n", "myset", "--query", "name", "-o", "tsv")
    assert (shown.exit_code, shown.stdout) == (0, "MySet\n")
    again = cli("create", "-g", "rg1", "-n", "MYSET")
    assert again.exit_code == 1
