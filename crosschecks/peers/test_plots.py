"""`kaon plot` against hist, numpy and mplhep: the numbers a figure draws (stacked bars, data
points with Garwood error bars, ratio and uncertainty band, read back from the SVG's data-*
attributes and from its geometry), the PNG and PDF rsvg-convert renders, and the layout
compared with the same plot drawn by mplhep + matplotlib in the CMS style."""
import os
import re
import subprocess
import xml.etree.ElementTree as ET

import hist
import matplotlib
import numpy as np
import pytest
import uproot
from hist.intervals import poisson_interval
from PIL import Image

from conftest import KAON, help_text, kaon, width

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import mplhep  # noqa: E402

EDGES = np.linspace(60, 120, 13)
SVG = "{http://www.w3.org/2000/svg}"
CONFIG = """
settings: {experiment: CMS, label: Open Data, luminosity: 10, luminosity-unit: pb, energy: 13}
groups:
  data: {type: data, samples: [SingleMuon]}
  DY: {legend: "Drell–Yan", colour: "#5790fc", order: 2, samples: [DYJetsToMuMu]}
  ttbar: {legend: "tt̄", colour: "#f89c20", order: 1, samples: [TTbar]}
plots:
  mll: {x-title: "m(μμ) [GeV]"}
  ptEta: {}
"""


def weighted(values, rng, scale):
    """A Weight-storage histogram of `values` filled with weights around `scale`."""
    h = hist.Hist(hist.axis.Variable(EDGES, name="mll", label="m(μμ) [GeV]"), storage=hist.storage.Weight())
    h.fill(values, weight=rng.uniform(0.5, 1.5, len(values)) * scale)
    return h


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """A results.root like kaon run's (a directory per sample, NAME and NAME__VARIATION)
    and the histograms written into it."""
    rng = np.random.default_rng(21)
    folder = tmp_path_factory.mktemp("plots")
    dy = weighted(rng.normal(91, 6, 4000), rng, 0.5)
    tt = weighted(rng.uniform(60, 120, 1500), rng, 0.4)
    histograms = {
        "DYJetsToMuMu/mll": dy,
        "DYJetsToMuMu/mll__jesUp": dy * 1.04,
        "DYJetsToMuMu/mll__jesDown": dy * 0.97,
        "TTbar/mll": tt,
        "TTbar/mll__jesUp": tt * 1.02,
        "TTbar/mll__jesDown": tt * 0.99,
    }
    data = hist.Hist(hist.axis.Variable(EDGES, name="mll"), storage=hist.storage.Weight())
    data.fill(np.concatenate([rng.normal(91, 6, 2050), rng.uniform(60, 120, 610)]))
    histograms["SingleMuon/mll"] = data
    for sample, n in (("DYJetsToMuMu", 3000), ("TTbar", 1000)):
        m = hist.Hist(hist.axis.Regular(8, 0, 200, name="pt", label="p_T [GeV]"), hist.axis.Regular(6, -3, 3, name="eta", label="η"),
                      storage=hist.storage.Weight())
        m.fill(rng.exponential(50, n), rng.normal(0, 1.2, n), weight=rng.uniform(0.5, 1.5, n))
        histograms[f"{sample}/ptEta"] = m
    with uproot.recreate(folder / "results.root") as f:
        for name, h in histograms.items():
            f[name] = h
    (folder / "plots.yml").write_text(CONFIG)
    kaon("plot", folder / "results.root", "--config", folder / "plots.yml", "-o", folder / "out", "--format", "svg,png,pdf")
    return folder, histograms


def elements(root, role):
    return [e for e in root.iter() if e.get("data-role") == role]


def numbers(elements, key):
    return np.array([float(e.get(key)) for e in elements])


