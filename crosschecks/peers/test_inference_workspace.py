"""`kaon workspace` (a pyhf workspace from histograms and a YAML spec) against numpy and pyhf:
the modifiers equal a numpy computation from the same histograms, pyhf validates the JSON,
and pyhf's fit of it equals Kaon's. Inputs are a UHI JSON file (boost-histogram) and a ROOT
file written with PyROOT, holding the same histograms."""
import json

import numpy as np
import pytest

from conftest import kaon, kaon_json

pyhf = pytest.importorskip("pyhf")
bh = pytest.importorskip("boost_histogram")
ROOT = pytest.importorskip("ROOT")
import uhi.io.json  # noqa: E402
from boost_histogram.serialization import to_uhi  # noqa: E402

from inference_peers import parameter_names, tight_fit  # noqa: E402

SPEC = """\
measurement: toy
poi: mu
lumi: 0.017
regions:
  - {name: SR, histogram: mjj, bins: [2, 8]}
  - {name: CR, histogram: ht}
samples:
  - {name: data, data: true}
  - {name: signal, histogram-sample: sig, signal: true}
  - {name: ttbar, histogram-sample: tt, normfactors: [mu_tt]}
  - {name: wjets, staterror: false}
systematics:
  - {name: jes, type: normplusshape, up: jes_up, down: jes_down}
  - {name: sig_xsec, type: normsys, up: xsec_up, down: xsec_down, samples: [signal]}
  - {name: w_shape, type: histosys, up: shape_up, down: shape_down, samples: [wjets], regions: [SR]}
"""
BINS = {"mjj": 10, "ht": 3}


def make_histograms():
    """sample → histogram → variation → (values, sumw2), deterministic."""
    rng = np.random.default_rng(20261129)
    shapes = {"sig": {"mjj": 8 * np.exp(-0.5 * ((np.arange(10) - 5) / 1.2) ** 2), "ht": np.array([0.3, 0.5, 0.9])},
              "tt": {"mjj": np.linspace(40, 12, 10), "ht": np.array([150.0, 90, 40])},
              "wjets": {"mjj": np.linspace(20, 5, 10), "ht": np.array([60.0, 30, 10])}}
    variations = {"sig": ["jes", "xsec"], "tt": ["jes"], "wjets": ["jes", "shape"]}
    out = {}
    for sample, hists in shapes.items():
        out[sample] = {}
        for name, nominal in hists.items():
            entry = {"nominal": (nominal, nominal * rng.uniform(0.02, 0.2, nominal.size))}
            for var in variations[sample]:
                for direction, sign in (("up", 1), ("down", -1)):
                    tilt = 1 + sign * rng.uniform(0.02, 0.12) + sign * 0.03 * np.linspace(-1, 1, nominal.size)
                    entry[f"{var}_{direction}"] = (nominal * tilt, nominal * tilt * 0.05)
            out[sample][name] = entry
    total = {name: sum(out[s][name]["nominal"][0] for s in out) for name in BINS}
    out["data"] = {name: {"nominal": (np.round(total[name] * rng.uniform(0.9, 1.15, BINS[name])), None)} for name in BINS}
    return out


def write_uhi(histograms, path):
    doc = {}
    for sample, hists in histograms.items():
        doc[sample] = {}
        for name, variations in hists.items():
            doc[sample][name] = {}
            for var, (values, sumw2) in variations.items():
                h = bh.Histogram(bh.axis.Regular(BINS[name], 0, BINS[name]), storage=bh.storage.Weight())
                view = h.view()
                view.value = values
                view.variance = values if sumw2 is None else sumw2
                doc[sample][name][var] = to_uhi(h)
    path.write_text(json.dumps(doc, default=uhi.io.json.default))


def write_root(histograms, path):
    f = ROOT.TFile(str(path), "RECREATE")
    keep = []
    for sample, hists in histograms.items():
        d = f.mkdir(sample)
        d.cd()
        for name, variations in hists.items():
            for var, (values, sumw2) in variations.items():
                hname = name if var == "nominal" else f"{name}__{var}"
                h = ROOT.TH1D(hname, hname, BINS[name], 0, BINS[name])
                h.Sumw2()
                for i, v in enumerate(values):
                    h.SetBinContent(i + 1, v)
                    h.SetBinError(i + 1, np.sqrt(v if sumw2 is None else sumw2[i]))
                h.Write()
                keep.append(h)
    f.Close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workspace")
    histograms = make_histograms()
    (tmp / "spec.yml").write_text(SPEC)
    write_uhi(histograms, tmp / "hists.json")
    write_root(histograms, tmp / "hists.root")
    kaon("workspace", tmp / "spec.yml", "--histograms", tmp / "hists.json", "-o", tmp / "ws_uhi.json")
    kaon("workspace", tmp / "spec.yml", "--histograms", tmp / "hists.root", "-o", tmp / "ws_root.json")
    return tmp, histograms


