"""vmss_cli/data/az_key_order.json is what scripts/gen_az_key_order.py prints with az 2.91's Python."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.differential import harness

pytestmark = pytest.mark.differential
ROOT = Path(__file__).resolve().parents[2]


def test_shipped_key_order_is_generated_from_az_291():
    az, why = harness.find_az()
    if az is None:
        pytest.skip(why)
    done = subprocess.run([str(az.parent / "python"), str(ROOT / "scripts/gen_az_key_order.py")], capture_output=True,
                          text=True, check=True, timeout=300)
    shipped = (ROOT / "vmss_cli/data/az_key_order.json").read_text()
    assert json.loads(done.stdout) == json.loads(shipped)
    assert done.stdout == shipped, "same content, different bytes: regenerate the file"
