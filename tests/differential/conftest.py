"""The differential tier is opt-in (`pytest -m differential`; `.ci/run` runs it): it needs az 2.91
and takes minutes. Otherwise its cases are deselected and the summary says so; when selected without
az 2.91 installed, they are skipped with the reason (tests/differential/harness.find_az)."""

from __future__ import annotations

_DESELECTED: list = []


def pytest_collection_modifyitems(config, items):
    if "differential" in (config.getoption("-m") or ""):
        return
    chosen = [item for item in items if "differential" not in item.keywords]
    _DESELECTED[:] = [item for item in items if "differential" in item.keywords]
    if _DESELECTED:
        config.hook.pytest_deselected(items=_DESELECTED)
        items[:] = chosen


def pytest_terminal_summary(terminalreporter):
    if _DESELECTED:
        terminalreporter.write_line(f"differential tier: {len(_DESELECTED)} cases not run (opt-in: "
                                    "pytest -m differential, needs az 2.91; .ci/run runs it)")
