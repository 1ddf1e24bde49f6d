"""python/examples/getting-started.ipynb (issue 15) executed with nbclient in a kernel running
this interpreter (the peers' venv, where the `kaon` package is installed), then its outputs
checked against the peers: the selected events and the histogram against uproot + awkward +
hist doing the same selection, the ROOT file it writes against uproot, and its fit against
pyhf on the workspace it saved."""
import ast
import json
import sys
from pathlib import Path

import awkward as ak
import hist
import nbformat
import numpy as np
import pytest
import uproot
from nbclient import NotebookClient

from conftest import REPO, SHARED

NOTEBOOK = REPO / "python" / "examples" / "getting-started.ipynb"
EVENTS = SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root"
pyhf = pytest.importorskip("pyhf")


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook after running every cell, and the directory it wrote to."""
    output = tmp_path_factory.mktemp("notebook")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # One more cell, in memory only: which interpreter the kernel ran.
    notebook.cells.append(nbformat.v4.new_code_cell("import sys; sys.executable"))
    # The kernel inherits this environment: where the shared data is and where to write.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHARED", str(SHARED))
        patch.setenv("KAON_EXAMPLE_OUTPUT", str(output))
        client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOK.parent)}})
        # The kernel must be this interpreter, whose venv holds kaon and the peers.
        client.km = client.create_kernel_manager()
        client.km.kernel_spec.argv[0] = sys.executable
        client.execute()
    return notebook, output


def cell_result(notebook, index):
    """The value code cell `index` displays (its text/plain output, a Python literal)."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for output in code[index].outputs:
        if output.output_type == "execute_result":
            return ast.literal_eval(output.data["text/plain"])
    raise AssertionError(f"code cell {index} displays nothing")


def last_result(notebook):
    """What the notebook's own last cell (its summary) displays."""
    return cell_result(notebook, -2)


def reference_histogram():
    """The notebook's selection done with uproot, awkward and hist."""
    events = uproot.open(EVENTS)["Events"].arrays(["nMuon", "Muon_pt", "Muon_eta", "Muon_phi", "Muon_charge"])
    events = events[events.nMuon >= 2][["Muon_pt", "Muon_eta", "Muon_phi", "Muon_charge"]]
    good = events[(events.Muon_pt > 10) & (abs(events.Muon_eta) < 2.4)]
    pairs = good[ak.num(good.Muon_pt) == 2]
    pairs = pairs[pairs.Muon_charge[:, 0] != pairs.Muon_charge[:, 1]]
    deta = pairs.Muon_eta[:, 0] - pairs.Muon_eta[:, 1]
    dphi = pairs.Muon_phi[:, 0] - pairs.Muon_phi[:, 1]
    mass = np.sqrt(2 * pairs.Muon_pt[:, 0] * pairs.Muon_pt[:, 1] * (np.cosh(deta) - np.cos(dphi)))
    h = hist.Hist(hist.axis.Regular(12, 60, 120), storage=hist.storage.Weight())
    h.fill(ak.to_numpy(mass))
    return len(events), len(pairs), h


def test_every_cell_runs_without_errors(executed):
    notebook, _ = executed
    assert cell_result(notebook, -1) == sys.executable
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs, cell.source
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source


def test_selection_and_histogram_match_uproot(executed):
    notebook, output = executed
    summary = last_result(notebook)
    with_two_muons, pair_count, h = reference_histogram()
    assert summary["events"] == 1000
    assert summary["with_two_muons"] == with_two_muons
    assert summary["pairs"] == pair_count > 20
    np.testing.assert_array_equal(summary["counts"], h.values())
    written = uproot.open(output / "dimuon.root")["dimuon/mass"]
    assert written.classname == "TH1D"
    np.testing.assert_array_equal(written.values(), h.values())
    np.testing.assert_array_equal(written.variances(), h.variances())
    np.testing.assert_allclose(written.axis().edges(), h.axes[0].edges, rtol=1e-15)


def test_fit_matches_pyhf(executed):
    notebook, output = executed
    summary = last_result(notebook)
    spec = json.loads((output / "dimuon-workspace.json").read_text())
    workspace = pyhf.Workspace(spec)
    model = workspace.model()
    pyhf.set_backend("numpy", "minuit")
    try:
        best = pyhf.infer.mle.fit(workspace.data(model), model, return_uncertainties=True)
    finally:
        pyhf.set_backend("numpy")
    poi = model.config.poi_index
    assert summary["converged"]
    assert summary["mu"] == pytest.approx(float(best[poi, 0]), abs=1e-3)
    assert summary["mu_error"] == pytest.approx(float(best[poi, 1]), rel=2e-2)
    assert 0.5 < summary["mu"] < 2  # the Z peak is there, at about the expected size