def test_drawn_numbers_match_hist(results):
    folder, h = results
    root = ET.parse(folder / "out" / "mll.svg").getroot()
    dy, tt, data = h["DYJetsToMuMu/mll"], h["TTbar/mll"], h["SingleMuon/mll"]
    # Stacked bars: tt̄ (order 1) at the bottom, Drell–Yan on top, each bin's value and top.
    stack = elements(root, "stack")
    bottom = [e for e in stack if e.get("data-sample") == "tt̄"]
    top = [e for e in stack if e.get("data-sample") == "Drell–Yan"]
    np.testing.assert_allclose(numbers(bottom, "data-value"), tt.values(), rtol=1e-12)
    np.testing.assert_allclose(numbers(top, "data-value"), dy.values(), rtol=1e-12)
    total = dy.values() + tt.values()
    np.testing.assert_allclose(numbers(top, "data-top"), total, rtol=1e-12)
    # The bars' geometry: the top edge of each Drell–Yan rectangle at the total's height.
    frame = elements(root, "frame-main")[0]
    fy, fh = float(frame.get("y")), float(frame.get("height"))
    ymin, ymax = float(frame.get("data-ymin")), float(frame.get("data-ymax"))
    drawn = ymin + (fy + fh - numbers(top, "y")) / fh * (ymax - ymin)
    np.testing.assert_allclose(drawn, total, atol=0.02 / fh * (ymax - ymin) * 2)  # two-decimal coordinates
    # Data points and their Garwood intervals (hist.intervals.poisson_interval, as mplhep draws them).
    points = elements(root, "data-point")
    np.testing.assert_allclose(numbers(points, "data-value"), data.values(), rtol=1e-12)
    lo, hi = poisson_interval(data.values(), data.variances())
    np.testing.assert_allclose(numbers(points, "data-lo"), lo, rtol=1e-9)
    np.testing.assert_allclose(numbers(points, "data-hi"), hi, rtol=1e-9)
    # The band: stat (√Σw² of both samples) ⊕ the larger jes shift per side.
    stat2 = dy.variances() + tt.variances()
    varied = [h["DYJetsToMuMu/mll__jesUp"].values() + h["TTbar/mll__jesUp"].values(),
              h["DYJetsToMuMu/mll__jesDown"].values() + h["TTbar/mll__jesDown"].values()]
    shifts = np.array(varied) - total
    up = np.sqrt(stat2 + np.max(np.maximum(shifts, 0), axis=0) ** 2)
    down = np.sqrt(stat2 + np.min(np.minimum(shifts, 0), axis=0) ** 2)
    band = elements(root, "mc-band")
    np.testing.assert_allclose(numbers(band, "data-hi"), total + up, rtol=1e-12)
    np.testing.assert_allclose(numbers(band, "data-lo"), total - down, rtol=1e-12)
    # Ratio panel: data / prediction with its error bars, and the relative band.
    ratio = elements(root, "ratio-point")
    np.testing.assert_allclose(numbers(ratio, "data-value"), data.values() / total, rtol=1e-12)
    np.testing.assert_allclose(numbers(ratio, "data-lo"), lo / total, rtol=1e-9)
    np.testing.assert_allclose(numbers(ratio, "data-hi"), hi / total, rtol=1e-9)
    ratio_band = elements(root, "ratio-band")
    np.testing.assert_allclose(numbers(ratio_band, "data-hi"), 1 + up / total, rtol=1e-12)
    np.testing.assert_allclose(numbers(ratio_band, "data-lo"), 1 - down / total, rtol=1e-12)
    # Provenance slot: the command is recorded in <metadata>.
    meta = {e.get("key"): e.text for e in root.find(f"{SVG}metadata")}
    assert meta["histogram"] == "mll" and "kaon plot" in meta["command"]


def test_colour_map_shows_the_summed_simulation(results):
    folder, h = results
    root = ET.parse(folder / "out" / "ptEta.svg").getroot()
    total = (h["DYJetsToMuMu/ptEta"] + h["TTbar/ptEta"]).values()
    cells = elements(root, "cell")
    drawn = np.zeros_like(total)
    for c in cells:
        drawn[int(float(c.get("data-x"))), int(float(c.get("data-y")))] = float(c.get("data-value"))
    np.testing.assert_allclose(drawn, total, rtol=1e-12)
    assert len(cells) == np.count_nonzero(np.isfinite(total))
    bar = elements(root, "frame-colour-bar")[0]
    assert float(bar.get("data-zmax")) == pytest.approx(total.max())


