"""State files: one layout, the same bytes from either encoder (the standard library's C encoder, or
orjson in a commit of megabytes), and every document reads back as it was, whatever it holds."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings, strategies as st

from vmss_cli.cli.main import main
from vmss_cli.store import files, state


def reference_encode(doc: dict) -> bytes:
    """The layout spelled out: json.dumps per line (keys sorted, "," and ":", UTF-8), indented to the second level."""
    def line(value):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def pretty(value, depth):
        if depth < 2 and isinstance(value, dict) and value:
            pad = " " * (depth + 1)
            return "{\n" + ",\n".join(f"{pad}{json.dumps(k, ensure_ascii=False)}: {pretty(value[k], depth + 1)}"
                                      for k in sorted(value)) + "\n" + " " * depth + "}"
        if depth < 2 and isinstance(value, list) and value:
            pad = " " * (depth + 1)
            return "[\n" + ",\n".join(pad + pretty(v, depth + 1) for v in value) + "\n" + " " * depth + "]"
        return line(value)
    return pretty(doc, 0).encode() + b"\n"


SAMPLE = {"b": [{"z": 1, "a": [1, {"y": "é\u2028\"x\"\x00\x1f\x7f/\\😀"}]}, [], {}],
          "a": {"k": {"n": None}, "e": []},
          "c": 1.5, "d": "text", "events": [{"time": "t", "progress": {"b": 2, "a": 1}}], "empty": {},
          "big": 2**64 - 1, "small": -2**63, "flags": [True, False, None]}


def test_the_layout_from_either_encoder():
    expected = reference_encode(SAMPLE)
    assert files.encode(SAMPLE) == expected
    assert files.encode(SAMPLE, fast=True) == expected
    assert files._encode_orjson(SAMPLE) == expected  # (orjson wrote it: not the fallback)
    assert expected.startswith(b'{\n "a": {\n  "e": [],\n  "k": {"n":null}\n },\n "b": [\n  {"a":[1,{"y":"\xc3\xa9')
    assert b'\n "big": 18446744073709551615,\n' in expected and json.loads(expected) == SAMPLE


def same(a, b) -> bool:
    """Equal, NaN equal to NaN (json.loads(b"NaN") is a new float each time)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    return type(a) is type(b) and a == b


def test_what_orjson_cannot_write_is_written_by_the_standard_library():
    """NaN and infinities (orjson writes null), integers past 64 bits and non-string keys (orjson refuses),
    lone surrogates (not UTF-8: escaped): each document reads back as it was, from either encoder."""
    cases = [{"instances": [{"v": math.nan}]}, {"a": {"b": [math.inf, -math.inf]}}, {"n": [2**64, -2**63 - 1, 10**40]},
             {"deep": [{"k": {1: "one"}}]}, {"s": ["\ud800 lone"]}, {"\udfff": 1}]
    for doc in cases:
        for fast in (False, True):
            data = files.encode(doc, fast)
            assert same(json.loads(data), {k: v if k != "deep" else [{"k": {"1": "one"}}] for k, v in doc.items()})
            assert data == files.encode(doc)  # the same bytes either way
    assert all(files._encode_orjson(doc) is None for doc in cases)
    assert b'"v":NaN' in files.encode(cases[0], True) and b"null" not in files.encode(cases[0], True)
    assert b'"\\ud800 lone"' in files.encode(cases[4], True)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**63, max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(st.characters(exclude_categories=["Cs"])),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(st.characters(exclude_categories=["Cs"])),
                                                                  inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.dictionaries(st.text(max_size=6), json_values, max_size=5))
def test_either_encoder_writes_the_same_bytes(doc):
    data = files.encode(doc)
    assert data == files.encode(doc, fast=True) == reference_encode(doc)
    assert json.loads(data) == doc


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.dictionaries(st.text(max_size=6), st.recursive(
    st.floats() | st.integers() | st.text(), lambda inner: st.lists(inner, max_size=3), max_leaves=8), max_size=4))
def test_every_document_reads_back(doc):
    """Floats (NaN, infinities, any precision), integers of any size, any text: read back as they were."""
    for fast in (False, True):
        assert same(json.loads(files.encode(doc, fast)), doc)


