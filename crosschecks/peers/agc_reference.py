"""Runs the AGC reference implementation (the coffea pipeline in SHARED/data/agc) on local files.

The pipeline is a notebook script: importing it would run the whole remote analysis. So the
processor class is taken from its own source text (the cell defining `TtbarAnalysis`) and run
here with coffea's local executor on the files of a Kaon AGC samples file. Nothing of the
reference is changed except where its randomness comes from: `utils.systematics.jet_pt_resolution`
draws from numpy's global generator without a seed, so no two runs agree; it is replaced by the
deterministic draw Kaon uses (correctionlib's `hashprng`, keyed on the jet's stored pt, from the
correction file `kaon agc` writes), evaluated here by correctionlib itself.

    python agc_reference.py run SAMPLES.yml RESOLUTION.json OUT.json [--save FOLDER]
    python agc_reference.py fit HISTOGRAMS.root FOLDER OUT.json

run: OUT.json is {"hist_dict": {region: {process: {variation: {"values": [...], "variances":
[...]}}}}, "ml_hist_dict": {...same by feature...}, "seconds": processing time, "events": events
read}, values with the flow bins (hist's layout); --save also writes FOLDER/histograms.root with
the reference's save_histograms. fit: the pipeline's statistical-inference cells (rebinned
cabinetry templates, workspace, fit) on a histograms.root in the reference's layout; OUT.json is
{"workspace", "poi", "bestfit", "twice_nll", "uncertainty", "labels", "parameters", "profile"}, where profile
holds pyhf's profile-likelihood Δ(−2 ln L) at the best fit shifted by each of PROFILE_SHIFTS.
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

import awkward as ak
import correctionlib
import numpy as np
import yaml

SHARED = Path(os.environ.get("SHARED", Path(__file__).resolve().parents[3] / "shared"))
AGC = SHARED / "data" / "agc"
REFERENCE = AGC / "reference-implementation"
PROFILE_SHIFTS = (-0.1, 0.1)
FIT_TOLERANCE = 1e-4


def load_processor_class():
    """The reference's TtbarAnalysis class, from its own source cell."""
    sys.path.insert(0, str(REFERENCE))
    import copy

    import hist
    from coffea import processor
    from coffea.analysis_tools import PackedSelection

    import utils

    source = (REFERENCE / "ttbar_analysis_pipeline.py").read_text()
    start = source.index("class TtbarAnalysis")
    end = source.index("# %%", start)
    namespace = {"ak": ak, "np": np, "correctionlib": correctionlib, "processor": processor,
                 "PackedSelection": PackedSelection, "copy": copy, "hist": hist, "utils": utils}
    exec(compile(source[start:end], str(REFERENCE / "ttbar_analysis_pipeline.py"), "exec"), namespace)
    return namespace["TtbarAnalysis"], utils


def deterministic_resolution(resolution_file):
    """A stand-in for utils.systematics.jet_pt_resolution: 1 + 0.05 N, N drawn by hashprng from pt."""
    correction = correctionlib.CorrectionSet.from_file(str(resolution_file))["jet_pt_resolution"]

    def jet_pt_resolution(pt):
        counts = ak.num(pt)
        flat = ak.to_numpy(ak.flatten(pt)).astype(np.float64)
        draws = correction.evaluate(flat) if len(flat) else np.zeros(0)
        return ak.unflatten(1.0 + 0.05 * np.asarray(draws), counts)

    return jet_pt_resolution


class BoosterClassifier:
    """What the reference uses of xgboost.XGBClassifier (predict_proba), without scikit-learn.

    XGBClassifier needs scikit-learn only to exist; its predict_proba of a binary:logistic
    model is [1 - p, p] with p from the booster's inplace_predict, as here.
    """

    def __init__(self, path):
        import xgboost

        self.booster = xgboost.Booster()
        self.booster.load_model(str(path))

    def predict_proba(self, features):
        p = self.booster.inplace_predict(features)
        return np.column_stack([1 - p, p])


def fileset_from_samples(samples_path):
    """coffea's fileset with the reference's metadata, from a Kaon AGC samples file."""
    spec = yaml.safe_load(Path(samples_path).read_text())
    base = Path(samples_path).resolve().parent
    fileset = {}
    for name, sample in spec["samples"].items():
        process, variation = name.split("__")
        files = [str((base / f).resolve()) if not f.startswith("/") else f for f in sample["files"]]
        fileset[name] = {"files": {f: "Events" for f in files},
                         "metadata": {"process": process, "variation": variation,
                                      "nevts": sample["generated-events"], "xsec": sample["cross-section"]}}
    return fileset, spec["luminosity"]


