"""Writing ROOT files from Python (`kaon.recreate`, issue 15) against uproot and ROOT: files
written through the `kaon` package are read by uproot and by ROOT (PyROOT, in a subprocess
whose output must hold no "Error" or "Warning") and must give back exactly what was written —
values, dtypes, jagged structure, and for histograms the class, bins with flow, variances,
edges, axis titles and labels. uproot writing the same objects is the reference for the
conventions (class names, counter branches, titles).

The package must be installed in this interpreter (`make test` does it)."""
import json
import subprocess
import sys

import awkward as ak
import hist
import numpy as np
import pytest
import uproot

import kaon

RNG = np.random.default_rng(15)

# Reads every histogram and tree of a file with ROOT and prints them as JSON: histograms as
# class, title, per-global-bin contents and errors, axis edges/titles/labels; trees as branch
# → per-entry values (lists for arrays), through RDataFrame.
ROOT_READER = r'''
import json, sys
import numpy
import ROOT
ROOT.gErrorIgnoreLevel = ROOT.kInfo
out = {"histograms": {}, "trees": {}}
f = ROOT.TFile.Open(sys.argv[1])
def walk(directory, prefix):
    for key in directory.GetListOfKeys():
        path = prefix + key.GetName()
        obj = key.ReadObj()
        if obj.InheritsFrom("TDirectory"):
            walk(obj, path + "/")
        elif obj.InheritsFrom("TH1"):
            axes = [obj.GetXaxis(), obj.GetYaxis(), obj.GetZaxis()][:obj.GetDimension()]
            labels = []
            for axis in axes:
                names = axis.GetLabels()
                labels.append([str(axis.GetBinLabel(i)) for i in range(1, axis.GetNbins() + 1)] if names else None)
            out["histograms"][path] = {
                "class": obj.ClassName(), "title": obj.GetTitle(), "entries": obj.GetEntries(),
                "contents": [obj.GetBinContent(i) for i in range(obj.GetNcells())],
                "errors": [obj.GetBinError(i) for i in range(obj.GetNcells())],
                "sumw2": obj.GetSumw2N(),
                "edges": [[axis.GetBinLowEdge(i) for i in range(1, axis.GetNbins() + 2)] for axis in axes],
                "axis_titles": [axis.GetTitle() for axis in axes], "labels": labels,
            }
        elif obj.InheritsFrom("TTree"):
            tree = {"entries": obj.GetEntries(), "title": obj.GetTitle(), "branches": {}, "types": {}}
            for branch in obj.GetListOfBranches():
                leaf = branch.GetListOfLeaves()[0]
                tree["types"][branch.GetName()] = leaf.GetTypeName()
            columns = ROOT.RDataFrame(obj).AsNumpy(list(tree["types"]))
            for name, values in columns.items():
                tree["branches"][name] = [numpy.asarray(v).tolist() for v in values]
            out["trees"][path] = tree
walk(f, "")
print(json.dumps(out))
'''


def read_with_root(path):
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", ROOT_READER, str(path)], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    noise = [line for line in (result.stdout + result.stderr).splitlines() if "Error" in line or "Warning" in line]
    assert not noise, noise
    return json.loads(result.stdout.splitlines()[-1])


def uproot_tree(path, name, data):
    """The same data written as a TTree by uproot (mktree + extend: uproot 5.7's
    `file[name] = dict` writes an RNTuple, which Kaon's writer does not)."""
    types = {key: value.type if isinstance(value, ak.Array) else value.dtype if value.ndim == 1
             else (value.dtype, value.shape[1:]) for key, value in data.items()}
    with uproot.recreate(path) as f:
        f.mktree(name, types).extend(data)


def nested(values):
    """Per-entry Python values (lists for arrays), as ROOT's reader prints them."""
    return ak.to_list(values)


# ---------------------------------------------------------------------------- trees

def event_data(count=2500):
    counts = RNG.poisson(2.5, count).astype(np.int64)
    return {
        "run": np.arange(count, dtype=np.int32),
        "weight": RNG.normal(1, 0.2, count),
        "flag": RNG.integers(0, 2, count).astype(bool),
        "big": RNG.integers(-2**40, 2**40, count, dtype=np.int64),
        "small": RNG.integers(0, 255, count).astype(np.uint8),
        "vec3": RNG.normal(0, 1, (count, 3)).astype(np.float32),
        "pt": ak.unflatten(RNG.exponential(20, counts.sum()).astype(np.float32), counts),
        "ids": ak.unflatten(RNG.integers(-13, 14, counts.sum()).astype(np.int16), counts),
    }


