"""man/ is generated from the command tree (scripts/gen_docs.py) and committed: it must not be stale,
groff must format every page without a warning, man must render it, and it must stay true (every command
and option documented, its examples run, its environment list matches the code)."""

from __future__ import annotations

import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib

import pytest

from tests.docs.test_completions import gen_docs
from tests.util import REPO, need_tool

REGENERATE = "python scripts/gen_docs.py"
PAGES = sorted(p.name for p in (REPO / "man").glob("*.1"))
GROFF_WHY = ("the man pages cannot be formatted here; .ci/run installs it (apt-get install groff-base), "
             "and so can you")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_docs.py"), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def tree():
    return gen_docs.load_tree()


def page_text(name: str) -> str:
    return (REPO / "man" / name).read_text(encoding="utf-8")


def unroff(text: str) -> str:
    """roff source text back to what a reader sees (the escapes gen_docs.roff writes)."""
    text = re.sub(r"\\\[u([0-9A-F]{4,})\]", lambda m: chr(int(m.group(1), 16)), text)
    text = re.sub(r"\\f[BIRP]", "", text)
    for escape, char in (("\\-", "-"), ("\\(aq", "'"), ("\\(ga", "`"), ("\\(ti", "~"), ("\\(ha", "^"),
                         ("\\&", ""), ("\\(rs", "\\")):
        text = text.replace(escape, char)
    return text


def test_pages_exist():
    assert "vmss.1" in PAGES and "vmss-rolling-upgrade.1" in PAGES, f"run `{REGENERATE}`"


def test_every_generated_page_is_committed_and_no_other(generated):
    made = sorted(p.name for p in (generated / "man").glob("*"))
    assert made == PAGES, f"man/ differs from what the generator makes: run `{REGENERATE}` and commit the result."


@pytest.mark.parametrize("name", PAGES)
def test_committed_page_is_not_stale(generated, name):
    expected = (generated / "man" / name).read_text(encoding="utf-8")
    actual = page_text(name)
    diff = "".join(list(difflib.unified_diff(actual.splitlines(True), expected.splitlines(True),
                                             f"committed man/{name}", f"generated man/{name}"))[:40])
    assert actual == expected, f"man/{name} is stale: run `{REGENERATE}` and commit the result.\n{diff}"


@pytest.mark.parametrize("name", PAGES)
def test_groff_formats_the_page_without_warnings(name):
    groff = need_tool("groff", GROFF_WHY)
    proc = subprocess.run([groff, "-man", "-ww", "-z", f"man/{name}"], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr


def test_man_renders_the_overview():
    """`man -l man/vmss.1` as a reader runs it (man-db passes groff's warnings on with --warnings);
    groff's own terminal output where man is not installed."""
    env = {**os.environ, "MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat", "LC_ALL": "C.UTF-8"}
    man = shutil.which("man")
    if man:
        command = [man, "--warnings", "-l", "man/vmss.1"]
    else:
        groff = need_tool("groff", GROFF_WHY)
        command = [groff, "-man", "-ww", "-Tutf8", "man/vmss.1"]
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    text = re.sub(r".\x08", "", proc.stdout)  # overstrike bold/underline, if any
    assert "vmss - Azure VM scale set automatic OS image upgrades, emulated offline" in text
    for heading in ("SYNOPSIS", "COMMAND GROUPS", "GLOBAL ARGUMENTS", "EXIT STATUS", "ENVIRONMENT", "FILES",
                    "EXAMPLES", "SEE ALSO"):
        assert f"\n{heading}\n" in text, heading
    assert "vmss rolling-upgrade plan -g rg1 -n web" in text.replace("\u2010", "-")


def test_overview_sections():
    headings = re.findall(r"^\.SH (.+)$", page_text("vmss.1"), re.M)
    assert headings == ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMAND GROUPS", "COMMANDS", "GLOBAL ARGUMENTS",
                        "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"]


def test_overview_documents_globals_exit_codes_environment_and_files():
    text = unroff(page_text("vmss.1"))
    for flag in ("--output", "-o", "--query", "--only-show-errors", "--verbose", "--debug", "--subscription",
                 "--version"):
        assert f"B{flag}" in page_text("vmss.1").replace("\\-", "-").replace("\\f", ""), flag
    exit_codes = re.findall(r"^\.TP\n\\fB(\d+)\\fR$", page_text("vmss.1"), re.M)
    assert exit_codes[:4] == ["0", "1", "2", "3"]
    for variable in ("VMSS_HOME", "VMSS_START_TIME", "VMSS_SEED", "VMSS_LOCK_TIMEOUT", "NO_COLOR"):
        assert variable in text
    assert "$VMSS_HOME/config.toml" in text and "virtualMachineScaleSets/<name>.json" in text


