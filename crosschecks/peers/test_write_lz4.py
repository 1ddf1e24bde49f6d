"""Kaon's LZ4 baskets are the bytes ROOT's own compressor makes at the same level.

ROOT's R__zipLZ4 clamps the level to 9 and uses LZ4_compress_HC at levels >= 4 and
LZ4_compress_default below, behind a 9-byte header and the big-endian XXH64 of the block.
For `kaon copy --compression lz4:L` of a real tree, every basket's stored bytes are
decompressed by ROOT (R__unzip) and compressed again by ROOT
(R__zipMultipleAlgorithm through PyROOT); the two must be identical, block for block.
Levels above 9 are refused by `kaon copy` (test_write_fidelity.py), so 9 is the highest here.
"""
import ctypes
import warnings

import numpy as np
import pytest
import uproot

from conftest import SHARED, kaon

warnings.filterwarnings("ignore")
ROOT = pytest.importorskip("ROOT")


def root_lz4(payload, level):
    """ROOT's framed LZ4 block of `payload` (one block: payloads here are < 16 MB)."""
    target = ctypes.create_string_buffer(len(payload) + 1024)
    srcsize, tgtsize, irep = ctypes.c_int(len(payload)), ctypes.c_int(len(payload) + 1024), ctypes.c_int(0)
    ROOT.R__zipMultipleAlgorithm(level, srcsize, payload, tgtsize, target, irep, ROOT.RCompressionSetting.EAlgorithm.kLZ4)
    return target.raw[:irep.value]


def stored_baskets(path, tree_name, branch_names):
    """(key bytes after the key header, uncompressed length) of each basket of the branches."""
    raw = open(path, "rb").read()
    tree = uproot.open(path)[tree_name]
    result = []
    for name in branch_names:
        branch = tree[name]
        for i in range(branch.num_baskets):
            seek = branch.member("fBasketSeek")[i]
            nbytes = int.from_bytes(raw[seek:seek + 4], "big")
            objlen = int.from_bytes(raw[seek + 6:seek + 10], "big")
            keylen = int.from_bytes(raw[seek + 14:seek + 16], "big")
            result.append((raw[seek + keylen:seek + nbytes], objlen))
    return result


@pytest.mark.parametrize("level", [1, 3, 4, 9])
def test_lz4_baskets_equal_roots_compressor(tmp_path, level):
    source = SHARED / "data" / "root" / "root-6.40-adl-2000-zstd.root"
    out = tmp_path / f"lz4-{level}.root"
    kaon("copy", source, out, "--compression", f"lz4:{level}")
    names = ["nMuon", "Muon_pt", "MET_pt", "Jet_eta"]
    compared = differs_from_fast = 0
    for stored, objlen in stored_baskets(out, "Events", names):
        if len(stored) == objlen:
            continue  # stored raw: no gain from compressing
        assert stored[:2] == b"L4"
        payload = root_decompress(stored, objlen)
        assert root_lz4(payload, level) == stored
        differs_from_fast += root_lz4(payload, 1) != stored
        compared += 1
    assert compared > 0
    # HC output (levels >= 4) is not what the fast encoder makes, so the comparison above
    # really distinguishes the two encoders.
    assert (differs_from_fast > 0) == (level >= 4)


def root_decompress(stored, objlen):
    """The payload of one framed block, decompressed by ROOT's R__unzip."""
    source = np.frombuffer(stored, dtype=np.uint8).copy()
    target = np.zeros(objlen, dtype=np.uint8)
    srcsize, tgtsize, irep = ctypes.c_int(len(stored)), ctypes.c_int(objlen), ctypes.c_int(0)
    ROOT.R__unzip(srcsize, source, tgtsize, target, irep)
    assert irep.value == objlen
    return target.tobytes()
