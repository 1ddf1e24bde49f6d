"""KaonHist against boost-histogram and hist, per case.

The Swift test `KaonHistTests.PeerComparisonTests` fills Kaon histograms of every axis and
storage kind from deterministic data (SplitMix64 plus bin edges, NaN, ±inf), applies
operations, and writes UHI JSON, the input data and a description of each case (see
hist_reference.py). With KAON_HIST_OUT set it keeps those files; this module runs that
test once per session into a temporary directory and then checks, one pytest case per
histogram, that:

- every storage array and axis of Kaon's JSON is identical (bitwise) to boost-histogram's
  `to_uhi` of a histogram filled with the same data and given the same operations;
- `hist.Hist(json.loads(text, object_hook=uhi.io.json.object_hook))` loads the file with
  the same values and counts;
- Kaon's example SVG parses as XML with the expected pieces.

Set KAON_HIST_OUT to an existing output directory to skip running Swift (e.g. in CI after
`swift test`).
"""
import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import hist
import numpy as np
import pytest
import uhi.io.json
from boost_histogram.serialization import to_uhi

from hist_reference import apply_op, compare, fill_reference, same_array

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def kaon_out(tmp_path_factory):
    given = os.environ.get("KAON_HIST_OUT")
    if given and (Path(given) / "cases.json").exists():
        return Path(given)
    out = tmp_path_factory.mktemp("kaon-hist")
    env = dict(os.environ, KAON_HIST_OUT=str(out))
    result = subprocess.run(
        ["swift", "test", "--filter", "KaonHistTests.PeerComparisonTests"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=1800,
    )
    if result.returncode != 0 or not (out / "cases.json").exists():
        raise AssertionError(f"swift test --filter KaonHistTests.PeerComparisonTests failed ({result.returncode}):\n"
                             f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return out


def case_names():
    """The (case, op) pairs, read from the Swift test source so collection needs no build."""
    source = (REPO / "Tests/KaonHistTests/PeerComparisonTests.swift").read_text()
    names = []
    for chunk in source.split('Case(name: "')[1:]:
        name = chunk.split('"', 1)[0]
        ops = []
        if "ops: [" in chunk.split("Case(name:", 1)[0]:
            ops_text = chunk.split("ops: [", 1)[1].split("]", 1)[0]
            ops = [o.strip().strip('"') for o in ops_text.split(",") if o.strip()]
            # "project:1,0" was split at its comma; glue numeric tails back on.
            glued = []
            for o in ops:
                if glued and o.isdigit():
                    glued[-1] += "," + o
                else:
                    glued.append(o)
            ops = glued
        names.append((name, None))
        names += [(name, op) for op in ops]
    return names


@pytest.mark.parametrize("name,op", case_names(), ids=lambda v: v if isinstance(v, str) else "fill")
def test_kaon_matches_boost_histogram(kaon_out, name, op):
    data = json.loads((kaon_out / "data.json").read_text())
    cases = {c["name"]: c for c in json.loads((kaon_out / "cases.json").read_text())}
    expected = fill_reference(cases[name], data)
    file = name
    if op is not None:
        expected = apply_op(expected, op)
        file = f"{name}__{op.replace(':', '_').replace(',', '-')}"
    text = (kaon_out / "kaon" / f"{file}.json").read_text()
    problems = compare(file, json.loads(text), to_uhi(expected))
    assert not problems, "\n".join(problems)
    loaded = hist.Hist(json.loads(text, object_hook=uhi.io.json.object_hook))
    for method in ("values", "counts"):
        ok, why = same_array(getattr(loaded, method)(flow=True), getattr(expected, method)(flow=True))
        assert ok, f"hist.Hist(kaon json).{method}(): {why}"


def test_metadata_survives_into_hist(kaon_out):
    text = (kaon_out / "kaon" / "regular_double.json").read_text()
    h = hist.Hist(json.loads(text, object_hook=uhi.io.json.object_hook))
    assert h.axes[0].name == "x"
    assert h.axes[0].label == "x [cm]"
    assert np.isclose(h.sum(flow=True), 3021)


def test_example_svg_is_well_formed(kaon_out):
    root = ET.parse(kaon_out / "example.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == ns + "svg"
    texts = [t.text for t in root.iter(ns + "text")]
    assert "x [cm]" in texts and "Counts" in texts and "Kaon peer-test data" in texts
    assert root.find(ns + "path") is not None
    assert len(root.findall(ns + "circle")) == 40  # an error bar marker per bin


def test_example_text_plot(kaon_out):
    lines = (kaon_out / "example.txt").read_text().splitlines()
    assert lines[0] == "Kaon peer-test data"
    assert all(len(line) <= 72 for line in lines)
    assert lines[1].startswith("(-inf, -0.2)") and lines[-1].startswith("[1.2, +inf)")
