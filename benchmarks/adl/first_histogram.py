"""Time to the first histogram in a fresh process, for the peers: ADL Q1 (MET_pt, 100 bins
over [0, 2000), the paper binning) from one file, everything — interpreter start, imports,
opening the file, reading, filling — counted by the caller's wall clock. Prints the bin
counts with flow as one JSON line, so the caller can check them against Kaon's.

Usage: python first_histogram.py uproot|rdataframe FILE
"""
import sys


def uproot_q1(path):
    import numpy as np
    import uproot
    met = uproot.open(path)["Events"]["MET_pt"].array(library="np").astype(np.float64)
    z = (met - 0.0) / 2000.0
    index = np.where(z < 0, -1, np.where(z < 1, np.floor(z * 100), 100)).astype(np.int64)
    return np.bincount(index + 1, minlength=102).tolist()


def rdataframe_q1(path):
    import ROOT
    h = ROOT.RDataFrame("Events", path).Histo1D(("q1", "", 100, 0.0, 2000.0), "MET_pt")
    return [int(h.GetBinContent(b)) for b in range(102)]


if __name__ == "__main__":
    tool, path = sys.argv[1], sys.argv[2]
    counts = {"uproot": uproot_q1, "rdataframe": rdataframe_q1}[tool](path)
    print('{"q1": [' + ", ".join(str(c) for c in counts) + "]}")