def test_tree_from_dict_reads_back_in_uproot_and_root(tmp_path):
    data = event_data()
    path = tmp_path / "events.root"
    with kaon.recreate(path) as f:
        f["Events"] = data

    with uproot.open(path) as file:
        tree = file["Events"]
        assert tree.num_entries == len(data["run"])
        # uproot's convention for jagged fields: a counter branch "n" + name.
        assert set(tree.keys()) == set(data) | {"npt", "nids"}
        arrays = tree.arrays(library="ak")
        for name, values in data.items():
            if isinstance(values, np.ndarray):
                read = tree[name].array(library="np")
                assert read.dtype == values.dtype, name
                assert read.shape == values.shape, name
                np.testing.assert_array_equal(read, values, err_msg=name)
            else:
                assert str(ak.type(arrays[name])) == str(ak.type(values)), name
                assert ak.all(ak.num(arrays[name]) == ak.num(values)), name
                assert arrays[name].tolist() == values.tolist(), name
        assert tree["npt"].array(library="np").tolist() == ak.num(data["pt"]).tolist()
        assert tree["npt"].array(library="np").dtype == np.int32

    root = read_with_root(path)["trees"]["Events"]
    assert root["entries"] == len(data["run"])
    assert root["types"] == {"run": "Int_t", "weight": "Double_t", "flag": "Bool_t", "big": "Long64_t",
                             "small": "UChar_t", "vec3": "Float_t", "npt": "Int_t", "pt": "Float_t",
                             "nids": "Int_t", "ids": "Short_t"}
    for name, values in data.items():
        expected = nested(values)
        if name == "flag":
            expected = [bool(v) for v in expected]
        got = root["branches"][name]
        if name == "flag":
            got = [bool(v) for v in got]
        assert got == expected, name


def test_uproot_writes_the_same_branches(tmp_path):
    """uproot writing the same data as a TTree gives the same branch names, types and counter names."""
    data = event_data(50)
    with kaon.recreate(tmp_path / "kaon.root") as f:
        f["Events"] = data
    uproot_tree(tmp_path / "uproot.root", "Events", data)
    ours = uproot.open(tmp_path / "kaon.root")["Events"]
    theirs = uproot.open(tmp_path / "uproot.root")["Events"]
    assert sorted(ours.keys()) == sorted(theirs.keys())
    for name in theirs.keys():
        assert ours[name].interpretation == theirs[name].interpretation, name
        assert ours[name].array(library="ak").tolist() == theirs[name].array(library="ak").tolist(), name


def test_mktree_and_extend_append_batches(tmp_path):
    path = tmp_path / "batches.root"
    batches = [event_data(n) for n in (300, 0, 1200, 7)]
    with kaon.recreate(path, compression=kaon.LZ4(4)) as f:
        tree = f.mktree("dir/sub/Events", {"run": np.int32, "weight": "float64", "flag": bool, "big": "int64",
                                           "small": np.uint8, "vec3": ("float32", 3), "pt": "var * float32",
                                           "ids": "var * int16"}, title="batched")
        for batch in batches:
            tree.extend(batch)
        assert tree.num_entries == 1507
        assert f["dir/sub/Events"] is tree
    expected = {name: ak.concatenate([batch[name] for batch in batches]) for name in batches[0]}
    with uproot.open(path) as file:
        tree = file["dir/sub/Events"]
        assert tree.title == "batched"
        assert tree.num_entries == 1507
        arrays = tree.arrays(library="ak")
        for name, values in expected.items():
            assert arrays[name].tolist() == values.tolist(), name
            assert str(ak.type(arrays[name])) == str(ak.type(values)), name
    root = read_with_root(path)["trees"]["dir/sub/Events"]
    assert root["title"] == "batched"
    assert root["branches"]["pt"] == nested(expected["pt"])
    assert root["branches"]["vec3"] == nested(expected["vec3"])


