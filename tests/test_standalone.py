"""The repository stands on its own: no file in it may reach outside the checkout for data (a team's
`shared/` folder beside the clone exists only on the team's machines), and every fixture the suite reads
is inside the tree with its origin written down."""

from __future__ import annotations

import re
import subprocess

from tests.util import REPO

# Spelled in pieces so that this file does not match itself.
OUTSIDE = re.compile("|".join([
    re.escape("../" + "shared"),
    re.escape("shared" + "/reference"),
    r"""parents?\[?\d*\]?\s*\.?\s*parent\s*/\s*["']""" + "shared",
    r"""\.parent\s*/\s*["']""" + "shared" + r"""["']""",
]))


def tracked_files() -> list[str]:
    proc = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                          capture_output=True, timeout=60)
    if proc.returncode == 0:
        return [name for name in proc.stdout.decode().split("\0") if name]
    # Not a git checkout (an sdist, a copy): every file but caches.
    return [str(p.relative_to(REPO)) for p in REPO.rglob("*")
            if p.is_file() and not {".git", ".venv", "__pycache__", ".pytest_cache"} & set(p.parts)]


def test_no_file_in_the_tree_refers_to_a_folder_outside_the_checkout():
    offenders = []
    for name in tracked_files():
        path = REPO / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{name}:{number}: {line.strip()[:120]}")
    assert not offenders, "files that read outside the repository:\n" + "\n".join(offenders)


def test_the_pattern_catches_the_ways_a_path_to_it_is_written():
    for line in ['ARM_DIR = REPO.parent / "' + 'shared" / "reference"', "see ../" + "shared/x",
                 'Path(__file__).resolve().parents[1].parent / "' + 'shared' + '/reference/arm"']:
        assert OUTSIDE.search(line), line
    assert not OUTSIDE.search("Manage shared image galleries")


def test_every_fixture_is_listed_with_its_origin():
    sources = (REPO / "tests" / "fixtures" / "SOURCES.md").read_text(encoding="utf-8")
    fixtures = sorted(p.relative_to(REPO / "tests" / "fixtures") for p in (REPO / "tests" / "fixtures").rglob("*.json"))
    assert fixtures, "tests/fixtures holds no JSON"
    missing = [str(f) for f in fixtures if f"`{f.name}`" not in sources and f"`{f}`" not in sources]
    assert not missing, f"tests/fixtures/SOURCES.md does not name: {missing}"
    assert "MIT" in sources and re.search(r"\b[0-9a-f]{40}\b", sources)
    data = (REPO / "vmss_cli" / "data" / "SOURCES.md").read_text(encoding="utf-8")
    for shipped in (REPO / "vmss_cli" / "data").glob("*.json"):
        assert f"`{shipped.name}`" in data, f"vmss_cli/data/SOURCES.md does not name {shipped.name}"
