"""docs/errors.md names every error code the emulated service returns, with the source of its text."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_every_service_error_code_is_in_docs_errors_md():
    doc = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`([A-Za-z]+)`", doc))
    codes = set()
    for path in (REPO / "vmss_cli").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'code="([A-Za-z]+)"', text))
        codes |= set(re.findall(r'"code": "([A-Z][A-Za-z]+)"', text))
        codes |= set(re.findall(r'default_code = "([A-Za-z]+)"', text))
    codes |= {"MaxUnhealthyInstancePercentExceededInRollingUpgrade"}  # built from a conditional in core.engine
    missing = sorted(c for c in codes if c not in listed)
    assert not missing, f"docs/errors.md does not list: {missing}"
    assert "(docs/errors.md)" in (REPO / "README.md").read_text(encoding="utf-8")