def histograms_json(hist_dict):
    out = {}
    for name, h in hist_dict.items():
        by_process = {}
        for process in h.axes["process"]:
            by_variation = {}
            for variation in h.axes["variation"]:
                one = h[:, process, variation]
                values = one.values(flow=True)
                if values.sum() == 0:
                    continue
                by_variation[variation] = {"values": values.tolist(), "variances": one.variances(flow=True).tolist()}
            by_process[process] = by_variation
        out[name] = by_process
    return out


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run")
    run.add_argument("samples")
    run.add_argument("resolution")
    run.add_argument("out")
    run.add_argument("--save", metavar="FOLDER", help="also write FOLDER/histograms.root with the reference's save_histograms")
    fit = commands.add_parser("fit")
    fit.add_argument("histograms")
    fit.add_argument("folder")
    fit.add_argument("out")
    args = parser.parse_args()
    if args.command == "fit":
        sys.path.insert(0, str(REFERENCE))
        import utils

        out = Path(args.out).resolve()
        folder = Path(args.folder).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        import shutil

        shutil.copy(args.histograms, folder / "histograms.root")
        out.write_text(json.dumps(fit_as_the_pipeline(folder, utils)))
        return

    out = Path(args.out).resolve()
    fileset, luminosity = fileset_from_samples(args.samples)
    assert luminosity == 3378, "the reference hard-codes 3378/pb"
    TtbarAnalysis, utils = load_processor_class()
    utils.systematics.jet_pt_resolution = deterministic_resolution(Path(args.resolution).resolve())
    from coffea import processor
    from coffea.nanoevents import NanoAODSchema

    NanoAODSchema.warn_missing_crossrefs = False
    os.chdir(AGC)  # the processor opens corrections.json and models/ relative to here
    # One process, one core. (coffea's FuturesExecutor spawns workers that re-import the
    # reference's utils and load the models through scikit-learn; forked ones hang in
    # xgboost. benchmarks/agc/run.py runs two processes on halves of the samples instead.)
    executor = processor.IterativeExecutor()
    runner = processor.Runner(executor=executor, schema=NanoAODSchema, savemetrics=True,
                              chunksize=utils.config["benchmarking"]["CHUNKSIZE"])
    utils.ml.model_even = BoosterClassifier(AGC / utils.config["ml"]["XGBOOST_MODEL_PATH_EVEN"])
    utils.ml.model_odd = BoosterClassifier(AGC / utils.config["ml"]["XGBOOST_MODEL_PATH_ODD"])
    start = time.monotonic()
    output, metrics = runner(fileset, treename="Events", processor_instance=TtbarAnalysis(True, False))
    seconds = time.monotonic() - start
    result = {"hist_dict": histograms_json(output["hist_dict"]), "ml_hist_dict": histograms_json(output["ml_hist_dict"]),
              "seconds": seconds, "events": int(sum(output["nevents"].values()))}
    if args.save:
        folder = Path(args.save).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        utils.file_output.save_histograms(output["hist_dict"], str(folder / "histograms.root"))
    out.write_text(json.dumps(result))


def fit_as_the_pipeline(folder, utils):
    """The pipeline's statistical-inference cells on folder/histograms.root: rebinned templates, workspace, fit."""
    import cabinetry
    import hist
    import pyhf

    import utils.rebinning

    os.chdir(folder)  # the config reads histograms.root and writes templates relative to here
    config = cabinetry.configuration.load(str(AGC / "cabinetry_config.yml"))
    router = utils.rebinning.get_cabinetry_rebinning_router(config, rebinning=slice(110j, None, hist.rebin(2)))
    cabinetry.templates.build(config, router=router)
    cabinetry.templates.postprocess(config)
    ws = cabinetry.workspace.build(config)
    model, data = cabinetry.model_utils.model_and_data(ws)
    # The pipeline fits with Minuit's default tolerance, which on the AGC's flat likelihood stops
    # up to ~3e-4 short of the minimum in ttbar_norm; a tighter tolerance pins the minimum down.
    fit = cabinetry.fit.fit(model, data, tolerance=FIT_TOLERANCE)
    poi = model.config.poi_index
    # The likelihood's own width, free of Minuit's Hesse (which can force the matrix positive
    # definite on these small samples): −2 ln L profiled at fixed POI values around the minimum.
    best = float(fit.bestfit[poi])
    profile = {}
    for shift in PROFILE_SHIFTS:
        _, twice_nll = pyhf.infer.mle.fixed_poi_fit(best + shift, data, model, return_fitted_val=True)
        profile[str(shift)] = float(twice_nll) - float(fit.best_twice_nll)
    return {"workspace": ws, "poi": model.config.poi_name, "bestfit": best, "twice_nll": float(fit.best_twice_nll),
            "uncertainty": float(fit.uncertainty[poi]), "labels": list(fit.labels),
            "parameters": [float(x) for x in fit.bestfit], "profile": profile}


if __name__ == "__main__":
    main()