def test_a_store_has_the_same_bytes_whichever_encoder_wrote_it(tmp_path, monkeypatch):
    """A rollout's commits, once with the standard library's encoder, once with orjson for every file read
    and every commit."""
    def run(home, threshold):
        monkeypatch.setenv("VMSS_HOME", str(home))
        monkeypatch.setattr(state, "FAST_ENCODE_BYTES", threshold)
        monkeypatch.setattr(files, "ORJSON_PARSE_AFTER", threshold)  # (orjson reads too)
        for args in (["group", "create", "-n", "rg", "-l", "eastus"],
                     ["create", "-g", "rg", "-n", "web", "--image", "Canonical:UbuntuServer:18.04-LTS:latest",
                      "--upgrade-policy-mode", "Rolling", "--enable-auto-os-upgrade", "true", "--instance-count", "7"],
                     ["sim", "image", "publish", "-l", "eastus", "-p", "Canonical", "-f", "UbuntuServer", "-s",
                      "18.04-LTS", "--version", "18.04.202406110", "--fail-percent", "30"],
                     ["sim", "clock", "advance", "3h"]):
            assert main([*args, "-o", "none", "--only-show-errors"]) == 0
        return {p.relative_to(home).as_posix(): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()}

    plain, fast = run(tmp_path / "a", 2**60), run(tmp_path / "b", 0)
    assert plain.keys() == fast.keys() and "resourceGroups/rg/virtualMachineScaleSets/web.events.jsonl" in plain
    assert plain == fast


def test_the_floats_orjson_writes_otherwise_are_found_however_marshal_writes_them():
    nan = math.nan
    assert files._floats_as_python({"a": [1.5, -0.0, 1e308, 5e-324, 0.001, 1e-10, "g\x7f", 2**70]})
    for bad in ({"a": nan}, {"a": [nan, nan]}, {"a": {"b": [math.inf]}}, {"x": -math.inf}, {"k": float("-nan")},
                {"s": 1e-05}, {"s": [-2.5e-07, -2.5e-07]}, {"s": 9.99e-09}):
        assert not files._floats_as_python(bad), bad  # ([x, x]: the second is a reference, the first is flagged)


def test_every_float_orjson_writes_otherwise_is_found():
    """Over every binary exponent, with random mantissas and both signs: where orjson's text for a float is
    not the standard library's, the document goes to the standard library's encoder."""
    import random
    import struct

    import orjson

    rng = random.Random(16)
    differ = 0
    for exponent in range(2047):
        for _ in range(40):
            bits = (rng.getrandbits(1) << 63) | (exponent << 52) | rng.getrandbits(52)
            value = struct.unpack("<d", struct.pack("<Q", bits))[0]
            if orjson.dumps(value) != json.dumps(value).encode():
                differ += 1
                assert not files._floats_as_python({"v": [value]}), value
    assert differ > 100  # (the band is there: 1e-05 is 0.00001 to orjson)


def test_orjson_reads_what_the_standard_library_reads(monkeypatch):
    """Once a process has parsed megabytes, orjson reads the files: the same values, the same errors."""
    import orjson
    import pytest

    from vmss_cli.errors import StoreError

    used = []
    real = orjson.loads
    monkeypatch.setattr(orjson, "loads", lambda raw: used.append(1) or real(raw))
    pad = "p" * 5000  # (small files are not worth it)
    plain = {"pad": pad, "n": [2**56, -2**56, 1.5, -0.0, 1e300], "s": "é😀\u2028", "id": "1234567890" * 3}
    assert files._loads(files.encode(plain), True) == plain and len(used) == 1  # (digits in a string are no number)
    edges = dict(plain, n=[2**63 - 1, -2**63, 2**64 - 1])  # 19 digits and more: the standard library reads them
    assert files._loads(files.encode(edges), True) == edges and len(used) == 1
    for text in ('{"pad": "%s", "big": %d}' % (pad, 2**64), '{"pad": "%s", "big": [-%d]}' % (pad, 2**63 + 1),
                 '{"pad": "%s", "x": NaN, "y": -Infinity}' % pad, '{"pad": "%s", "s": "\\ud800"}' % pad):
        expected, got = json.loads(text), files._loads(text.encode(), True)
        assert same(got, expected) and repr(got) == repr(expected)
    utf16 = json.dumps({"pad": pad}).encode("utf-16")
    assert files._loads(utf16, True) == {"pad": pad}
    message = r"is not valid JSON \(Expecting ',' delimiter: line 1 column 5010 \(char 5009\)\)\. It was left untouched"
    with pytest.raises(StoreError, match=message):
        files.parse(b'{"a": "' + pad.encode() + b'" "b": 1}', "f.json", "scaleSet", files.ORJSON_PARSE_AFTER)
