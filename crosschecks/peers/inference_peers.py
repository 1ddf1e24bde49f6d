"""Helpers shared by the inference peer tests: the sbottom archive, pyhf models of a
workspace file, and parameter names as Kaon prints them."""
import json
import tarfile
from pathlib import Path

import jsonpatch
import numpy as np
import pyhf

from conftest import SHARED

ARCHIVE = SHARED / "data" / "likelihoods" / "pyhf-ins1748602-probability-models.tar.gz"
SMALL = Path(__file__).resolve().parent / "fixtures" / "inference_small.json"


def extract_sbottom(out, region, patch):
    """Unpacks BkgOnly.json and one patch of a region; returns (workspace path, patch path)."""
    members = [f"{region}/BkgOnly.json", f"{region}/patch.{patch}.json"]
    with tarfile.open(ARCHIVE) as tar:
        for m in members:
            tar.extract(m, out, filter="data")
    return Path(out) / members[0], Path(out) / members[1]


def pyhf_model(workspace, patch=None):
    """pyhf (numpy backend) model and observed data of a workspace file (optionally patched)."""
    pyhf.set_backend("numpy")
    spec = json.loads(Path(workspace).read_text())
    if patch is not None:
        spec = jsonpatch.apply_patch(spec, json.loads(Path(patch).read_text()))
    ws = pyhf.Workspace(spec)
    model = ws.model()
    return model, ws.data(model)


def parameter_names(model):
    """Every parameter's name in vector order, `name` or `name[i]`, as Kaon names them."""
    out = []
    for name in model.config.par_order:
        ps = model.config.param_set(name)
        out += [name] if ps.is_scalar else [f"{name}[{i}]" for i in range(ps.n_parameters)]
    return out


def prefit_widths(model):
    """cabinetry's pre-fit uncertainties: the constraint width, 0 for free or fixed parameters."""
    out = []
    for name in model.config.par_order:
        ps = model.config.param_set(name)
        fixed = np.broadcast_to(np.asarray(ps.suggested_fixed), (ps.n_parameters,))
        widths = ps.width() if ps.constrained else [0.0] * ps.n_parameters
        out += [0.0 if f else float(w) for w, f in zip(widths, fixed)]
    return np.array(out)


def tight_fit(model, data, init=None, fixed=None):
    """pyhf MLE fit (scipy, tolerance 1e-12); returns best-fit parameters."""
    pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer(tolerance=1e-12))
    try:
        return np.asarray(pyhf.infer.mle.fit(data, model, init_pars=init, fixed_params=fixed))
    finally:
        pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer())
