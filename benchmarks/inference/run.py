"""Fit, CLs, upper-limit and ranking time: Kaon (`kaon fit`, `kaon cls`, `kaon limit`, `kaon ranking`, release build) vs pyhf (numpy backend,
scipy optimizer) on the ATLAS sbottom RegionA workspace with patch sbottom_1300_205_60.

Usage: python run.py [--kaon .build/release/kaon] [--repeat 5] [--slow-repeat 3]
Prints a Markdown table: median wall time of `repeat` runs and the ratio pyhf/Kaon.
Kaon's time includes process start and JSON parsing; pyhf's is the in-process call on a
model built once (its building is timed separately), so the ratio favours pyhf slightly.
"""
import argparse
import json
import os
import statistics
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import jsonpatch
import pyhf

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SHARED", REPO.parent / "shared"))
ARCHIVE = SHARED / "data" / "likelihoods" / "pyhf-ins1748602-probability-models.tar.gz"
PATCH = "sbottom_1300_205_60"


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def pyhf_ranking(model, data):
    """cabinetry.fit.ranking's recipe with pyhf's fits: the nominal fit with uncertainties
    (minuit, for the Hessian), then each free non-POI parameter held at θ̂ ± σ₀ (constrained
    ones only) and θ̂ ± σ̂ while the rest are refitted (scipy, pyhf's default)."""
    pyhf.set_backend("numpy", pyhf.optimize.minuit_optimizer())
    try:
        result = pyhf.infer.mle.fit(data, model, return_uncertainties=True)
    finally:
        pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer())
    best, unc = result[:, 0], result[:, 1]
    widths = []
    for name in model.config.par_order:
        ps = model.config.param_set(name)
        widths += list(ps.width()) if ps.constrained else [0.0] * ps.n_parameters
    poi = model.config.poi_index
    fixed_default = model.config.suggested_fixed()
    impacts = []
    for i in range(model.config.npars):
        if i == poi or fixed_default[i]:
            continue
        fixed = list(fixed_default)
        fixed[i] = True
        for value in (best[i] + widths[i], best[i] - widths[i], best[i] + unc[i], best[i] - unc[i]):
            if value == best[i]:
                continue
            init = list(model.config.suggested_init())
            init[i] = value
            impacts.append(pyhf.infer.mle.fit(data, model, init_pars=init, fixed_params=fixed)[poi] - best[poi])
    return impacts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kaon", default=str(REPO / ".build" / "release" / "kaon"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--slow-repeat", type=int, default=3)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kaon-bench-inference-"))
    with tarfile.open(ARCHIVE) as tar:
        tar.extractall(tmp, filter="data")
    ws_path = tmp / "RegionA" / "BkgOnly.json"
    patch_path = tmp / "RegionA" / f"patch.{PATCH}.json"

    pyhf.set_backend("numpy")
    def build():
        base = json.loads(ws_path.read_text())
        ws = pyhf.Workspace(jsonpatch.apply_patch(base, json.loads(patch_path.read_text())))
        model = ws.model()
        return model, ws.data(model)
    model, data = build()

    def kaon(*extra):
        subprocess.run([args.kaon, *extra, str(ws_path), "--patch", str(patch_path), "--json"], check=True, capture_output=True)

    def kaon_writing_json(command):
        # `kaon limit` and `kaon ranking` take --json OUT; '-' prints it.
        subprocess.run([args.kaon, command, str(ws_path), "--patch", str(patch_path), "--json", "-"], check=True, capture_output=True)

    rows = [
        ("build model (parse + patch)", median_time(build, args.repeat), None),
        ("fit (MLE, no Hessian)", median_time(lambda: pyhf.infer.mle.fit(data, model), args.repeat),
         median_time(lambda: kaon("fit", "--no-uncertainties"), args.repeat)),
        ("fit + Hessian uncertainties", None, median_time(lambda: kaon("fit"), args.repeat)),
        ("CLs (q̃, asymptotics, μ=1)",
         median_time(lambda: pyhf.infer.hypotest(1.0, data, model, test_stat="qtilde", return_expected_set=True), args.repeat),
         median_time(lambda: kaon("cls", "--poi", "1"), args.repeat)),
    ]
    # Upper limits (root finding in both) and the nuisance-parameter ranking (cabinetry's
    # recipe driven by pyhf: 4 refits per free parameter) take long in pyhf: --slow-repeat runs.
    rows += [
        ("upper limits (obs + 5 exp, root finding)",
         median_time(lambda: pyhf.infer.intervals.upper_limits.upper_limit(data, model), args.slow_repeat),
         median_time(lambda: kaon_writing_json("limit"), args.slow_repeat)),
        ("NP ranking (4 refits per parameter)", median_time(lambda: pyhf_ranking(model, data), args.slow_repeat),
         median_time(lambda: kaon_writing_json("ranking"), args.slow_repeat)),
    ]
    print(f"sbottom RegionA + {PATCH}, {model.config.npars} parameters, median of {args.repeat} "
          f"({args.slow_repeat} for limits and ranking); pyhf {pyhf.__version__} (numpy, scipy)\n")
    print("| task | pyhf [s] | Kaon [s] | pyhf / Kaon |")
    print("|---|---:|---:|---:|")
    for name, p, k in rows:
        ps = f"{p:.3f}" if p is not None else "–"
        ks = f"{k:.3f}" if k is not None else "–"
        ratio = f"{p / k:.1f}×" if p is not None and k is not None else "–"
        print(f"| {name} | {ps} | {ks} | {ratio} |")


if __name__ == "__main__":
    main()
