"""Hostile sizes fail with an error, not with the operating system killing kaon.

Each case is a file or document crafted to claim an absurd size or depth: a tree whose entry
counts claim 2^40 entries, a key whose compressed blocks claim 2 GB, a key claiming more bytes
than the file has, a counter branch with absurd values, RNTuple envelopes claiming 1 TB, JSON
and YAML nested 100 000 deep.
The files start as ones Kaon's writer produces (uncompressed, so the fields can be found
with uproot and patched in place). kaon runs in a child process under `ulimit -v 2 GiB`: it
must exit with status 1 and an error naming the file (and the object where there is one) —
never a signal (SIGSEGV, SIGKILL, SIGABRT) or an allocation failure.
"""
import json
import os
import resource
import struct
import subprocess

import pytest
import uproot

from conftest import KAON, REPO, SHARED, kaon

ADL1000 = SHARED / "data" / "adl" / "Run2012B_SingleMu_1000.root"
ADDRESS_SPACE = 2 << 30


def limited():
    """In the child: at most 2 GiB of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_limited(*args, env=None):
    return subprocess.run([KAON, *map(str, args)], capture_output=True, text=True, timeout=300,
                          preexec_fn=limited, env=env)


def assert_error(result, *names):
    """Exit status 1 (not a signal) with a `kaon` error naming each of `names`."""
    assert result.returncode == 1, f"status {result.returncode}:\n{result.stderr[-3000:]}"
    assert "Program crashed" not in result.stderr
    for name in names:
        assert str(name) in result.stderr, f"{name!r} not in:\n{result.stderr}"


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """nMuon, Muon_pt and MET_pt of the ADL benchmark's 1000 events, uncompressed."""
    path = tmp_path_factory.mktemp("bounded") / "plain.root"
    kaon("copy", ADL1000, path, "--compression", "none", "--branch", "nMuon", "--branch", "Muon_pt", "--branch", "MET_pt")
    return path


def patched(source, target, edits):
    """Writes `source` with each (offset, bytes) of `edits` written over it to `target`."""
    data = bytearray(source.read_bytes())
    for offset, replacement in edits:
        data[offset:offset + len(replacement)] = replacement
    target.write_bytes(bytes(data))
    return target


def key_header_offsets(data, key):
    """Where the key's header starts: the record itself and its copy in the keys list."""
    header = struct.pack(">ihi", key.fNbytes, key.fVersion, key.fObjlen)
    offsets, start = [], 0
    while (found := data.find(header, start)) >= 0:
        offsets.append(found)
        start = found + 1
    assert key.fSeekKey in offsets and len(offsets) == 2, offsets
    return offsets


def test_tree_claiming_2_to_the_40_entries(plain, tmp_path):
    """Every 64-bit entry count of the TTree record (fEntries, the baskets' first entries)
    set to 2^40: reading a branch would need 4 TB for its values."""
    key = uproot.open(plain).key("Events")
    data = plain.read_bytes()
    record = data[key.fSeekKey:key.fSeekKey + key.fNbytes]
    assert key.fObjlen == key.fNbytes - key.fKeylen, "the record must be stored uncompressed"
    thousand, start, edits = struct.pack(">q", 1000), 0, []
    while (found := record.find(thousand, start)) >= 0:
        edits.append((key.fSeekKey + found, struct.pack(">q", 1 << 40)))
        start = found + 1
    assert len(edits) >= 4
    crafted = patched(plain, tmp_path / "entries.root", edits)
    result = run_limited("dump", f"{crafted}:Events", "--branch", "MET_pt")
    assert_error(result, crafted, "Events", "MET_pt")


def write_block_bomb(plain, target):
    """`plain` with the TTree record's payload replaced by 127 zstd block headers each
    declaring 16 MiB uncompressed (the most a block can), fObjlen set to their sum: 2 GB
    claimed by 1.8 kB."""
    key = uproot.open(plain).key("Events")
    data = plain.read_bytes()
    stored = key.fNbytes - key.fKeylen
    blocks, per_block = 127, (1 << 24) - 1

    def block(compressed):
        return b"ZS\x01" + compressed.to_bytes(3, "little") + per_block.to_bytes(3, "little") + b"\0" * compressed

    body = b"".join(block(1) for _ in range(blocks - 1))
    body += block(stored - len(body) - 9)
    assert len(body) == stored
    objlen = struct.pack(">i", blocks * per_block)
    edits = [(offset + 6, objlen) for offset in key_header_offsets(data, key)]
    return patched(plain, target, edits + [(key.fSeekKey + key.fKeylen, body)])


def test_key_whose_compressed_blocks_claim_2_gb(plain, tmp_path):
    crafted = write_block_bomb(plain, tmp_path / "blocks.root")
    result = run_limited("show", f"{crafted}:Events")
    assert_error(result, crafted, "Events", "allocation budget of 67.1 MB (max(2 × file size, 64 MiB))")