def test_every_environment_variable_the_code_reads_is_documented():
    used = set()
    for path in (REPO / "vmss_cli").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""environ(?:\.get\(|\[)\s*["'](VMSS_[A-Z_]+|NO_COLOR)["']""", source))
        used |= set(re.findall(r"""["'](NO_COLOR)["']\s+(?:not\s+)?in\s+os\.environ""", source))
    documented = set(re.findall(r"^\\fB([A-Z_]+)\\fR$", page_text("vmss.1"), re.M))
    testing_only = {v for v in used if v.startswith("VMSS_TEST_")}
    assert used - testing_only <= documented


def test_every_group_has_a_page_listed_in_the_overview(tree):
    overview = page_text("vmss.1")
    for name, group in tree.children.items():
        if group.children:
            assert f"vmss-{name}.1" in PAGES
            assert f".BR vmss\\-{name.replace('-', chr(92) + '-')} (1)" in overview, name


def test_every_command_and_option_is_documented(tree):
    for cmd in tree.walk():
        if cmd.children or not cmd.path:
            continue
        page = "vmss.1" if len(cmd.path) == 1 else f"vmss-{cmd.path[0]}.1"
        text = page_text(page)
        heading = f'.SS "{gen_docs.roff(cmd.full_name)}"\n'
        assert heading in text, (page, cmd.full_name)
        section = text.split(heading, 1)[1].split("\n.SS ", 1)[0].split("\n.SH ", 1)[0]
        for opt in cmd.options:
            for name in opt.names:
                assert f"\\fB{gen_docs.roff(name)}\\fR" in section, (cmd.full_name, name)
        if cmd.summary:
            assert gen_docs.roff(cmd.summary) in section.replace("\n", " "), cmd.full_name


def test_update_documents_the_generic_update_arguments():
    section = page_text("vmss.1").split('.SS "vmss update"\n', 1)[1].split("\n.SS ", 1)[0]
    for flag in ("--set", "--add", "--remove"):
        assert f"\\fB{gen_docs.roff(flag)}\\fR" in section


def test_examples_in_the_overview_run(cli):
    section = page_text("vmss.1").split(".SH EXAMPLES\n", 1)[1].split("\n.SH ", 1)[0]
    commands = [unroff(line) for block in re.findall(r"^\.nf\n(.*?)\n\.fi$", section, re.M | re.S)
                for line in block.splitlines()]
    assert len(commands) >= 5
    for line in commands:
        args = shlex.split(line)
        assert args[0] == "vmss"
        result = cli(*args[1:], "--only-show-errors")
        assert result.exit_code == 0, (line, result.stderr)


@pytest.mark.parametrize("name", PAGES)
def test_roff_source_is_escaped(name):
    """ASCII only, every hyphen an escaped minus (copy-paste of options works), no text line that roff
    would take for a request, the generated-file header first."""
    raw = (REPO / "man" / name).read_bytes()
    assert raw.isascii()
    lines = raw.decode().splitlines()
    assert lines[0].startswith('.\\" Generated by scripts/gen_docs.py') and REGENERATE in lines[1]
    known = {"TH", "SH", "SS", "PP", "TP", "RS", "RE", "nf", "fi", "B", "I", "BR", "RI", "br", "nh", "ad"}
    for line in lines:
        if line.startswith('.\\"'):
            continue
        if line.startswith("."):
            assert line[1:].split(" ", 1)[0] in known, line
        assert not line.startswith("'"), line
        assert not re.search(r"(?<!\\)-", line), line


def test_roff_escaping():
    roff = gen_docs.roff
    assert roff("--no-wait") == "\\-\\-no\\-wait"
    assert roff(".hidden\n'quoted") == "\\&.hidden\n\\(aqquoted"
    assert roff("a\\b") == "a\\(rsb"
    assert roff("x ≈ 2 — y") == "x \\[u2248] 2 \\[u2014] y"
    assert roff("`code` ~ ^") == "\\(gacode\\(ga \\(ti \\(ha"


def test_title_carries_the_version(cli):
    from vmss_cli import __version__

    assert f'"vmss {__version__}"' in page_text("vmss.1").split("\n.TH ", 1)[1].split("\n", 1)[0]
    result = cli("--version")
    assert (result.exit_code, result.stdout) == (0, f"vmss {__version__}\n")


def test_pip_installs_the_man_pages():
    """pyproject installs man/*.1 into <prefix>/share/man/man1 (man finds them next to a venv's bin/;
    pipx links them into ~/.local/share/man)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["setuptools"]["data-files"]["share/man/man1"] == ["man/*.1"]
