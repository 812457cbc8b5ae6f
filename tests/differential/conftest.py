"""The differential tier is opt-in (`pytest -m differential`; `.ci/run` runs it): it needs az 2.91
and takes minutes. Without az it is skipped, with the reason printed by pytest's -rs summary."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config, items):
    selected = "differential" in (config.getoption("-m") or "")
    for item in items:
        if "differential" in item.keywords and not selected:
            item.add_marker(pytest.mark.skip(reason="differential tier: opt-in, run `pytest -m differential` "
                                                    "(needs az 2.91; .ci/run runs it)"))
