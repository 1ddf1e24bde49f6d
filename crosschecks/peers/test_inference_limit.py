"""`kaon limit` (observed and expected CLs upper limits by root finding) against pyhf's
`pyhf.infer.intervals.upper_limits` (numpy backend) on a small workspace and on sbottom points."""
import json

import pytest

from conftest import kaon, kaon_json

pyhf = pytest.importorskip("pyhf")
from inference_peers import SMALL, extract_sbottom, pyhf_model  # noqa: E402


def test_small_workspace_limits_match_pyhf():
    model, data = pyhf_model(SMALL)
    lo, hi = model.config.suggested_bounds()[model.config.poi_index]
    # toms748 with a tight tolerance so that the comparison can be tight too.
    obs, exp = pyhf.infer.intervals.upper_limits.toms748_scan(data, model, lo, hi, rtol=1e-8)
    result = kaon_json("limit", SMALL, "--json")
    assert result["observed"] == pytest.approx(float(obs), rel=1e-4)
    assert result["expected"] == pytest.approx([float(e) for e in exp], rel=1e-4)
    # Every test reported is a valid CLs (pyhf at one of them as a spot check).
    with_observed = [t for t in result["tests"] if t["CLs_obs"] is not None]
    assert len(with_observed) >= 5
    t = with_observed[len(with_observed) // 2]
    ref_obs, ref_exp = pyhf.infer.hypotest(t["poi"], data, model, test_stat="qtilde", return_expected_set=True)
    assert t["CLs_obs"] == pytest.approx(float(ref_obs), abs=1e-5)
    assert t["CLs_exp"] == pytest.approx([float(e) for e in ref_exp], abs=1e-5)


# Points whose ±2σ limits lie inside the POI's bounds [0, 10]: pyhf's upper_limit widens the
# bracket beyond them and then refuses to fit (RegionC sbottom_1600_850_60, +2σ at 12.3).
@pytest.mark.parametrize("region,patch", [("RegionA", "sbottom_1300_205_60"), ("RegionA", "sbottom_1500_850_60")])
def test_sbottom_limits_match_pyhf(tmp_path, region, patch):
    ws, p = extract_sbottom(tmp_path, region, patch)
    model, data = pyhf_model(ws, p)
    obs, exp = pyhf.infer.intervals.upper_limits.upper_limit(data, model)
    result = kaon_json("limit", ws, "--patch", p, "--json")
    assert result["observed"] == pytest.approx(float(obs), rel=1e-3)
    assert result["expected"] == pytest.approx([float(e) for e in exp], rel=1e-3)


def test_limit_table_and_json():
    text = kaon("limit", SMALL).stdout
    assert "observed" in text and "expected +2σ" in text
    # --json is a flag: the JSON replaces the table on stdout.
    written = json.loads(kaon("limit", SMALL, "--json").stdout)
    assert written["alpha"] == 0.05 and len(written["expected"]) == 5
