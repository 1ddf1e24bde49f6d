"""Kaon's NanoAOD object view (`kaon nano-dump`, i.e. KaonNano's ObjectViewDump) against
coffea's NanoEvents (NanoEventsFactory + NanoAODSchema) on the shared NanoAOD files.

Compared, event by event: collection counts, muon kinematics and charge, jet and electron pt,
MET, every dimuon pair's invariant mass (pairs in `ak.combinations` order), the muon x jet
deltaR table (`ak.cartesian` order), the `Muon.matched_jet` / `Electron.matched_jet` cross
references (jet pt, None for -1) and, with generator particles, `GenPart.parent` and
`Muon.matched_gen`. A feature coffea or the file cannot provide is an explicit skip that
says why, never a silent pass.

Precision: stored columns must agree exactly (both sides read the same float32 values).
Masses and deltaR: Kaon computes in float64, coffea in the dtype of its inputs. Dimuon masses
are compared twice: with coffea on the float32 columns (m^2 within 16 float32 ulps of E^2)
and with coffea on the same values promoted to float64 (relative 1e-9). deltaR: 1e-5.
"""
import json
import math
import warnings

import awkward as ak
import numpy as np
import pytest

from conftest import SHARED, kaon

FILES = {
    "ttbar": SHARED / "data" / "root" / "nanoAOD_2015_CMS_Open_Data_ttbar.root",
    "adl": SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root",
}

_cache = {}


