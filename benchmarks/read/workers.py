"""The peer workloads of the read benchmark, one per child process.

run.py starts each measurement as a fresh process:

    python workers.py uproot FILE TREE ak|np
    python workers.py rdf FILE TREE THREADS
    python workers.py decompress FILE TREE

Every worker does its untimed set-up (imports, opening the file, JIT), times only the
read itself, and prints one JSON line on stdout: {"seconds": ..., "entries": ...}.
The parent measures the process wall time and peak RSS around it.

This module also provides `basket_inventory`, which run.py uses to count the bytes
that every row of the table has to read.
"""
from __future__ import annotations

import json
import lzma
import os
import struct
import sys
import time
import zlib
from dataclasses import dataclass

# One TKey header, as it starts every basket on disk: fNbytes, fVersion, fObjlen, fDatime, fKeylen.
KEY_HEADER = struct.Struct(">iHiIH")
# One ROOT compression block header: algorithm tag, method, then 3-byte little-endian
# compressed and uncompressed sizes.
BLOCK_HEADER_SIZE = 9
LZ4_CHECKSUM_SIZE = 8


@dataclass(frozen=True)
class Basket:
    seek: int
    nbytes: int  # key + compressed payload, as in TBranch::fBasketBytes


@dataclass(frozen=True)
class Inventory:
    entries: int
    branches: int
    baskets: list[Basket]
    compressed_bytes: int  # payloads only (without the key headers)
    uncompressed_bytes: int  # sum of fObjlen over all baskets
    embedded_baskets: int  # baskets kept inside the TTree object (not counted above)


def basket_inventory(path: str, tree_name: str) -> Inventory:
    """Every basket written for every branch of the tree, and their total sizes.

    Uses uproot only for the TBranch metadata (fBasketSeek, fBasketBytes, fWriteBasket);
    the sizes come from each basket's own TKey header.
    """
    import uproot

    with uproot.open(path) as f:
        tree = f[tree_name]
        entries = tree.num_entries
        branches = list(tree.itervalues(recursive=True))
        baskets, embedded = [], 0
        for branch in branches:
            n = branch.member("fWriteBasket")
            seeks = branch.member("fBasketSeek")[:n]
            sizes = branch.member("fBasketBytes")[:n]
            baskets.extend(Basket(int(s), int(b)) for s, b in zip(seeks, sizes))
            embedded += len(branch.embedded_baskets or [])
    baskets.sort(key=lambda b: b.seek)

    compressed = uncompressed = 0
    fd = os.open(path, os.O_RDONLY)
    try:
        for basket in baskets:
            nbytes, _, objlen, _, keylen = KEY_HEADER.unpack(os.pread(fd, KEY_HEADER.size, basket.seek))
            compressed += nbytes - keylen
            uncompressed += objlen
    finally:
        os.close(fd)
    return Inventory(entries, len(branches), baskets, compressed, uncompressed, embedded)


def _block_decompressors():
    import cramjam

    return {
        b"ZS": lambda data, size: cramjam.zstd.decompress(data, output_len=size),
        b"XZ": lambda data, size: lzma.decompress(data, format=lzma.FORMAT_XZ),
        b"ZL": lambda data, size: zlib.decompress(data, bufsize=size),
        b"L4": lambda data, size: cramjam.lz4.decompress_block(data[LZ4_CHECKSUM_SIZE:], output_len=size),
    }


