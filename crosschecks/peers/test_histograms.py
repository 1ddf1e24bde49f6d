"""Peer test: Kaon's histogram reading against uproot and, for data/root, PyROOT.

Every TH1*/TH2*/TH3*/TProfile* key in $SHARED/data/root and $SHARED/data/root-extra is
dumped with `$KAON dump FILE:PATH --format json` and compared bin for bin, flow bins
included. Contents, edges, entries and statistics must match exactly (Kaon writes every
double so that it reads back bit for bit); derived profile values and errors, which are
computed by formula on both sides, within 1e-12 relative.

The JSON's per-bin arrays are flat in ROOT's global-bin order (x fastest), so uproot's
`(nx+2, ny+2[, nz+2])` arrays are flattened in Fortran order to compare.

Environment: KAON (path to the kaon binary), SHARED (the shared data directory).
"""

import glob
import json
import math
import os
import subprocess
import warnings

import numpy as np
import pytest
import uproot

from conftest import KAON, SHARED

HISTOGRAM_PREFIXES = ("TH1", "TH2", "TH3", "TProfile")
# Only files here are also checked against PyROOT (root-extra holds old and odd files that
# are compared with uproot alone, to keep the run short).
PYROOT_DIRECTORY = "root"

# ROOT's fErrorMode codes → uproot's error_mode strings.
UPROOT_ERROR_MODE = {0: "", 1: "s", 2: "i", 3: "g"}


def _collect():
    """(directory, file path, object path with cycle, class) for every stored histogram."""
    found = []
    for directory in ("root", "root-extra"):
        for path in sorted(glob.glob(os.path.join(SHARED, "data", directory, "*.root"))):
            try:
                with uproot.open(path) as handle:
                    classes = handle.classnames()
            except Exception:  # a file uproot cannot open at all is covered by other tests
                continue
            for key, classname in classes.items():
                if classname.startswith(HISTOGRAM_PREFIXES):
                    found.append((directory, path, key, classname))
    return found


HISTOGRAMS = _collect()


def _id(case):
    directory, path, key, _classname = case
    name = key[:-2] if key.endswith(";1") else key
    return f"{directory}/{os.path.basename(path)}:{name}"


@pytest.fixture(scope="module")
def kaon():
    if not os.access(KAON, os.X_OK):
        pytest.fail(f"kaon binary not found at {KAON} (set KAON)")
    return KAON


@pytest.fixture(scope="module")
def pyroot():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the PyPI build warns that it is alpha
        import ROOT
    ROOT.gROOT.SetBatch(True)
    ROOT.TH1.AddDirectory(False)
    return ROOT


