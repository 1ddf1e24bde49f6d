#!/usr/bin/env python3
"""Reference numbers for Tests/KaonEngineTests, computed with uproot + awkward.
Run: ~/.cache/kaon/peers/bin/python crosschecks/references/engine_counts.py \
  ../shared/data/adl/Run2012B_SingleMu_1000.root ../shared/data/root/nanoAOD_2015_CMS_Open_Data_ttbar.root"""
import sys

import awkward as ak
import uproot

events = uproot.open(sys.argv[1])["Events"].arrays(["nMuon", "Muon_pt", "nJet"])
print("entries", len(events))
print("events with >= 2 muons", int(ak.sum(events.nMuon >= 2)))
print("muons with pt > 20", int(ak.sum(events.Muon_pt > 20)))
print("sum of nJet", int(ak.sum(events.nJet)))

if len(sys.argv) > 2:
    # Sum of genWeight over the NanoAOD file, in entry order in double precision
    # (Tests/KaonEngineTests/SamplesTests.swift).
    weights = uproot.open(sys.argv[2])["Events"]["genWeight"].array(library="np")
    total = 0.0
    for w in weights:
        total += float(w)
    print("sum of genWeight", repr(total))