def decompress_baskets(path: str, baskets: list[Basket]) -> int:
    """Read and decompress every basket (in file order); returns the uncompressed bytes."""
    codecs = _block_decompressors()
    total = 0
    fd = os.open(path, os.O_RDONLY)
    try:
        for basket in baskets:
            raw = os.pread(fd, basket.nbytes, basket.seek)
            nbytes, _, objlen, _, keylen = KEY_HEADER.unpack_from(raw)
            payload = memoryview(raw)[keylen:nbytes]
            if objlen == len(payload):  # stored uncompressed
                total += objlen
                continue
            pos = 0
            while pos < len(payload):
                header = payload[pos:pos + BLOCK_HEADER_SIZE]
                tag = bytes(header[:2])
                csize = header[3] | header[4] << 8 | header[5] << 16
                usize = header[6] | header[7] << 8 | header[8] << 16
                block = payload[pos + BLOCK_HEADER_SIZE:pos + BLOCK_HEADER_SIZE + csize]
                if tag not in codecs:
                    raise SystemExit(f"{path}: basket at {basket.seek}: unsupported compression {tag!r}")
                out = codecs[tag](block, usize)
                if len(out) != usize:
                    raise SystemExit(f"{path}: basket at {basket.seek}: got {len(out)} bytes, expected {usize}")
                total += usize
                pos += BLOCK_HEADER_SIZE + csize
    finally:
        os.close(fd)
    return total


def run_decompress(path: str, tree_name: str) -> dict:
    inventory = basket_inventory(path, tree_name)
    start = time.perf_counter()
    total = decompress_baskets(path, inventory.baskets)
    seconds = time.perf_counter() - start
    if total != inventory.uncompressed_bytes:
        raise SystemExit(f"{path}: decompressed {total} bytes, the keys say {inventory.uncompressed_bytes}")
    return {"seconds": seconds, "uncompressed_bytes": total, "baskets": len(inventory.baskets)}


def run_uproot(path: str, tree_name: str, library: str) -> dict:
    import uproot
    import awkward  # noqa: F401  (imported before the clock starts, like uproot)
    import numpy  # noqa: F401

    start = time.perf_counter()
    with uproot.open(path) as f:
        tree = f[tree_name]
        arrays = tree.arrays(library=library)
        entries = tree.num_entries
    seconds = time.perf_counter() - start
    columns = len(arrays.fields) if library == "ak" else len(arrays)
    return {"seconds": seconds, "entries": entries, "columns": columns}


# RDataFrame reads each column through one jitted Define that adds up every value of every
# column (all elements of the RVec columns), and one Sum action: a single event loop that
# touches everything, with as little per-column bookkeeping as RDF allows.
RDF_HELPERS = """
namespace kaon_bench {
template <typename T> double touch(const ROOT::RVec<T> &v) { double s = 0; for (auto x : v) s += x; return s; }
template <typename T> double touch(T x) { return double(x); }
}
"""


def run_rdf(path: str, tree_name: str, threads: int) -> dict:
    import ROOT

    ROOT.gROOT.SetBatch(True)
    if threads > 1:
        ROOT.EnableImplicitMT(threads)
    # RDF logs its JIT time and its event loop time separately (on stderr); run.py reads them.
    verbosity = ROOT.RLogScopedVerbosity(ROOT.Detail.RDF.RDFLogChannel(), ROOT.ELogLevel.kLogInfo)  # noqa: F841
    if not ROOT.gInterpreter.Declare(RDF_HELPERS):
        raise SystemExit("could not declare the RDataFrame helpers")
    df = ROOT.RDataFrame(tree_name, path)
    columns = [str(c) for c in df.GetColumnNames()]
    expression = " + ".join(f"kaon_bench::touch({c})" for c in columns)
    total = df.Define("kaon_bench_all", expression).Sum("kaon_bench_all")
    count = df.Count()
    start = time.perf_counter()
    total.GetValue()  # one event loop runs both actions; includes RDF's JIT
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "entries": int(count.GetValue()), "columns": len(columns),
            "threads": threads}


def main(argv: list[str]) -> None:
    kind, path, tree_name, *rest = argv
    if kind == "uproot":
        result = run_uproot(path, tree_name, rest[0])
    elif kind == "rdf":
        result = run_rdf(path, tree_name, int(rest[0]))
    elif kind == "decompress":
        result = run_decompress(path, tree_name)
    else:
        raise SystemExit(f"unknown worker {kind!r}")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
