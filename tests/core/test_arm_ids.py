"""The one ARM resource id parser (core/arm/ids.py) and the gallery ids built on it."""

from __future__ import annotations

import pytest

from vmss_cli.core.arm import ids
from vmss_cli.core.resources import gallery

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000"


def test_parse_a_scale_set_id():
    rid = ids.parse(f"{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss")
    assert rid == ids.ResourceId("00000000-0000-0000-0000-000000000000", "rg1", "Microsoft.Compute",
                                 ("virtualMachineScaleSets",), ("ss",))
    assert (rid.name, rid.type) == ("ss", "Microsoft.Compute/virtualMachineScaleSets")


def test_parse_a_child_resource_id():
    rid = ids.parse(f"{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0")
    assert (rid.types, rid.names, rid.type) == (("galleries", "images", "versions"), ("g", "i", "1.0.0"),
                                                "Microsoft.Compute/galleries/images/versions")


@pytest.mark.parametrize("text", [None, 5, "", "/", f"{SUB}/resourceGroups/rg1",
                                  f"{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/galleries",
                                  f"{SUB}/resourceGroups//providers/Microsoft.Compute/galleries/g",
                                  f"{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/galleries/g/",
                                  "subscriptions/x/resourceGroups/rg1/providers/Microsoft.Compute/galleries/g",
                                  f"{SUB}/groups/rg1/providers/Microsoft.Compute/galleries/g"])
def test_what_is_not_a_resource_id(text):
    assert ids.parse(text) is None


def test_gallery_ids_case_insensitive_and_one_trailing_slash():
    base = f"{SUB}/resourceGroups/rg1/providers/microsoft.compute/Galleries/g/Images/i"
    assert gallery.parse_id(base + "/") == {"sub": SUB.split("/")[2], "rg": "rg1", "gallery": "g", "image": "i",
                                            "version": None}
    assert gallery.parse_id(base + "/versions/1.0.0")["version"] == "1.0.0"
    assert gallery.parse_id(base + "/versions/1.0.0/extra/x") is None
    assert gallery.parse_id(f"{SUB}/resourceGroups/rg1/providers/Microsoft.Network/galleries/g/images/i") is None
    assert gallery.is_managed_image_id(f"{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/images/img/")
    assert not gallery.is_managed_image_id(base)