def expected_modifiers(histograms, sample, region_hist, bins):
    """The modifier data by numpy from the same histograms."""
    sl = slice(*bins) if bins else slice(None)
    nominal, sumw2 = (a[sl] for a in histograms[sample][region_hist]["nominal"])
    def var(name):
        return histograms[sample][region_hist][name][0][sl]
    out = {"staterror": np.sqrt(sumw2)}
    for syst in ("jes", "xsec", "shape"):
        if f"{syst}_up" in histograms[sample][region_hist]:
            up, down = var(f"{syst}_up"), var(f"{syst}_down")
            out[syst] = {"hi": up.sum() / nominal.sum(), "lo": down.sum() / nominal.sum(),
                         "hi_data": up * nominal.sum() / up.sum(), "lo_data": down * nominal.sum() / down.sum()}
    return nominal, out


def test_modifiers_equal_numpy(built):
    tmp, histograms = built
    ws = json.loads((tmp / "ws_uhi.json").read_text())
    regions = {"SR": ("mjj", (2, 8)), "CR": ("ht", None)}
    keys = {"signal": "sig", "ttbar": "tt", "wjets": "wjets"}
    checked = 0
    for channel in ws["channels"]:
        hist_name, bins = regions[channel["name"]]
        for sample in channel["samples"]:
            nominal, ref = expected_modifiers(histograms, keys[sample["name"]], hist_name, bins)
            np.testing.assert_allclose(sample["data"], nominal, rtol=1e-14)
            for m in sample["modifiers"]:
                t, name = m["type"], m["name"]
                if t == "staterror":
                    np.testing.assert_allclose(m["data"], ref["staterror"], rtol=1e-14)
                elif t == "normsys":
                    r = ref["jes" if name == "jes" else "xsec"]
                    assert m["data"]["hi"] == pytest.approx(r["hi"], rel=1e-14) and m["data"]["lo"] == pytest.approx(r["lo"], rel=1e-14)
                elif t == "histosys":
                    r = ref["jes" if name == "jes" else "shape"]
                    np.testing.assert_allclose(m["data"]["hi_data"], r["hi_data"], rtol=1e-13)
                    np.testing.assert_allclose(m["data"]["lo_data"], r["lo_data"], rtol=1e-13)
                checked += 1
            kinds = sorted(m["type"] for m in sample["modifiers"])
            want = {"signal": ["lumi", "normfactor", "normsys", "normsys", "histosys", "staterror"],
                    "ttbar": ["lumi", "normfactor", "normsys", "histosys", "staterror"],
                    "wjets": ["lumi", "normsys", "histosys"] + (["histosys"] if channel["name"] == "SR" else [])}
            assert kinds == sorted(want[sample["name"]]), (channel["name"], sample["name"])
    assert checked > 20
    observed = {o["name"]: o["data"] for o in ws["observations"]}
    np.testing.assert_array_equal(observed["SR"], histograms["data"]["mjj"]["nominal"][0][2:8])


def test_root_and_uhi_inputs_give_the_same_workspace(built):
    tmp, _ = built
    a = json.loads((tmp / "ws_uhi.json").read_text())
    b = json.loads((tmp / "ws_root.json").read_text())
    # ROOT stores errors, not sumw2: √ then ² may move the last bit.
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True) or _close(a, b)


def _close(a, b):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return a == pytest.approx(b, rel=1e-12)
    return a == b


def test_pyhf_validates_and_fits_like_kaon(built):
    tmp, _ = built
    spec = json.loads((tmp / "ws_uhi.json").read_text())
    pyhf.set_backend("numpy")
    ws = pyhf.Workspace(spec, validate=True)
    model = ws.model()
    data = ws.data(model)
    best = tight_fit(model, data)
    result = kaon_json("fit", tmp / "ws_uhi.json", "--json")
    values = {p["name"]: p["value"] for p in result["parameters"]}
    for name, value in zip(parameter_names(model), best):
        assert values[name] == pytest.approx(float(value), abs=1e-4), name
    assert result["twice_nll"] == pytest.approx(float(-2 * model.logpdf(best, data)[0]), rel=1e-8)


def test_bad_spec_names_the_entry(tmp_path, built):
    tmp, _ = built
    bad = tmp_path / "bad.yml"
    bad.write_text(SPEC.replace("type: normsys", "type: normsis"))
    r = kaon("workspace", bad, "--histograms", tmp / "hists.json", check=False)
    assert r.returncode != 0 and "systematics[1].type" in r.stderr
