"""Bugs the reliability suites found in code owned elsewhere, kept as regression tests once fixed.

B1 (fixed in 5c73eca): core/update.py walked the az form (_move_secrets, arm_unflatten) before checking
its JSON types, so a --set/--add giving part of the model the wrong type (a list, a number, null)
crashed with AttributeError/TypeError instead of failing as the PUT would (InvalidRequestContent), and
a malformed adminPassword or protectedSettings was stored as given. Found by test_hostile_input.py.
A bug found and not yet fixed goes here as a strict xfail naming its file and cause.
"""

from __future__ import annotations

import pytest

from tests.util import snapshot


@pytest.mark.parametrize("expression", [
    "virtualMachineProfile.osProfile=5",
    "virtualMachineProfile=[null]",
    "virtualMachineProfile.extensionProfile.extensions[0]=[]",
    "virtualMachineProfile.extensionProfile.extensions[0]=null",
    "virtualMachineProfile.extensionProfile.extensions=241",
    # secrets are moved out of the model before any check, so a malformed one is stored as given
    'virtualMachineProfile.osProfile.adminPassword={"a": "SECRET"}',
    "virtualMachineProfile.extensionProfile.extensions[0].protectedSettings=5",
])
def test_update_refuses_a_model_part_of_the_wrong_json_type(cli, rg, vmss_home, expression):
    assert cli("create", "-g", rg, "-n", "ss", "--upgrade-policy-mode", "Rolling", "-o", "none").exit_code == 0
    before = snapshot(vmss_home)
    result = cli("update", "-g", rg, "-n", "ss", "--set", expression)
    assert snapshot(vmss_home) == before
    assert result.exit_code == 1
    assert result.stderr.startswith("ERROR: (InvalidRequestContent) The request content was invalid"), result.stderr
    assert "SECRET" not in result.stderr