def test_key_claiming_more_bytes_than_the_file(plain, tmp_path):
    """fNbytes of the TTree's key set to 2^31 - 1, far past the end of a 56 kB file."""
    key = uproot.open(plain).key("Events")
    edits = [(offset, struct.pack(">i", 0x7FFF_FFFF)) for offset in key_header_offsets(plain.read_bytes(), key)]
    crafted = patched(plain, tmp_path / "nbytes.root", edits)
    result = run_limited("show", f"{crafted}:Events")
    assert_error(result, crafted, "Events")


@pytest.mark.parametrize("value", [0xFFFF_FFFF, 0x7FFF_FFFF, 0x4000_0000], ids=["minus-one", "2^31-1", "sum-overflowing"])
def test_counter_branch_with_absurd_values(plain, tmp_path, value):
    """Every nMuon value (a uint32) set to `value`: -1's bit pattern, 2^31 - 1, or 2^30 (whose
    sum over 1000 events overflows 32 bits). The counts disagree with Muon_pt's own entry
    offsets, which is an error naming the branch."""
    tree = uproot.open(plain)["Events"]
    branch = tree["nMuon"]
    seek, size = int(branch.member("fBasketSeek")[0]), int(branch.member("fBasketBytes")[0])
    values = struct.pack(">I", value) * 1000
    crafted = patched(plain, tmp_path / "counter.root", [(seek + size - len(values), values)])
    assert uproot.open(crafted)["Events"]["nMuon"].array(library="np").tolist() == [value] * 1000
    result = run_limited("run", REPO / "examples" / "adl" / "q5.adl", "--files", crafted, "-o", tmp_path / "out")
    assert_error(result, crafted, "nMuon")


ANCHOR_FIELDS = ["fVersionEpoch", "fVersionMajor", "fVersionMinor", "fVersionPatch", "fSeekHeader", "fNBytesHeader",
                 "fLenHeader", "fSeekFooter", "fNBytesFooter", "fLenFooter", "fMaxKeySize"]


@pytest.mark.parametrize("field", ["fLenHeader", "fLenFooter"])
def test_rntuple_envelope_claiming_a_terabyte(tmp_path, field):
    """The RNTuple anchor's uncompressed header or footer length set to 2^40, its XXH3
    checksum recomputed so that the anchor itself is valid."""
    import xxhash
    source = SHARED / "data" / "rntuple" / "ntpl001_staff_rntuple_v1-0-0-0.root"
    anchor = uproot.open(source)["Staff"]
    values = [anchor.member(name) for name in ANCHOR_FIELDS]
    fields = struct.pack(">4H7Q", *values)
    data = source.read_bytes()
    assert data.count(fields) == 1
    values[ANCHOR_FIELDS.index(field)] = 1 << 40
    hostile = struct.pack(">4H7Q", *values)
    crafted = patched(source, tmp_path / "anchor.root",
                      [(data.find(fields), hostile + struct.pack(">Q", xxhash.xxh3_64_intdigest(hostile)))])
    assert_error(run_limited("show", f"{crafted}:Staff"), crafted, "Staff")


def test_json_nested_100000_deep(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert_error(run_limited("fit", deep), deep, "nested deeper than 512")


def test_yaml_nested_100000_deep(tmp_path):
    deep = tmp_path / "deep.yml"
    deep.write_text("samples: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert_error(run_limited("run", deep, "--analysis", "dimuon"), deep, "nested deeper than 512")


def test_memory_limit_from_the_environment(plain):
    """KAON_MAX_MEMORY caps every checked buffer at half its value: 1M lets MET_pt's 4 kB
    basket and values through, 4K refuses them with an error naming the variable, 512M
    refuses the 2 GB block bomb at 268 MB; a value that is not a size is a usage error."""
    ok = run_limited("dump", f"{plain}:Events", "--branch", "MET_pt", env={**os.environ, "KAON_MAX_MEMORY": "1M"})
    assert ok.returncode == 0, ok.stderr
    assert len(json.loads(ok.stdout)["MET_pt"]) == 1000
    refused = run_limited("dump", f"{plain}:Events", "--branch", "MET_pt", env={**os.environ, "KAON_MAX_MEMORY": "4K"})
    assert_error(refused, plain, "Events", "KAON_MAX_MEMORY", "allocation budget")
    # Set, it replaces max(2 × file size, 64 MiB): 512M allows 256 MiB per buffer.
    blocks = plain.parent / "blocks-for-env.root"
    write_block_bomb(plain, blocks)
    small = run_limited("show", f"{blocks}:Events", env={**os.environ, "KAON_MAX_MEMORY": "512M"})
    assert_error(small, blocks, "allocation budget of 268 MB")
    bad = run_limited("ls", plain, env={**os.environ, "KAON_MAX_MEMORY": "lots"})
    assert bad.returncode == 64 and "KAON_MAX_MEMORY=lots" in bad.stderr, bad.stderr