def _dump(kaon, path, key):
    result = subprocess.run(
        [kaon, "dump", f"{path}:{key}", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"kaon dump failed ({result.returncode}): {result.stderr.strip()}"
    return json.loads(result.stdout)


def _flat(array):
    """uproot's per-axis array → ROOT global-bin order (x fastest)."""
    return np.asarray(array, dtype=np.float64).ravel(order="F")


def _array(values):
    return np.asarray(values, dtype=np.float64)


def _expected_labels(axis):
    """ROOT's GetBinLabel for every bin, from the TObjStrings' fUniqueID, or None."""
    labels = axis.member("fLabels", none_if_missing=True)
    if labels is None or len(labels) == 0:
        return None
    nbins = axis.member("fNbins")
    out = [None] * nbins
    for label in labels:
        bin_number = label.member("@fUniqueID")
        if 1 <= bin_number <= nbins and out[bin_number - 1] is None:
            out[bin_number - 1] = str(label)
    return [x if x is not None else "" for x in out]


@pytest.mark.parametrize("case", HISTOGRAMS, ids=[_id(c) for c in HISTOGRAMS])
def test_histogram_matches_uproot(case, kaon):
    _directory, path, key, classname = case
    try:
        with uproot.open(path) as handle:
            hist = handle[key]
            is_profile = classname.startswith("TProfile")
            values = _flat(hist.values(flow=True))
            # The TArray base as stored (for profiles Σw·v, which values() divides by Σw).
            (raw_contents,) = hist.base(uproot.models.TArray.Model_TArray)
            raw_contents = np.asarray(raw_contents, dtype=np.float64)
            if is_profile:
                mode = hist.member("fErrorMode")
                errors = _flat(hist.errors(flow=True, error_mode=UPROOT_ERROR_MODE.get(mode, "")))
            else:
                variances = _flat(hist.variances(flow=True))
            axes = [hist.axis(i) for i in range(len(hist.axes))]
            edges = [np.asarray(axis.edges(), dtype=np.float64) for axis in axes]
            labels = [_expected_labels(axis) for axis in axes]
            members = dict(hist.all_members)
    except Exception as error:  # noqa: BLE001 – any uproot failure means "no reference"
        pytest.skip(f"uproot cannot read {key}: {type(error).__name__}: {error}")

    got = _dump(kaon, path, key)

    assert got["class"] == classname
    assert got["name"] == members["fName"]
    assert got["title"] == members["fTitle"]
    assert got["dimension"] == len(axes)
    assert len(got["axes"]) == len(axes)
    for index, (axis, axis_got) in enumerate(zip(axes, got["axes"])):
        assert axis_got["name"] == axis.member("fName"), f"axis {index}"
        assert axis_got["title"] == axis.member("fTitle"), f"axis {index}"
        assert axis_got["nbins"] == axis.member("fNbins"), f"axis {index}"
        np.testing.assert_array_equal(_array(axis_got["edges"]), edges[index], err_msg=f"axis {index} edges")
        assert axis_got["labels"] == labels[index], f"axis {index} labels"

    ncells = members["fNcells"]
    assert len(got["contents"]) == ncells
    np.testing.assert_array_equal(_array(got["contents"]), raw_contents)
    assert got["entries"] == members["fEntries"]

    expected_stats = {name: value for name, value in members.items() if name.startswith("fTsumw")}
    assert got["stats"] == expected_stats

    sumw2 = np.asarray(members["fSumw2"], dtype=np.float64)
    if len(sumw2) == ncells:
        np.testing.assert_array_equal(_array(got["sumw2"]), sumw2)
    else:
        assert got["sumw2"] is None

    if is_profile:
        bin_entries = np.asarray(members["fBinEntries"], dtype=np.float64)
        np.testing.assert_array_equal(_array(got["bin_entries"]), bin_entries)
        np.testing.assert_allclose(_array(got["profile_values"]), values, rtol=1e-12, atol=0, equal_nan=True)
        np.testing.assert_allclose(_array(got["profile_errors"]), errors, rtol=1e-12, atol=0, equal_nan=True)
    else:
        np.testing.assert_array_equal(_array(got["contents"]), values)
        if len(sumw2) == ncells:
            np.testing.assert_array_equal(_array(got["sumw2"]), variances)


PYROOT_CASES = [c for c in HISTOGRAMS if c[0] == PYROOT_DIRECTORY]


@pytest.mark.parametrize("case", PYROOT_CASES, ids=[_id(c) for c in PYROOT_CASES])
def test_histogram_matches_pyroot(case, kaon, pyroot):
    _directory, path, key, classname = case
    got = _dump(kaon, path, key)

    root_file = pyroot.TFile.Open(path)
    assert root_file and not root_file.IsZombie(), f"ROOT cannot open {path}"
    try:
        hist = root_file.Get(key)
        assert hist, f"ROOT cannot read {key}"
        assert hist.ClassName() == got["class"]
        assert hist.GetName() == got["name"]
        assert hist.GetTitle() == got["title"]
        assert hist.GetDimension() == got["dimension"]
        assert hist.GetEntries() == got["entries"]

        ncells = hist.GetNcells()
        assert len(got["contents"]) == ncells

        root_axes = [hist.GetXaxis(), hist.GetYaxis(), hist.GetZaxis()][: got["dimension"]]
        for root_axis, axis_got in zip(root_axes, got["axes"]):
            nbins = root_axis.GetNbins()
            assert axis_got["nbins"] == nbins
            assert axis_got["name"] == root_axis.GetName()
            assert axis_got["title"] == root_axis.GetTitle()
            edges = [root_axis.GetBinLowEdge(i) for i in range(1, nbins + 1)] + [root_axis.GetXmax()]
            assert axis_got["edges"] == edges
            if axis_got["labels"] is None:
                assert not root_axis.GetLabels() or root_axis.GetLabels().GetSize() == 0
            else:
                assert axis_got["labels"] == [root_axis.GetBinLabel(i) for i in range(1, nbins + 1)]

        is_profile = classname.startswith("TProfile")
        contents = got["profile_values"] if is_profile else got["contents"]
        sumw2 = got["sumw2"]
        for bin_index in range(ncells):
            assert contents[bin_index] == hist.GetBinContent(bin_index), f"bin {bin_index} content"
            if is_profile:
                expected_error = got["profile_errors"][bin_index]
            elif sumw2 is not None:
                expected_error = math.sqrt(sumw2[bin_index])
            elif hist.GetBinErrorOption() == pyroot.TH1.kNormal:
                expected_error = math.sqrt(abs(got["contents"][bin_index]))
            else:
                continue  # Poisson error options: not part of the JSON's meaning
            root_error = hist.GetBinError(bin_index)
            assert math.isclose(expected_error, root_error, rel_tol=1e-12) or (
                math.isnan(expected_error) and math.isnan(root_error)
            ), f"bin {bin_index} error: kaon {expected_error}, ROOT {root_error}"

        if is_profile:
            for bin_index in range(ncells):
                assert got["bin_entries"][bin_index] == hist.GetBinEntries(bin_index), f"bin {bin_index} entries"
                # TArrayD::At: the stored Σw·v, which GetBinContent divides by the entries.
                assert got["contents"][bin_index] == hist.At(bin_index), f"bin {bin_index} raw content"
    finally:
        root_file.Close()
