"""The lean engine's caches (issue 16) give what the plain code gave (state files: test_encoding.py)."""

from __future__ import annotations

from vmss_cli.core.rollout import engine
from vmss_cli.core.resources import extensions


def test_instances_are_found_by_id_after_the_list_changes():
    class Run:  # the part of a Sim the index uses: it lives and dies with the run
        instance_index: dict = {}

    sim = Run()
    doc = {"instances": [{"instanceId": str(i)} for i in range(3)]}
    assert engine._instance(sim, doc, "1") is doc["instances"][1]
    doc["instances"].append({"instanceId": "7"})  # a surge instance
    assert engine._instance(sim, doc, "7") is doc["instances"][3]
    doc["instances"] = [i for i in doc["instances"] if i["instanceId"] != "1"]  # a deletion
    assert engine._instance(sim, doc, "1") is None and engine._instance(sim, doc, "2")["instanceId"] == "2"
    doc["instances"][0] = {"instanceId": "9"}  # changed in place, same length
    assert engine._instance(sim, doc, "9") is doc["instances"][0] and engine._instance(sim, doc, "0") is None


def _doc(expiry: str, model_version: int) -> dict:
    ext = {"name": "script", "properties": {"settings": {"expiry": expiry}}}
    return {"modelVersion": model_version, "secrets": {"protectedSettings": {}},
            "scaleSet": {"properties": {"virtualMachineProfile": {"extensionProfile": {"extensions": [ext]},
                                                                   "osProfile": {}}}}}


def test_the_extension_plan_follows_a_new_model():
    doc = _doc("2030-01-01T00:00:00Z", 1)
    assert extensions.run(doc, {}, 0)[1] == []
    # a model change (vmss update) is a new document with the next model version
    changed = _doc("1970-01-01T00:00:10Z", 2)
    assert [f["name"] for f in extensions.run(changed, {}, 0)[1]] == ["script"]
    assert extensions.run(doc, {}, 0)[1] == []