def test_png_and_pdf_are_rendered(results):
    folder, _ = results
    root = ET.parse(folder / "out" / "mll.svg").getroot()
    width, height = float(root.get("width")), float(root.get("height"))
    png = Image.open(folder / "out" / "mll.png")
    assert png.text["histogram"] == "mll" and "kaon plot" in png.text["command"], "the SVG's metadata as PNG text chunks"
    image = png.convert("L")
    assert image.size == (round(width * 2), round(height * 2))  # rendered at twice the SVG size
    pixels = np.asarray(image)
    assert (pixels < 128).mean() > 0.01, "the PNG has drawn content"

    def dark(x0, y0, x1, y1):
        """The fraction of dark pixels in a box given in SVG units."""
        box = pixels[int(y0 * 2):int(y1 * 2) + 1, int(x0 * 2):int(x1 * 2) + 1]
        return (box < 160).mean()

    frame = elements(root, "frame-main")[0]
    fx, fy, fw = (float(frame.get(k)) for k in ("x", "y", "width"))
    assert dark(fx - 1, fy + 20, fx + 1, fy + 200) > 0.5, "the left axis line is drawn"
    ratio = elements(root, "frame-ratio")[0]
    ry, rh = float(ratio.get("y")), float(ratio.get("height"))
    assert dark(fx, ry + rh + 3, fx + fw, ry + rh + 30) > 0.01, "x tick labels under the ratio panel"
    assert dark(fx - 80, fy, fx - 5, ry) > 0.01, "y tick labels and title left of the axes"
    legend = elements(root, "legend")[0]
    lx, ly, lw, lh = (float(legend.get(k)) for k in ("data-x", "data-y", "data-width", "data-height"))
    assert dark(lx, ly, lx + lw, ly + lh) > 0.02, "the legend is drawn where the SVG says"
    pdf = (folder / "out" / "mll.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    # One SVG unit per point, as matplotlib writes figures: a 720-unit figure is a 10 in page.
    assert box and abs(float(box.group(1)) - width) < 1 and abs(float(box.group(2)) - height) < 1


def test_layout_matches_mplhep(results):
    """The same figure drawn by mplhep: axes boxes, ratio panel share and label positions as
    fractions of the figure agree within 0.02 (mplhep's own layout with hspace=0)."""
    folder, h = results
    root = ET.parse(folder / "out" / "mll.svg").getroot()
    W, H = float(root.get("width")), float(root.get("height"))
    plt.style.use(mplhep.style.CMS)
    fig, (ax, rax) = plt.subplots(2, 1, gridspec_kw={"height_ratios": (3, 1), "hspace": 0}, sharex=True)
    mplhep.histplot([h["TTbar/mll"], h["DYJetsToMuMu/mll"]], stack=True, histtype="fill", ax=ax, label=["tt̄", "Drell–Yan"])
    mplhep.histplot(h["SingleMuon/mll"], histtype="errorbar", color="black", ax=ax, label="Data")
    ax.legend()
    exp, extra, lumi, _ = mplhep.cms.label("Open Data", data=True, lumi=10, ax=ax, loc=0)
    fig.canvas.draw()

    def kaon_box(role):
        e = elements(root, role)[0]
        x, y, w, hgt = (float(e.get(k)) for k in ("x", "y", "width", "height"))
        return np.array([x / W, 1 - (y + hgt) / H, (x + w) / W, 1 - y / H])

    for axes, role in ((ax, "frame-main"), (rax, "frame-ratio")):
        p = axes.get_position()
        np.testing.assert_allclose(kaon_box(role), [p.x0, p.y0, p.x1, p.y1], atol=0.02, err_msg=role)
    main, ratio = kaon_box("frame-main"), kaon_box("frame-ratio")
    share = (ratio[3] - ratio[1]) / (main[3] - ratio[1])
    assert abs(share - 0.25) < 0.01
    # The "CMS" label starts at the axes' left edge just above them; the luminosity ends at
    # the right edge, also above.
    renderer = fig.canvas.get_renderer()
    e = exp.get_window_extent(renderer).transformed(fig.transFigure.inverted())
    kaon_exp = elements(root, "experiment")[0]
    assert abs(float(kaon_exp.get("x")) / W - e.x0) < 0.02
    assert abs((1 - float(kaon_exp.get("y")) / H) - e.y0) < 0.03
    # "Open Data" follows "CMS" at about the same place (Kaon estimates text widths).
    x = extra.get_window_extent(renderer).transformed(fig.transFigure.inverted())
    assert abs(float(elements(root, "experiment-label")[0].get("x")) / W - x.x0) < 0.03
    lum = lumi.get_window_extent(renderer).transformed(fig.transFigure.inverted())
    kaon_lumi = elements(root, "luminosity")[0]
    assert kaon_lumi.get("text-anchor") == "end" and abs(float(kaon_lumi.get("x")) / W - lum.x1) < 0.02
    assert abs((1 - float(kaon_lumi.get("y")) / H) - lum.y0) < 0.03
    plt.close(fig)


def test_default_configuration_and_missing_renderer(results):
    folder, _ = results
    # Without --config: every sample its own group, SingleMuon recognised as data.
    out = kaon("plot", folder / "results.root", "-o", folder / "default").stdout.split()
    assert out == [str(folder / "default" / "mll.svg"), str(folder / "default" / "ptEta.svg")]
    root = ET.parse(folder / "default" / "mll.svg").getroot()
    assert len(elements(root, "data-point")) == len(EDGES) - 1
    assert {e.get("data-sample") for e in elements(root, "stack")} == {"DYJetsToMuMu", "TTbar"}
    # PNG without rsvg-convert on PATH: a runtime error that says what to install.
    env = {**os.environ, "PATH": "/nonexistent"}
    r = subprocess.run([KAON, "plot", folder / "results.root", "-o", folder / "nopng", "--format", "png"],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 1 and "rsvg-convert" in r.stderr and "librsvg2-bin" in r.stderr
    # A configuration error names file, line and key, exit status 1.
    (folder / "bad.yml").write_text("groups:\n  DY:\n    colour: blue-ish\n")
    r = kaon("plot", folder / "results.root", "--config", folder / "bad.yml", check=False)
    assert r.returncode == 1 and f"{folder / 'bad.yml'}:3: groups.DY.colour:" in r.stderr


def test_help_is_the_manual_and_usage_errors_exit_64():
    text = help_text("plot")
    assert all(width(line) <= 80 for line in text.splitlines()), text
    for key in ("experiment:", "luminosity-unit:", "groups:", "stacked", "plots:", "rebin", "blind:", "normalize", "Examples:"):
        assert key in text, key
    r = kaon("plot", "results.root", "--format", "svg,gif", check=False)
    assert r.returncode == 64 and "--format" in r.stderr and "gif" in r.stderr and "Usage: kaon plot" in r.stderr
