"""`--set/--add/--remove/--force-string` (reference/az-behavior.md §2) and issue 4's three differences.

The acceptance table (the 30 examples, with their variants as extra rows) runs twice: schema_aware=False must give az 2.91's results byte for byte (results are
compared as sorted JSON text, so 5, "5", 5.0 and true are all different); schema_aware=True gives the same
except where issue 4's rules change the outcome (SCHEMA_CHANGES).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vmss_cli.core.arm import schema as arm_schema
from vmss_cli.errors import CliError
from vmss_cli.core.update.generic import apply

R = json.loads(
    '{"name":"vmss1","location":"eastus","sku":{"name":"Standard_D2s_v5","capacity":2,"tier":"Standard"},"tags":{},'
    '"upgradePolicy":{"mode":"Manual"},"virtualMachineProfile":{"storageProfile":{"dataDisks":[{"lun":0,'
    '"diskSizeGB":10},{"lun":1,"diskSizeGB":20}]},"networkProfile":{"networkInterfaceConfigurations":[{"name":'
    '"nic1","primary":true}]},"extensionProfile":{"extensions":[]}}}')
# example 28: "a real vmss with rollingUpgradePolicy.maxBatchInstancePercent=20"
R28 = {**copy.deepcopy(R), "upgradePolicy": {"mode": "Rolling", "rollingUpgradePolicy": {
    "maxBatchInstancePercent": 20, "maxUnhealthyInstancePercent": 20, "maxUnhealthyUpgradedInstancePercent": 20,
    "pauseTimeBetweenBatches": "PT0S"}}}

VMP = "virtualMachineProfile"
SP = f"{VMP}.storageProfile"
NICS = f"{VMP}.networkProfile.networkInterfaceConfigurations"
EXTS = f"{VMP}.extensionProfile.extensions"
SET_SYNTAX = "invalid syntax: `--set property1.property2=<value>`"
ADD_SYNTAX = "invalid syntax: `--add property.listProperty <key=value, string or JSON string>`"
REMOVE_SYNTAX = "invalid syntax: `--remove property.list <indexToRemove>` OR `--remove propertyToRemove`"
ROOT_NAMES = sorted(arm_schema.load().root.names)
EXTENSION_NAMES = sorted(arm_schema.load().root.child(VMP).child("extensionProfile").child("extensions").item.names)


def changed(base=R, **edits):
    """`base` with edits given as {'dotted__path': value} (double underscore = dot), as JSON text."""
    doc = copy.deepcopy(base)
    for dotted, value in edits.items():
        *parents, last = dotted.split("__")
        target = doc
        for p in parents:
            target = target[int(p)] if isinstance(target, list) else target[p]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return doc


def disks(*items):
    return {"virtualMachineProfile__storageProfile__dataDisks": list(items)}


def canon(doc) -> str:
    return json.dumps(doc, sort_keys=True, indent=2)


def s(*exprs):
    return ("set", list(exprs))


def add(*args):
    return ("add", list(args))


def rm(*args):
    return ("remove", list(args))


# (id, resource, operations, force_string, expected dict or error text) -- az 2.91 (schema_aware=False)
ACCEPTANCE = [
    ("1", R, [s("upgradePolicy.mode=Rolling")], False, changed(upgradePolicy={"mode": "Rolling"})),
    ("2", R, [s("upgradePolicy.Mode=Automatic")], False,
     changed(upgradePolicy={"Mode": "Automatic", "mode": "Manual"})),
    ("3", R, [s("upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent=50")], False,
     "Couldn't find 'rollingUpgradePolicy' in 'upgradePolicy'. Available options: ['mode']"),
    ("4", R, [s('upgradePolicy.rollingUpgradePolicy={"maxBatchInstancePercent": 50, "pauseTimeBetweenBatches": "PT0S"}')],
     False, changed(upgradePolicy={"mode": "Manual", "rollingUpgradePolicy": {
         "maxBatchInstancePercent": 50, "pauseTimeBetweenBatches": "PT0S"}})),
    ("5", R, [s("upgradePolicy.automaticOSUpgradePolicy={}",
                "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade=true")], False,
     changed(upgradePolicy={"mode": "Manual", "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": True}})),
    ("6", R, [s("sku.capacity=5")], False, changed(sku__capacity=5)),
    ("6-force-string", R, [s("sku.capacity=5")], True, changed(sku__capacity="5")),
    ("7", R, [s("tags.env=prod", "tags.flag=true", "tags.n=null", "tags.l=[1,2]", "tags.bad={oops", "tags.py=True",
                "tags.q=\"5\"", "tags.eq=a=b")], False,
     changed(tags={"bad": "{oops", "env": "prod", "eq": "a=b", "flag": True, "l": [1, 2], "n": None, "py": True,
                   "q": "5"})),
    ("8", R, [s(f"{SP}.dataDisks[1].diskSizeGB=64")], False,
     changed(**disks({"lun": 0, "diskSizeGB": 10}, {"lun": 1, "diskSizeGB": 64}))),
    ("8-last", R, [s(f"{SP}.dataDisks[-1].diskSizeGB=64")], False,
     changed(**disks({"lun": 0, "diskSizeGB": 10}, {"lun": 1, "diskSizeGB": 64}))),
    ("9", R, [s(f"{SP}.dataDisks[5].diskSizeGB=64")], False, "index 5 doesn't exist on dataDisks"),
    ("10", R, [s(f"{SP}.dataDisks[lun=1].diskSizeGB=30")], False,
     changed(**disks({"lun": 0, "diskSizeGB": 10}, {"lun": 1, "diskSizeGB": 30}))),
    ("10-miss", R, [s(f"{SP}.dataDisks[lun=9].diskSizeGB=30")], False,
     "item with value '9' doesn't exist for key 'lun' on dataDisks"),
    ("11", R, [s(f"{NICS}[name=nic1].primary=false")], False,
     changed(**{"virtualMachineProfile__networkProfile__networkInterfaceConfigurations": [
         {"name": "nic1", "primary": False}]})),
    ("12", R, [s(f"{NICS}.name=x")], False,
     f"Couldn't find 'name' in '{NICS}'. Available options: index into the collection '{NICS}' with "
     "[<index>] or [<key=value>]"),
    ("13", R, [s(f"{SP}.dataDisks[x].lun=1")], False, SET_SYNTAX),
    ("14", R, [s("foo.bar=1")], False,
     "Couldn't find 'foo' in ''. Available options: ['location', 'name', 'sku', 'tags', 'upgradePolicy', "
     "'virtualMachineProfile']"),
    ("15", R, [s("upgradePolicy.mode.x=1")], False,
     "Couldn't find 'x' in 'upgradePolicy.mode'. 'upgradePolicy.mode' does not support further indexing."),
    ("16", R, [s("=value")], False,
     "usage error: Empty key in --set. Correct syntax: --set KEY=VALUE [KEY=VALUE ...]"),
    ("17", R, [s("novalue")], False, changed(novalue="")),
    ("18", R, [add(EXTS, "name=HealthExtension", "publisher=Microsoft.ManagedServices")], False,
     changed(virtualMachineProfile__extensionProfile__extensions=[
         {"name": "HealthExtension", "publisher": "Microsoft.ManagedServices"}])),
    ("19", R, [add(EXTS, "a=1", "b=2", "plain", "5", '{"c": 3}', "d=4")], False,
     changed(virtualMachineProfile__extensionProfile__extensions=[
         {"a": "1", "b": "2"}, "plain", 5, {"c": 3}, {"d": "4"}])),
    ("20", R, [add(EXTS, "5")], True, changed(virtualMachineProfile__extensionProfile__extensions=["5"])),
    ("21", R, [add("tags", "x=1")], False, ADD_SYNTAX),
    ("22", R, [rm(f"{SP}.dataDisks", "0")], False, changed(**disks({"diskSizeGB": 20, "lun": 1}))),
    ("22-last", R, [rm(f"{SP}.dataDisks", "-1")], False, changed(**disks({"diskSizeGB": 10, "lun": 0}))),
    ("23", R, [rm(f"{SP}.dataDisks", "7")], False, "index 7 doesn't exist on dataDisks"),
    ("24", R, [rm(f"{SP}.dataDisks[0]")], False, REMOVE_SYNTAX),
    ("24-word", R, [rm(f"{SP}.dataDisks", "x")], False, REMOVE_SYNTAX),
    ("25", R, [rm(f"{SP}.dataDisks[0].diskSizeGB")], False,
     changed(**disks({"lun": 0}, {"lun": 1, "diskSizeGB": 20}))),
    ("25-key", R, [rm("tags")], False, {k: v for k, v in R.items() if k != "tags"}),
    ("26", R, [s("upgradePolicy.mode=Rolling"), rm("upgradePolicy.mode")], False, changed(upgradePolicy={})),
    ("26-reversed", R, [rm("upgradePolicy.mode"), s("upgradePolicy.mode=Rolling")], False,
     changed(upgradePolicy={"mode": "Rolling"})),
    ("26-twice", R, [s("upgradePolicy.mode=Rolling"), s("upgradePolicy.mode=Automatic")], False,
     changed(upgradePolicy={"mode": "Automatic"})),
    ("27", R, [s("tags.a=1"), add(f"{SP}.dataDisks", "lun=2"), rm(f"{SP}.dataDisks", "0")], False,
     changed(tags={"a": 1}, **disks({"diskSizeGB": 20, "lun": 1}, {"lun": "2"}))),
    # 28-30 combine generic ops with the dedicated flags, which the CLI applies after apply(); here only the
    # generic part: 28's --set gives 30 (the flag then makes it 40); 29/30 have no generic op at all
    ("28", R28, [s("upgradePolicy.rollingUpgradePolicy.maxBatchInstancePercent=30")], False,
     changed(R28, upgradePolicy__rollingUpgradePolicy__maxBatchInstancePercent=30)),
    ("29", R, [], False, R),
    ("30", R, [], False, R),
]

# what issue 4's three rules change (schema_aware=True); every other row must give the same as az
SCHEMA_CHANGES = {
    "2": changed(upgradePolicy={"mode": "Automatic"}),                       # rule 1
    "3": changed(upgradePolicy={"mode": "Manual", "rollingUpgradePolicy": {"maxBatchInstancePercent": 50}}),  # 2
    "14": f"Couldn't find 'foo' in ''. Available options: {ROOT_NAMES}",     # rule 3
    "17": f"Couldn't find 'novalue' in ''. Available options: {ROOT_NAMES}",  # rule 3
    "19": f"Couldn't find 'a' in '{EXTS}[0]'. Available options: {EXTENSION_NAMES}",  # rule 3, inside --add
}


def run(resource, ops, force_string, schema_aware):
    before = canon(resource)
    try:
        result = apply(resource, ops, force_string=force_string, schema_aware=schema_aware)
    except CliError as err:
        assert canon(resource) == before, "the input was modified"
        return err.message
    assert canon(resource) == before, "the input was modified"
    return result


def check(outcome, expected):
    if isinstance(expected, str):
        assert outcome == expected
    else:
        assert not isinstance(outcome, str), outcome
        assert canon(outcome) == canon(expected)


@pytest.mark.parametrize("case_id,resource,ops,force_string,expected", ACCEPTANCE, ids=[c[0] for c in ACCEPTANCE])
def test_acceptance_as_az_2_91(case_id, resource, ops, force_string, expected):
    check(run(resource, ops, force_string, schema_aware=False), expected)


@pytest.mark.parametrize("case_id,resource,ops,force_string,expected", ACCEPTANCE, ids=[c[0] for c in ACCEPTANCE])
def test_acceptance_schema_aware(case_id, resource, ops, force_string, expected):
    check(run(resource, ops, force_string, schema_aware=True), SCHEMA_CHANGES.get(case_id, expected))


def test_schema_names_listed_are_the_scale_set_properties():
    assert {"upgradePolicy", "virtualMachineProfile", "sku", "tags", "location", "zones", "identity", "plan",
            "orchestrationMode", "id", "type", "etag"} <= set(ROOT_NAMES)
    assert "properties" not in ROOT_NAMES and "resourceGroup" not in ROOT_NAMES


# ---- rule 1: case-insensitive and snake_case segments -----------------------------------------------------

def test_seed_command_sets_the_camel_case_property():
    out = apply(R, [s("UpgradePolicy.AutomaticOSUpgradePolicy.EnableAutomaticOSUpgrade=true")])
    assert out["upgradePolicy"] == {"mode": "Manual", "automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": True}}


def test_seed_command_in_az_2_91_fails_on_the_first_segment():
    with pytest.raises(CliError) as err:
        apply(R, [s("UpgradePolicy.AutomaticOSUpgradePolicy.EnableAutomaticOSUpgrade=true")], schema_aware=False)
    # az names the parent from the whole path (minus its last intermediate), not from the failing segment
    assert err.value.message == ("Couldn't find 'UpgradePolicy' in 'UpgradePolicy'. Available options: "
                                 "['location', 'name', 'sku', 'tags', 'upgradePolicy', 'virtualMachineProfile']")


def test_snake_case_segments():
    out = apply(R28, [s("upgrade_policy.rolling_upgrade_policy.max_batch_instance_percent=50",
                        "upgradePolicy.ROLLINGUPGRADEPOLICY.PauseTimeBetweenBatches=PT5S")])
    assert out["upgradePolicy"]["rollingUpgradePolicy"]["maxBatchInstancePercent"] == 50
    assert out["upgradePolicy"]["rollingUpgradePolicy"]["pauseTimeBetweenBatches"] == "PT5S"
    assert set(out["upgradePolicy"]["rollingUpgradePolicy"]) == set(R28["upgradePolicy"]["rollingUpgradePolicy"])


def test_case_insensitive_remove_and_filter_key():
    out = apply(R, [rm("UpgradePolicy.MODE"), s(f"{SP}.DataDisks[LUN=1].DiskSizeGB=30")])
    assert out["upgradePolicy"] == {}
    assert out[VMP]["storageProfile"]["dataDisks"][1] == {"lun": 1, "diskSizeGB": 30}


def test_keys_inside_a_json_value_take_the_schema_spelling():
    out = apply(R, [s('upgradePolicy={"Mode": "Rolling", "rolling_upgrade_policy": {"MaxSurge": true}}')])
    assert out["upgradePolicy"] == {"mode": "Rolling", "rollingUpgradePolicy": {"maxSurge": True}}


def test_free_form_maps_keep_the_users_keys():
    base = changed(virtualMachineProfile__extensionProfile__extensions=[
        {"name": "ApplicationHealthLinux", "publisher": "Microsoft.ManagedServices", "settings": {"port": 80}}])
    out = apply(base, [s("tags.Env=prod", "tags.my_tag=1", f"{EXTS}[0].settings.RequestPath=/health",
                         f"{EXTS}[0].protectedSettings={{\"Secret\": 1}}")])
    assert out["tags"] == {"Env": "prod", "my_tag": 1}
    assert out[VMP]["extensionProfile"]["extensions"][0]["settings"] == {"port": 80, "RequestPath": "/health"}
    assert out[VMP]["extensionProfile"]["extensions"][0]["protectedSettings"] == {"Secret": 1}


# ---- rule 2: missing intermediates the schema defines are created -----------------------------------------

def test_creates_missing_intermediate_objects():
    bare = {"name": "vmss1", "location": "eastus"}
    out = apply(bare, [s("virtualMachineProfile.osProfile.linuxConfiguration.provisionVMAgent=true",
                         "upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade=true")])
    assert out == {"name": "vmss1", "location": "eastus",
                   "virtualMachineProfile": {"osProfile": {"linuxConfiguration": {"provisionVMAgent": True}}},
                   "upgradePolicy": {"automaticOSUpgradePolicy": {"enableAutomaticOSUpgrade": True}}}


def test_null_intermediate_object_is_created_even_with_force_string():
    base = changed(upgradePolicy={"mode": "Manual", "rollingUpgradePolicy": None})
    out = apply(base, [s("upgradePolicy.rollingUpgradePolicy.pauseTimeBetweenBatches=PT5S")], force_string=True)
    assert out["upgradePolicy"]["rollingUpgradePolicy"] == {"pauseTimeBetweenBatches": "PT5S"}


def test_add_creates_the_missing_list():
    bare = {"virtualMachineProfile": {}}
    out = apply(bare, [add(EXTS, "name=HealthExtension", "Publisher=Microsoft.ManagedServices")])
    assert out == {"virtualMachineProfile": {"extensionProfile": {"extensions": [
        {"name": "HealthExtension", "publisher": "Microsoft.ManagedServices"}]}}}


def test_missing_list_is_created_but_an_index_into_it_still_fails():
    with pytest.raises(CliError, match=r"^index 0 doesn't exist on dataDisks$"):
        apply({"virtualMachineProfile": {"storageProfile": {}}}, [s(f"{SP}.dataDisks[0].lun=1")])


def test_known_but_absent_property_is_not_created_by_remove():
    with pytest.raises(CliError) as err:
        apply(R, [rm("upgradePolicy.rollingUpgradePolicy")])
    assert err.value.message == "Couldn't find 'rollingUpgradePolicy' in 'upgradePolicy'. Available options: ['mode']"


# ---- rule 3: properties the schema does not define --------------------------------------------------------

ROLLING_NAMES = ["enableCrossZoneUpgrade", "maxBatchInstancePercent", "maxSurge", "maxUnhealthyInstancePercent",
                 "maxUnhealthyUpgradedInstancePercent", "pauseTimeBetweenBatches", "prioritizeUnhealthyInstances",
                 "rollbackFailedInstancesOnPolicyBreach"]


@pytest.mark.parametrize("ops,message", [
    ([s("upgradePolicy.rollingUpgradePolicy.maxBatch=5")],
     f"Couldn't find 'maxBatch' in 'upgradePolicy.rollingUpgradePolicy'. Available options: {ROLLING_NAMES}"),
    ([s("upgradePolicy.x.y.z=1")],
     "Couldn't find 'x' in 'upgradePolicy'. Available options: ['automaticOSUpgradePolicy', 'mode', "
     "'rollingUpgradePolicy']"),
    ([s('upgradePolicy.rollingUpgradePolicy={"maxBatchInstancePercent": 5, "bogus": 1}')],
     f"Couldn't find 'bogus' in 'upgradePolicy.rollingUpgradePolicy'. Available options: {ROLLING_NAMES}"),
    ([rm("resourceGroup")], f"Couldn't find 'resourceGroup' in ''. Available options: {ROOT_NAMES}"),
    ([add(f"{SP}.dataDisks", "lun=2", "sizeGB=4")],
     "Couldn't find 'sizeGB' in 'virtualMachineProfile.storageProfile.dataDisks[2]'. Available options: "
     "['caching', 'createOption', 'deleteOption', 'diskIOPSReadWrite', 'diskMBpsReadWrite', 'diskSizeGB', "
     "'lun', 'managedDisk', 'name', 'writeAcceleratorEnabled']"),
    ([s(f"{SP}.dataDisks[0]={{\"lun\": 0, \"Size\": 1}}")],
     "Couldn't find 'Size' in 'virtualMachineProfile.storageProfile.dataDisks[0]'. Available options: "
     "['caching', 'createOption', 'deleteOption', 'diskIOPSReadWrite', 'diskMBpsReadWrite', 'diskSizeGB', "
     "'lun', 'managedDisk', 'name', 'writeAcceleratorEnabled']"),
    ([s("sku[0]=x")], "Couldn't find '[0]' in 'sku'. Available options: ['capacity', 'name', 'tier']"),
])
def test_unknown_property_is_an_error(ops, message):
    with pytest.raises(CliError) as err:
        apply(R, ops)
    assert err.value.message == message


def test_unknown_keys_are_kept_in_az_mode_for_the_caller_to_drop():
    out = apply(R, [s("foo=1", "upgradePolicy.MaxSurge=true")], schema_aware=False)
    assert out["foo"] == 1 and out["upgradePolicy"] == {"mode": "Manual", "MaxSurge": True}
    assert arm_schema.prune(out) == R


def test_read_only_properties_are_marked():
    root = arm_schema.load().root
    assert {"id", "type", "provisioningState", "uniqueId", "timeCreated", "etag"} <= root.read_only
    assert "exactVersion" in root.child(VMP).child("storageProfile").child("imageReference").read_only
    ext = root.child(VMP).child("extensionProfile").child("extensions").item
    assert "provisioningState" in ext.read_only and "type" not in ext.read_only  # `type` is properties.type
    assert root.child("tags").free_form and ext.child("settings").free_form and ext.child("protectedSettings").free_form
    pruned = arm_schema.prune(changed(provisioningState="Succeeded", uniqueId="u"), read_only=True)
    assert canon(pruned) == canon({k: v for k, v in R.items() if k != "name"})  # name is read-only too


# ---- az quirks kept in az mode (from azure-cli-core's arm.py) ----------------------------------------------

@pytest.mark.parametrize("ops,force_string,schema_aware,expected", [
    # the whole path's prefix names the parent, wherever the miss is
    ([s("upgradePolicy.x.y.z=1")], False, False,
     "Couldn't find 'x' in 'upgradePolicy.x'. Available options: ['mode']"),
    # a final index past the end names the index itself, in az and in schema mode alike (issue 12)
    ([s(f"{SP}.dataDisks[5]=1")], False, False, "index 5 doesn't exist on [5]"),
    ([s(f"{SP}.dataDisks[5]=1")], False, True, "index 5 doesn't exist on [5]"),
    # a miss names path[-2] of the whole path, whichever segment missed, as az does (issue 12; the
    # texts are azure-cli-core 2.91's set_properties run on the same input)
    ([s(f"{EXTS}[name=nosuch].settings.port=1")], False, True,
     "item with value 'nosuch' doesn't exist for key 'name' on [name=nosuch]"),
    ([s(f"{EXTS}[name=nosuch].typeHandlerVersion=1")], False, True,
     "item with value 'nosuch' doesn't exist for key 'name' on extensions"),
    ([s(f"{SP}.dataDisks[7].managedDisk.x=1")], False, True, "index 7 doesn't exist on [7]"),
    # one `=` is split plainly even inside brackets: `dataDisks[lun` is then a name dotted into a list
    ([s(f"{SP}.dataDisks[lun=1]")], False, False,
     f"Couldn't find '[lun' in '{SP}'. Available options: index into the collection '{SP}' with [<index>] or "
     "[<key=value>]"),
    ([s(f"{SP}.dataDisks[name=x]=1")], False, False, SET_SYNTAX),  # a filter cannot be assigned to
    ([s(".=1")], False, False, SET_SYNTAX),
    ([s(" =1")], False, False, "usage error: Empty key in --set. Correct syntax: --set KEY=VALUE [KEY=VALUE ...]"),
    ([rm("upgradePolicy.mode", "0")], False, False, "mode doesn't exist"),
    ([rm("tags", "0")], False, False, REMOVE_SYNTAX),
    ([rm(f"{SP}.dataDisks", " 7")], False, False, "index  7 doesn't exist on dataDisks"),
    ([add(f"{SP}.dataDisks[0]", "x")], False, False, ADD_SYNTAX),
    ([("add", [])], False, False, ADD_SYNTAX),
    ([("remove", [])], False, False, REMOVE_SYNTAX),
    ([s("tags.n=null", "tags.n.x=1")], True, False,
     "Couldn't find 'x' in 'tags.n'. 'tags.n' does not support further indexing."),  # null -> the string "{}"
    ([s("tags.k=1", "tags.k.x.y=1")], False, False,
     "Couldn't find 'x' in 'tags.k'. 'tags.k' does not support further indexing."),
    ([s("tags.my_tag=1", "tags.x.y=1")], False, False,
     "Couldn't find 'x' in 'tags'. Available options: ['myTag']"),  # az lists keys camel-cased
])
def test_az_quirks(ops, force_string, schema_aware, expected):
    with pytest.raises(CliError) as err:
        apply(R, ops, force_string=force_string, schema_aware=schema_aware)
    assert err.value.message == expected


def test_non_unique_filter():
    base = changed(**disks({"lun": 1}, {"lun": 1}))
    with pytest.raises(CliError) as err:
        apply(base, [s(f"{SP}.dataDisks[lun=1].diskSizeGB=1")], schema_aware=False)
    assert err.value.message == "non-unique key 'lun' found multiple matches on dataDisks. Key must be unique."


@pytest.mark.parametrize("schema_aware", [False, True])
def test_null_intermediate_becomes_an_object(schema_aware):
    out = apply(R, [s("tags.n=null", "tags.n.x=1")], schema_aware=schema_aware)
    assert out["tags"] == {"n": {"x": 1}}


@pytest.mark.parametrize("schema_aware", [False, True])
def test_null_list_becomes_a_list_for_add(schema_aware):
    out = apply(R, [s("tags.n=null"), add("tags.n", "x", "k=v")], schema_aware=schema_aware)
    assert out["tags"] == {"n": ["x", {"k": "v"}]}
    # az's quirk: with --force-string the nested `--set n=[]` stores the string "[]", not a list
    with pytest.raises(CliError) as err:
        apply(R, [s("tags.n=null"), add("tags.n", "x")], force_string=True, schema_aware=schema_aware)
    assert err.value.message == ADD_SYNTAX


@pytest.mark.parametrize("raw,value", [
    ("(1, 2)", [1, 2]), ("{1: 'a'}", {"1": "a"}), ("None", None), ("'x'", "x"), ("0x10", 16),
    ("b'x'", "b'x'"), ("{1, 2}", "{1, 2}"), ("1j", "1j"), ("", ""), ("[1,", "[1,"), ("NaN", "NaN"),
])
def test_values_become_json(raw, value):
    out = apply(R, [s(f"tags.v={raw}")], schema_aware=False)["tags"]["v"]
    if raw == "NaN":
        assert out != out  # JSON's NaN, as json.loads reads it
    else:
        assert out == value and type(out) is type(value)


def test_empty_index_argument_removes_the_property():
    assert "tags" not in apply(R, [rm("tags", "")], schema_aware=False)


def test_remove_index_on_a_trailing_sub_key_list():
    out = apply(R, [rm(f"{NICS}[0].primary")])
    assert out[VMP]["networkProfile"]["networkInterfaceConfigurations"] == [{"name": "nic1"}]


def test_apply_without_schema_does_not_load_it():
    code = ("import sys; from vmss_cli.core.update.generic import apply; apply({'a': 1}, [('set', ['a=2'])], "
            "schema_aware=False); assert 'vmss_cli.core.arm.schema' not in sys.modules; "
            "assert not any(m.split('.')[0] in ('typer', 'rich') for m in sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---- property test: never mutates, only dicts or CliError --------------------------------------------------

GET = None  # the flattened GET example (tests/fixtures/arm/examples), loaded lazily

KEYS = ["upgradePolicy", "mode", "Mode", "rollingUpgradePolicy", "automaticOSUpgradePolicy",
        "enableAutomaticOSUpgrade", "maxBatchInstancePercent", "max_surge", "tags", "sku", "capacity", "name",
        "virtualMachineProfile", "storageProfile", "dataDisks", "lun", "diskSizeGB", "networkProfile",
        "networkInterfaceConfigurations", "primary", "extensionProfile", "extensions", "settings", "foo", "n"]
SEGMENTS = st.one_of(
    st.sampled_from(KEYS),
    st.sampled_from(["[0]", "[1]", "[-1]", "[5]", "[x]", "[]", "[lun=1]", "[lun=9]", "[name=nic1]", "[name=x]",
                     "[lun", "lun]", "[a.b]"]),
    st.text(alphabet="ab_.[]=0-1 \"'{}:", max_size=6),
)
PATHS = st.lists(SEGMENTS, min_size=0, max_size=5).map(lambda segs: ".".join(segs))
VALUES = st.one_of(
    st.sampled_from(["", "1", "-1", "true", "True", "null", "None", "{}", "[]", '{"a": 1}', "{'mode': 'x'}",
                     '{"mode": "Rolling", "Bogus": 1}', "[1, {\"lun\": 3}]", "(1,)", "b'x'", "{1, 2}", "{oops",
                     "a=b", "[[[[", "1e999", "NaN", "'x'", "0x1f", "[lun=1]"]),
    st.text(max_size=8),
)
INDEXES = st.one_of(st.sampled_from(["0", "1", "-1", "7", "x", "", " 1", "+0"]), st.text(max_size=3))
OPERATIONS = st.one_of(
    st.tuples(st.just("set"), st.lists(st.one_of(
        st.tuples(PATHS, VALUES).map(lambda pv: f"{pv[0]}={pv[1]}"), PATHS), min_size=0, max_size=3)),
    st.tuples(st.just("add"), st.lists(st.one_of(PATHS, VALUES, st.tuples(st.sampled_from(KEYS), VALUES).map(
        lambda kv: f"{kv[0]}={kv[1]}")), min_size=0, max_size=4)),
    st.tuples(st.just("remove"), st.one_of(st.tuples(PATHS).map(list), st.tuples(PATHS, INDEXES).map(list),
                                           st.just([]))),
)


def _resources():
    global GET
    if GET is None:
        from pathlib import Path
        from vmss_cli.core.arm.shape import az_flatten
        example = Path(__file__).resolve().parents[1] / "fixtures/arm/examples/VirtualMachineScaleSet_Get.json"
        GET = az_flatten(json.loads(example.read_text())["responses"]["200"]["body"])
    return [R, R28, GET, {}, changed(tags={"n": None, "my_tag": "x"}, upgradePolicy=None)]


@settings(max_examples=600, deadline=None)
@given(which=st.integers(0, 4), ops=st.lists(OPERATIONS, max_size=4), force_string=st.booleans(),
       schema_aware=st.booleans())
def test_random_operations_never_mutate_and_only_raise_cli_error(which, ops, force_string, schema_aware):
    resource = _resources()[which]
    before = canon(resource)
    try:
        out = apply(resource, ops, force_string=force_string, schema_aware=schema_aware)
    except CliError as err:
        assert isinstance(err.message, str) and err.message
    else:
        assert isinstance(out, dict)
        json.dumps(out, sort_keys=True)  # storable and printable as az prints it
        if schema_aware and arm_schema.prune(resource) == resource:
            # rule 3: a schema-clean resource stays schema-clean (free-form maps aside)
            assert arm_schema.prune(out) == out
    assert canon(resource) == before