def test_jagged_records_share_a_counter_as_in_nanoaod(tmp_path):
    counts = RNG.poisson(3, 400)
    muons = ak.zip({"pt": ak.unflatten(RNG.exponential(30, counts.sum()), counts),
                    "charge": ak.unflatten(RNG.choice([-1, 1], counts.sum()).astype(np.int32), counts)})
    met = ak.zip({"pt": RNG.exponential(40, 400).astype(np.float32), "phi": RNG.uniform(-3, 3, 400).astype(np.float32)})
    with kaon.recreate(tmp_path / "kaon.root") as f:
        f["Events"] = {"Muon": muons, "MET": met}
    uproot_tree(tmp_path / "uproot.root", "Events", {"Muon": muons, "MET": met})
    ours = uproot.open(tmp_path / "kaon.root")["Events"]
    theirs = uproot.open(tmp_path / "uproot.root")["Events"]
    assert sorted(ours.keys()) == sorted(theirs.keys()) == sorted(["nMuon", "Muon_pt", "Muon_charge", "MET_pt", "MET_phi"])
    for name in theirs.keys():
        assert ours[name].array(library="ak").tolist() == theirs[name].array(library="ak").tolist(), name
    root = read_with_root(tmp_path / "kaon.root")["trees"]["Events"]
    assert root["branches"]["Muon_pt"] == muons.pt.tolist()
    assert root["branches"]["nMuon"] == ak.num(muons).tolist()


@pytest.mark.parametrize("compression", [kaon.ZLIB(4), kaon.LZMA(6), kaon.LZ4(1), kaon.ZSTD(7), None],
                         ids=["zlib", "lzma", "lz4", "zstd", "none"])
def test_every_compression(tmp_path, compression):
    data = event_data(500)
    path = tmp_path / "c.root"
    with kaon.recreate(path, compression=compression) as f:
        f["t"] = data
    with uproot.open(path) as file:
        algorithm = {None: None, "zlib": uproot.ZLIB, "lzma": uproot.LZMA, "lz4": uproot.LZ4, "zstd": uproot.ZSTD}
        expected = algorithm[compression.algorithm if compression else None]
        if expected is None:
            assert file.file.fCompress == 0
        else:
            assert isinstance(file.file.compression, expected)
            assert file.file.compression.level == compression.level
        assert file["t"]["pt"].array().tolist() == data["pt"].tolist()
    # uproot's compression objects are accepted too.
    with kaon.recreate(tmp_path / "u.root", compression=uproot.ZSTD(3)) as f:
        f["t"] = {"x": np.arange(5)}
    assert uproot.open(tmp_path / "u.root").file.compression.level == 3


# ---------------------------------------------------------------------------- histograms

def histograms():
    x, y, z = RNG.normal(0, 1, 5000), RNG.normal(1, 2, 5000), RNG.uniform(0, 5, 5000)
    weights = RNG.uniform(0.5, 1.5, 5000)
    h1 = hist.Hist(hist.axis.Regular(20, -3, 3, name="x", label="x [GeV]"), storage=hist.storage.Weight(), name="h1")
    h1.fill(x=x, weight=weights)
    h2 = hist.Hist(hist.axis.Variable([-2, -1, 0, 0.5, 2], name="x", label="X"), hist.axis.Regular(5, -4, 6, name="y"),
                   storage=hist.storage.Double())
    h2.fill(x, y)
    h3 = hist.Hist(hist.axis.Regular(4, -2, 2), hist.axis.Regular(3, -3, 5), hist.axis.Regular(2, 0, 5),
                   storage=hist.storage.Weight())
    h3.fill(x, y, z, weight=weights)
    hcat = hist.Hist(hist.axis.StrCategory(["ee", "mumu", "emu"], name="channel", label="channel"),
                     storage=hist.storage.Weight())
    hcat.fill(RNG.choice(["ee", "mumu", "emu"], 300), weight=RNG.uniform(0, 2, 300))
    hint = hist.Hist(hist.axis.Regular(10, 0, 5), storage=hist.storage.Int64())
    hint.fill(z)
    profile = hist.Hist(hist.axis.Regular(8, -3, 3, name="x"), storage=hist.storage.Mean())
    profile.fill(x, sample=y)
    return {"h1": h1, "dir/h2": h2, "dir/deeper/h3": h3, "hcat": hcat, "hint": hint, "profile": profile,
            "numpy1d": np.histogram(x, bins=12, range=(-3, 3)),
            "numpy_variable": np.histogram(x, bins=[-3, -1, 0, 2.5]),
            "numpy2d": np.histogram2d(x, y, bins=(5, 4)),
            "titled": (*np.histogram(y, bins=6), "a title")}


