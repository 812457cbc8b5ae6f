"""`vmss az-shim install DIR`: a script written for az runs unchanged through DIR/az (README "Run your az
script against vmss" holds the script and its output; this test runs that very text)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.util import REPO

README = (REPO / "README.md").read_text()
SECTION = README.split("## Run your az script against vmss\n", 1)[1].split("\n## ", 1)[0]


def install(tmp_path, env):
    shim_dir = tmp_path / "shim"
    done = subprocess.run([sys.executable, "-m", "vmss_cli", "az-shim", "install", str(shim_dir)], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"Wrote {shim_dir / 'az'}: put {shim_dir} first on PATH to run az scripts against vmss.\n"
    assert os.access(shim_dir / "az", os.X_OK)
    return shim_dir


def run(script: str, shim_dir, env, tmp_path):
    path = tmp_path / "script.sh"
    path.write_text(script)
    return subprocess.run(["sh", str(path)], env=dict(env, PATH=f"{shim_dir}{os.pathsep}{env['PATH']}"),
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_readme_script_runs_unchanged_through_the_shim(tmp_path, vmss_home):
    env = dict(os.environ)
    shim_dir = install(tmp_path, env)
    script, expected = re.findall(r"```sh\n(#!/bin/sh\n.*?)```.*?```text\n(.*?)```", SECTION, re.S)[0]
    done = run(script, shim_dir, env, tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, expected, "")


def test_other_az_commands_fail_clearly(tmp_path, vmss_home):
    env = dict(os.environ)
    shim_dir = install(tmp_path, env)
    for words in ("account show", "vm list", "deployment sub create", ""):
        done = run(f"az {words}\n", shim_dir, env, tmp_path)
        assert (done.returncode, done.stdout) == (2, ""), words
        assert done.stderr == (f"ERROR: 'az {words}' is not emulated: this az is the vmss shim ({shim_dir / 'az'}), "
                               "which runs only az vmss, az vm image, az group, az sig, az deployment group and az "
                               "config.\n")


def test_vm_image_and_config_are_routed(tmp_path, vmss_home):
    env = dict(os.environ)
    shim_dir = install(tmp_path, env)
    done = run("az config set defaults.group=rg9\naz config get defaults.group --query value -o tsv\n"
               "az vm image list --query \"[?urnAlias=='Ubuntu2204'].sku\" -o tsv --only-show-errors\n",
               shim_dir, env, tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "rg9\n22_04-lts-gen2\n", "")
