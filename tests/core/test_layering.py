"""core/ is the emulated world: it never imports the CLI or presentation libraries (DESIGN.md "Layers")."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys

import vmss_cli.core
from tests.util import REPO

FORBIDDEN = ("typer", "rich", "click")

# Every module under vmss_cli/core, found at run time so new modules are covered without editing this test.
PROBE = r"""
import importlib, json, pkgutil, sys
import vmss_cli.core
modules = sorted(m.name for m in pkgutil.walk_packages(vmss_cli.core.__path__, "vmss_cli.core."))
for name in modules:
    importlib.import_module(name)
print(json.dumps({"modules": modules, "loaded": sorted(sys.modules)}))
"""


def test_core_imports_neither_typer_nor_rich_nor_click():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=dict(os.environ), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    expected = sorted(m.name for m in pkgutil.walk_packages(vmss_cli.core.__path__, "vmss_cli.core."))
    assert report["modules"] == expected
    assert {"vmss_cli.core.scaleset", "vmss_cli.core.health", "vmss_cli.core.names"} <= set(expected)
    offenders = [m for m in report["loaded"] if m.split(".")[0] in FORBIDDEN or m.startswith("typer._click")]
    assert offenders == []
    # and not the CLI or render layers either (imports point downwards only)
    upward = [m for m in report["loaded"] if m.startswith(("vmss_cli.cli", "vmss_cli.render"))]
    assert upward == []