def load(name):
    """(Kaon's dump, coffea's events) for one shared file, read once per session."""
    if name not in _cache:
        path = FILES[name]
        if not path.is_file():
            raise AssertionError(f"shared data file missing: {path}")
        dump = json.loads(kaon("nano-dump", f"{path}:Events").stdout)
        try:
            from coffea.nanoevents import NanoAODSchema, NanoEventsFactory
        except ImportError as error:
            pytest.skip(f"coffea is not importable in the peers venv: {error}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # coffea warns about branches it does not know (older schemas)
            try:
                events = NanoEventsFactory.from_root({str(path): "Events"}, schemaclass=NanoAODSchema,
                                                     mode="eager").events()
            except Exception as error:  # coffea cannot interpret this file's schema
                _cache[name] = (dump, f"coffea NanoAODSchema cannot read {path.name}: {type(error).__name__}: {error}")
                return _cache[name]
        _cache[name] = (dump, events)
    dump, events = _cache[name]
    if isinstance(events, str):
        pytest.skip(events)
    return dump, events


def nested(array):
    return ak.to_list(array)


def assert_exact_f32(kaon_values, peer, what):
    """Jagged float32 columns: same structure, same float32 values (None where None)."""
    peer = nested(peer)
    assert len(kaon_values) == len(peer), f"{what}: {len(kaon_values)} events vs coffea {len(peer)}"
    for event, (a, b) in enumerate(zip(kaon_values, peer)):
        a_list, b_list = (a, b) if isinstance(a, list) else ([a], [b])
        assert len(a_list) == len(b_list), f"{what}: event {event}: {len(a_list)} values vs coffea {len(b_list)}"
        for x, y in zip(a_list, b_list):
            if x is None or y is None:
                assert x is None and y is None, f"{what}: event {event}: Kaon {x} vs coffea {y}"
            else:
                assert np.float32(x) == np.float32(y), f"{what}: event {event}: Kaon {x} vs coffea {y}"


def assert_close(kaon_values, peer, what, rel=0.0, abs_=0.0):
    peer = nested(peer)
    assert len(kaon_values) == len(peer), f"{what}: {len(kaon_values)} events vs coffea {len(peer)}"
    compared = 0
    for event, (a, b) in enumerate(zip(kaon_values, peer)):
        assert len(a) == len(b), f"{what}: event {event}: {len(a)} values vs coffea {len(b)}"
        for x, y in zip(a, b):
            assert math.isclose(float(x), float(y), rel_tol=rel, abs_tol=abs_), \
                f"{what}: event {event}: Kaon {x} vs coffea {y}"
            compared += 1
    return compared


@pytest.mark.parametrize("name", FILES)
def test_counts(name):
    dump, events = load(name)
    assert dump["entries"] == len(events)
    for collection in dump["counts"]:
        assert dump["counts"][collection] == nested(ak.num(events[collection])), collection


@pytest.mark.parametrize("name", FILES)
def test_kinematics(name):
    dump, events = load(name)
    for field in ["pt", "eta", "phi", "mass"]:
        assert_exact_f32(dump[f"muon_{field}"], events.Muon[field], f"Muon.{field}")
    assert dump["muon_charge"] == nested(events.Muon.charge)
    assert_exact_f32(dump["jet_pt"], events.Jet.pt, "Jet.pt")
    assert_exact_f32(dump["electron_pt"], events.Electron.pt, "Electron.pt")
    assert_exact_f32(dump["met_pt"], events.MET.pt, "MET.pt")


def in_float64(objects):
    """The same objects as coffea PtEtaPhiMLorentzVectors with float64 components (coffea
    computes in the dtype of its inputs; Kaon, like ROOT's GenVector, in double)."""
    from coffea.nanoevents.methods import vector as coffea_vector
    return ak.zip({k: ak.values_astype(objects[k], np.float64) for k in ["pt", "eta", "phi", "mass"]},
                  with_name="PtEtaPhiMLorentzVector", behavior=coffea_vector.behavior)


@pytest.mark.parametrize("name", FILES)
def test_dimuon_masses(name):
    dump, events = load(name)
    pairs = ak.combinations(events.Muon, 2)
    assert dump["dimuon_charge_product"] == nested(pairs["0"].charge * pairs["1"].charge)
    # coffea on the float32 columns computes m^2 = E^2 - p^2 in float32: its error is a few
    # float32 ulps of E^2 (large for light, boosted pairs), so m^2 is compared to that bound.
    # With float64 inputs coffea's vector sum must agree with Kaon's to rounding.
    wide = ak.combinations(in_float64(events.Muon), 2)
    energy = ak.flatten((wide["0"] + wide["1"]).energy).to_numpy()
    narrow = ak.flatten((pairs["0"] + pairs["1"]).mass).to_numpy().astype(np.float64)
    ours = np.array([m for event in dump["dimuon_mass"] for m in event], dtype=np.float64)
    assert len(ours) == len(narrow)
    bound = 16 * np.finfo(np.float32).eps * energy ** 2
    worst = np.argmax(np.abs(ours ** 2 - narrow ** 2) - bound) if len(ours) else 0
    assert np.all(np.abs(ours ** 2 - narrow ** 2) <= bound), \
        f"dimuon mass vs coffea float32 beyond float32 rounding: pair {worst}: Kaon {ours[worst]} vs coffea {narrow[worst]}"
    compared = assert_close(dump["dimuon_mass"], (wide["0"] + wide["1"]).mass, "dimuon mass (coffea float64)",
                            rel=1e-9, abs_=1e-9)
    assert compared > 0, "no dimuon pairs compared"


@pytest.mark.parametrize("name", FILES)
def test_delta_r(name):
    dump, events = load(name)
    muon, jet = ak.unzip(ak.cartesian([events.Muon, events.Jet]))
    compared = assert_close(dump["muon_jet_deltaR"], muon.delta_r(jet), "muon-jet deltaR", rel=1e-5, abs_=1e-5)
    assert compared > 0, "no muon-jet pairs compared"


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("collection", ["Muon", "Electron"])
def test_matched_jet(name, collection):
    dump, events = load(name)
    matched = events[collection].matched_jet.pt
    assert_exact_f32(dump[f"{collection.lower()}_matched_jet_pt"], matched, f"{collection}.matched_jet.pt")


@pytest.mark.parametrize("name", FILES)
def test_generator_references(name):
    dump, events = load(name)
    if "GenPart" not in events.fields:
        pytest.skip(f"{FILES[name].name} has no GenPart branches (collision data), so neither coffea's "
                    "GenPart.parent / Muon.matched_gen nor Kaon's mother / genParticle apply")
    parent = events.GenPart.parent.pdgId
    assert dump["genpart_parent_pdgId"] == nested(parent)
    assert dump["muon_gen_pdgId"] == nested(events.Muon.matched_gen.pdgId)
    assert ak.sum(ak.num(ak.drop_none(parent))) > 0, "no GenPart parents resolved"
