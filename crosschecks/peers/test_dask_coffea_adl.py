"""The coffea side of the Dask benchmark (benchmarks/dask/coffea_adl.py: the eight ADL queries
as a coffea processor over NanoEvents) against `kaon adl --json` on the 1000 real events of
Run2012B_SingleMu_1000.root: every bin, flow included, of every histogram, for both binnings.
The benchmark compares the two tools' speed on Dask; this makes sure they do the same work.

The processor runs through coffea's own `processor.Runner` in chunks of 300 entries (four
chunks, so coffea's accumulation of the histograms is exercised), with its in-process
executor: the Dask executor runs the same chunks as tasks, and benchmarks/dask/run.py checks
the whole benchmark input that way on real workers."""
import json
import sys
import warnings

import pytest

from conftest import REPO, SHARED, kaon

coffea_processor = pytest.importorskip("coffea.processor")
from coffea.nanoevents import NanoAODSchema  # noqa: E402

sys.path[:0] = [str(REPO / "benchmarks" / "dask"), str(REPO / "benchmarks" / "adl")]
from coffea_adl import ADLProcessor  # noqa: E402
from uproot_adl import BINNINGS  # noqa: E402

FILE = SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root"


@pytest.mark.parametrize("binning", list(BINNINGS))
def test_coffea_adl_queries_equal_kaon_adl(binning):
    expected = json.loads(kaon("adl", FILE, "--binning", binning, "--json").stdout)
    runner = coffea_processor.Runner(executor=coffea_processor.IterativeExecutor(), schema=NanoAODSchema, chunksize=300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NanoAODSchema's notes on cross-references this 2012 schema lacks
        output = runner({"data": [str(FILE)]}, ADLProcessor(binning), treename="Events")
    assert output["events"] == 1000
    assert list(expected) == list(BINNINGS[binning])
    for key, histogram in expected.items():
        axis = histogram["axes"][0]
        assert (axis["lower"], axis["upper"], axis["bins"]) == (*BINNINGS[binning][key], 100), key
        assert output[key].values(flow=True).astype(int).tolist() == histogram["storage"]["values"], key
        assert sum(histogram["storage"]["values"]) > 0, key