def test_histograms_match_uproot_and_root(tmp_path):
    objects = histograms()
    path = tmp_path / "hists.root"
    with kaon.recreate(path) as f:
        for name, value in objects.items():
            f[name] = value
    # uproot 5.7 cannot write Int64 storage (it makes a TArray of '>i8' and refuses it): that
    # one is compared with the original below, and written as a TH1D as Double storage is.
    reference = tmp_path / "uproot.root"
    with uproot.recreate(reference) as f:
        for name, value in objects.items():
            if name != "hint":
                f[name] = value
    root = read_with_root(path)["histograms"]
    ours, theirs = uproot.open(path), uproot.open(reference)
    assert ours["hint"].classname == "TH1D"
    np.testing.assert_array_equal(ours["hint"].values(flow=True), objects["hint"].values(flow=True))
    np.testing.assert_array_equal(ours["hint"].variances(flow=True), objects["hint"].values(flow=True))
    for name, value in objects.items():
        if name == "hint":
            continue
        mine, written = ours[name], theirs[name]
        assert mine.classname == written.classname, name
        assert mine.member("fTitle") == written.member("fTitle"), name
        np.testing.assert_array_equal(mine.values(flow=True), written.values(flow=True), err_msg=name)
        np.testing.assert_array_equal(mine.variances(flow=True), written.variances(flow=True), err_msg=name)
        assert mine.member("fEntries") == written.member("fEntries"), name
        for axis, their_axis in zip(mine.axes, written.axes):
            np.testing.assert_allclose(axis.edges(), their_axis.edges(), rtol=1e-15, atol=1e-15, err_msg=name)
            assert axis.member("fTitle") == their_axis.member("fTitle"), name
            assert axis.labels() == their_axis.labels(), name

        # ROOT: the same class, per-bin contents and errors (global-bin order, flow included).
        seen = root[name]
        assert seen["class"] == mine.classname, name
        assert seen["title"] == mine.member("fTitle"), name
        np.testing.assert_array_equal(np.array(seen["contents"]), mine.values(flow=True).ravel(order="F"), err_msg=name)
        np.testing.assert_allclose(np.array(seen["errors"]), mine.errors(flow=True).ravel(order="F"), rtol=1e-12, err_msg=name)
        for d, axis in enumerate(mine.axes):
            np.testing.assert_allclose(seen["edges"][d], axis.edges(), rtol=1e-15, atol=1e-15, err_msg=name)
            assert seen["axis_titles"][d] == axis.member("fTitle"), name
            assert seen["labels"][d] == axis.labels(), name


def test_hist_round_trip_through_to_hist(tmp_path):
    """What was written with storage Weight comes back by to_hist() (Kaon's reader and uproot's)
    with the same bins, values and variances."""
    objects = histograms()
    path = tmp_path / "round.root"
    with kaon.recreate(path) as f:
        f["h1"], f["dir/deeper/h3"] = objects["h1"], objects["dir/deeper/h3"]
    for name in ("h1", "dir/deeper/h3"):
        original = objects[name]
        for back in (kaon.open(path)[name].to_hist(), uproot.open(path)[name].to_hist()):
            np.testing.assert_array_equal(back.values(flow=True), original.values(flow=True), err_msg=name)
            np.testing.assert_array_equal(back.variances(flow=True), original.variances(flow=True), err_msg=name)
            for axis, original_axis in zip(back.axes, original.axes):
                np.testing.assert_allclose(axis.edges, original_axis.edges, rtol=1e-15, atol=1e-15)


# ---------------------------------------------------------------------------- errors

def test_errors_name_the_file_and_object(tmp_path):
    path = tmp_path / "e.root"
    with kaon.recreate(path) as f:
        tree = f.mktree("t", {"x": "float32", "v": "var * int32"})
        with pytest.raises(ValueError, match="missing"):
            tree.extend({"x": np.zeros(3, np.float32)})
        with pytest.raises(ValueError, match="different numbers of entries"):
            tree.extend({"x": np.zeros(3, np.float32), "v": ak.Array([[1], [2]])})
        with pytest.raises(TypeError, match="declared"):
            tree.extend({"x": np.zeros(2, np.float32), "v": np.zeros(2, np.int32)})
        with pytest.raises(TypeError, match="cannot be written"):
            f["s"] = {"names": ak.Array(["a", "b"])}
        with pytest.raises(TypeError, match="cannot be written"):
            f["o"] = object()
        with pytest.raises(kaon.KaonError, match="compression"):
            kaon.recreate(tmp_path / "bad.root", compression=kaon.ZLIB(42))
        tree.extend({"x": np.ones(2, np.float32), "v": ak.Array([[1, 2], []])})
    assert f.closed
    with pytest.raises(kaon.UsageError, match="closed"):
        f["late"] = np.histogram([1, 2], bins=2)
    assert uproot.open(path)["t"]["v"].array().tolist() == [[1, 2], []]
    assert not (tmp_path / "bad.root").exists()


def test_create_refuses_an_existing_file(tmp_path):
    path = tmp_path / "exists.root"
    path.write_bytes(b"")
    with pytest.raises(OSError, match="exists"):
        kaon.create(path)
