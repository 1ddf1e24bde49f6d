"""Fit, CLs, per-patch CLs, upper-limit and ranking time: Kaon (release build) vs pyhf (numpy
backend, scipy optimizer) on the ATLAS sbottom RegionA workspace with patch sbottom_1300_205_60.

Usage: python run.py [--kaon .build/release/kaon] [--kaon-bench .build/release/kaon-bench] [--repeat 5] [--slow-repeat 3] [--patches 20] [--skip-slow]

Prints Markdown tables of medians and ratios pyhf/Kaon from the same run:
- in-process: pyhf's calls on a model built once vs `kaon-bench inference` (the same calls
  timed inside one Kaon process), wall and CPU seconds (CPU time is steadier when
  the machine is shared);
- whole process: `kaon fit/cls --json` including process start, JSON parsing, patching and
  building the model, against the same in-process pyhf times (favours pyhf);
- CLs for RegionA patches: for each of `--patches` patches (every k-th of the sorted
  patch files, deterministic; 0 = all) apply the patch to the parsed background-only
  workspace, build the model and run the q̃ CLs test at μ = 1; time per patch. The CLs of
  both tools are compared patch by patch.
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


def median_wall_cpu(fn, repeat):
    """Median wall and CPU seconds of `repeat` calls (process CPU time: it includes any
    threads numpy's BLAS starts; Kaon's timings are single-threaded)."""
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(wall), statistics.median(cpu)


def patch_subset(region, count):
    files = sorted(region.glob("patch.*.json"))
    if count <= 0 or count >= len(files):
        return files
    return [files[i * len(files) // count] for i in range(count)]


def fmt(x):
    return f"{x:.4f}" if x is not None else "–"


def ratio(a, b):
    return f"{a / b:.1f}×" if a is not None and b is not None else "–"


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
    ap.add_argument("--kaon-bench", default=str(REPO / ".build" / "release" / "kaon-bench"),
                    help="the benchmark executable timing Kaon in-process")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--slow-repeat", type=int, default=3)
    ap.add_argument("--dump", help="write each patch's observed CLs (Kaon, pyhf) to this JSON file")
    ap.add_argument("--patches", type=int, default=20, help="RegionA patches for the per-patch CLs row (0: all)")
    ap.add_argument("--skip-slow", action="store_true", help="skip the upper-limit and ranking rows")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kaon-bench-inference-"))
    with tarfile.open(ARCHIVE) as tar:
        tar.extractall(tmp, filter="data")
    region = tmp / "RegionA"
    ws_path = region / "BkgOnly.json"
    patch_path = region / f"patch.{PATCH}.json"
    patches = patch_subset(region, args.patches)

    pyhf.set_backend("numpy")
    base = json.loads(ws_path.read_text())

    def build_from(document, patch_file):
        ws = pyhf.Workspace(jsonpatch.apply_patch(document, json.loads(patch_file.read_text())))
        model = ws.model()
        return model, ws.data(model)

    def build():
        return build_from(json.loads(ws_path.read_text()), patch_path)
    model, data = build()

    def pyhf_cls(m, d):
        return pyhf.infer.hypotest(1.0, d, m, test_stat="qtilde", return_expected_set=True)

    pyhf_each = []

    def pyhf_all_patches():
        pyhf_each.clear()
        for p in patches:
            m, d = build_from(base, p)
            pyhf_each.append(float(pyhf_cls(m, d)[0]))

    py = {
        "build": median_wall_cpu(build, args.repeat),
        "fit": median_wall_cpu(lambda: pyhf.infer.mle.fit(data, model), args.repeat),
        "cls": median_wall_cpu(lambda: pyhf_cls(model, data), args.repeat),
    }
    each = median_wall_cpu(pyhf_all_patches, args.slow_repeat)
    py["cls_each_patch"] = (each[0] / len(patches), each[1] / len(patches))

    # Kaon in-process (one process, model built once; the same calls, medians of --repeat).
    bench = subprocess.run([args.kaon_bench, "inference", str(ws_path), "--patch", str(patch_path), "--repeat", str(args.repeat),
                            *[a for p in patches for a in ("--each-patch", str(p))]], check=True, capture_output=True, text=True)
    ka = json.loads(bench.stdout)
    worst = max(abs(k - p) / max(abs(p), 1e-300) for k, p in zip(ka["CLs_obs_each_patch"], pyhf_each))
    # Patches where the observed CLs differ by more than 1e-4 relative, for a closer look.
    outliers = [(p.name[len("patch."):-len(".json")], k, q) for p, k, q in zip(patches, ka["CLs_obs_each_patch"], pyhf_each)
                if abs(k - q) > 1e-4 * max(abs(q), 1e-300)]
    if args.dump:
        Path(args.dump).write_text(json.dumps({p.name: [k, q] for p, k, q in zip(patches, ka["CLs_obs_each_patch"], pyhf_each)}, indent=1))

    def kaon(*extra):
        subprocess.run([args.kaon, *extra, str(ws_path), "--patch", str(patch_path), "--json"], check=True, capture_output=True)


    process = {
        "fit": median_time(lambda: kaon("fit", "--no-uncertainties"), args.repeat),
        "fit_hessian": median_time(lambda: kaon("fit"), args.repeat),
        "cls": median_time(lambda: kaon("cls", "--poi", "1"), args.repeat),
    }

    print(f"sbottom RegionA + {PATCH}, {model.config.npars} parameters; pyhf {pyhf.__version__} (numpy, scipy); "
          f"median of {args.repeat} ({args.slow_repeat} for the per-patch row over {len(patches)} of "
          f"{len(list(region.glob('patch.*.json')))} patches); per-patch CLs_obs max relative difference Kaon vs pyhf {worst:.1e}\n")
    if outliers:
        print(f"Patches whose observed CLs differ by > 1e-4 relative ({len(outliers)} of {len(patches)}): "
              + ", ".join(f"{name} (Kaon {k:.4g}, pyhf {q:.4g})" for name, k, q in outliers) + "\n")
    print("In-process (model built once; `kaon-bench inference`), seconds:\n")
    print("| task | pyhf wall | Kaon wall | pyhf / Kaon (wall) | pyhf CPU | Kaon CPU | pyhf / Kaon (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    names = [("build", "build model (parse + patch)"), ("fit", "fit (MLE, no Hessian)"), ("fit_hessian", "fit + Hessian uncertainties"),
             ("cls", "CLs (q̃, asymptotics, μ=1)"), ("cls_each_patch", f"CLs per RegionA patch (patch + build + CLs; {len(patches)} patches)")]
    for key, name in names:
        p = py.get(key)
        k = ka[key]
        print(f"| {name} | {fmt(p and p[0])} | {fmt(k['wall'])} | {ratio(p and p[0], k['wall'])} | "
              f"{fmt(p and p[1])} | {fmt(k['cpu'])} | {ratio(p and p[1], k['cpu'])} |")
    print("\nKaon as a whole process (`kaon fit/cls --json`: start, parse, patch, build, run) vs pyhf in-process, wall seconds:\n")
    print("| task | pyhf (in-process) | Kaon (process) | pyhf / Kaon |")
    print("|---|---:|---:|---:|")
    for key, name in [("fit", "fit (MLE, no Hessian)"), ("fit_hessian", "fit + Hessian uncertainties"), ("cls", "CLs (q̃, asymptotics, μ=1)")]:
        p = py.get(key)
        print(f"| {name} | {fmt(p and p[0])} | {fmt(process[key])} | {ratio(p and p[0], process[key])} |")

    if args.skip_slow:
        return
    # Upper limits (root finding in both) and the nuisance-parameter ranking (cabinetry's
    # recipe driven by pyhf: 4 refits per free parameter) take long in pyhf: --slow-repeat runs.
    rows = [
        ("upper limits (obs + 5 exp, root finding)",
         median_time(lambda: pyhf.infer.intervals.upper_limits.upper_limit(data, model), args.slow_repeat),
         median_time(lambda: kaon("limit"), args.slow_repeat)),
        ("NP ranking (4 refits per parameter)", median_time(lambda: pyhf_ranking(model, data), args.slow_repeat),
         median_time(lambda: kaon("ranking"), args.slow_repeat)),
    ]
    print("\nLimits and ranking, Kaon as a whole process, wall seconds:\n")
    print("| task | pyhf [s] | Kaon [s] | pyhf / Kaon |")
    print("|---|---:|---:|---:|")
    for name, p, k in rows:
        print(f"| {name} | {fmt(p)} | {fmt(k)} | {ratio(p, k)} |")


if __name__ == "__main__":
    main()
