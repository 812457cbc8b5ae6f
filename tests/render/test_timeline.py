"""`sim events --svg` and `rolling-upgrade plan --svg`: a self-contained SVG timeline, checked by parsing it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from vmss_cli.render import timeline

NS = {"svg": "http://www.w3.org/2000/svg"}


def make(cli, *extra):
    assert cli("group", "create", "-n", "rg1", "-l", "eastus").exit_code == 0
    assert cli("create", "-g", "rg1", "-n", "ss", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
               "--instance-count", "10", "--orchestration-mode", "Uniform", "--upgrade-policy-mode", "Rolling",
               *extra).exit_code == 0


def parse(path):
    """(texts as (x, y, text), background rects as (fill, x, y, width)) of an SVG rich exported."""
    root = ET.parse(path).getroot()
    texts = [(float(t.get("x")), float(t.get("y")), (t.text or "").replace("\xa0", " "))
             for t in root.iter("{http://www.w3.org/2000/svg}text")]
    rects = [(r.get("fill"), float(r.get("x")), float(r.get("y")), float(r.get("width")))
             for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill")]
    return root, texts, rects


def row_fills(texts, rects, label):
    """The span colours drawn on the row whose label is `label`, left to right."""
    y = next(ty for _, ty, text in texts if text.strip() == label)
    row = [fill for _, fill in sorted((x, fill) for fill, x, ry, _ in rects if ry < y <= ry + 25)]
    return [fill for n, fill in enumerate(row) if n == 0 or row[n - 1] != fill]  # one per span


def test_sim_events_svg_draws_instances_spans_batches_and_the_trip(cli, tmp_path):
    make(cli, "--enable-auto-os-upgrade", "true")
    assert cli("sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s", "18.04-LTS",
               "--version", "18.04.202406010", "--fail-percent", "30").exit_code == 0
    assert cli("sim", "clock", "advance", "4h", "-o", "none").exit_code == 0
    out = tmp_path / "rollout.svg"
    r = cli("sim", "events", "-g", "rg1", "-n", "ss", "--svg", str(out), "-o", "none")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    text = out.read_text()
    assert "url(\"http" not in text and "href" not in text  # self-contained: no web fonts, no links
    root, texts, rects = parse(out)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    labels = [t.strip() for _, _, t in texts]
    assert [t for t in labels if t.startswith("instance ")] == ["instance 0", "instance 5", "instance 1", "instance 6"]
    assert "▼1" in "".join(labels) and "▼2" in "".join(labels)  # batch boundaries
    faulted = cli("sim", "events", "-g", "rg1", "-n", "ss", "--query", "[?type=='RolloutFaulted'].time | [0]",
                  "-o", "tsv").stdout.strip()
    assert f"stop rule tripped at {faulted[11:19]}: MaxUnhealthyUpgradedInstancePercentExceededInRollingUpgrade" in labels
    c = timeline.COLOURS
    healthy = row_fills(texts, rects, "instance 0")
    assert healthy[:2] == [c["reimage"], c["waiting"]] and healthy[-1] == c["healthy"]
    rolled = row_fills(texts, rects, "instance 1")
    assert rolled == [c["reimage"], c["waiting"], c["restoring"], c["rolledBack"]]
    assert any(t == "┃" for _, _, t in texts)  # the trip line
    assert "6 instances not attempted" in labels


def test_plan_svg_matches_the_preview(cli, tmp_path):
    make(cli)
    out = tmp_path / "plan.svg"
    r = cli("rolling-upgrade", "plan", "-g", "rg1", "-n", "ss", "--target-version", "18.04.202406010",
            "--svg", str(out), "--query", "length(batches)")
    assert (r.exit_code, r.stdout) == (0, "5\n")
    _, texts, rects = parse(out)
    joined = "".join(t for _, _, t in texts)
    assert all(f"▼{n}" in joined for n in range(1, 6))
    instances = [t.strip() for _, _, t in texts if t.strip().startswith("instance ")]
    assert len(instances) == 10
    assert {row_fills(texts, rects, i)[-1] for i in instances} == {timeline.COLOURS["healthy"]}
    assert not any(t.startswith("stop rule tripped") for _, _, t in texts)


def test_svg_to_an_unwritable_path_is_an_error(cli, tmp_path):
    make(cli)
    r = cli("sim", "events", "-g", "rg1", "-n", "ss", "--svg", str(tmp_path / "no" / "such" / "x.svg"))
    assert r.exit_code == 1 and r.stderr.startswith(f"ERROR: Cannot write '{tmp_path}/no/such/x.svg': ")
