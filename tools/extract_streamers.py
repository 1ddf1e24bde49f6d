"""Extracts the StreamerInfo record (a TList of TStreamerInfo) that ROOT itself generates for
every class Kaon writes, and stores it as a generated Swift source file.

Why: ROOT checks each class's streamer checksum against its dictionary; computing those is
fragile, so Kaon embeds the exact bytes ROOT wrote. The payload contains object references
whose offsets include the key header length, so the key length ROOT used is stored too and
KaonWrite writes its StreamerInfo key with exactly that length.

Run with the peers' Python (PyROOT 6.40):
    ~/.cache/kaon/peers/bin/python tools/extract_streamers.py
which rewrites Sources/KaonWrite/Streamers/StreamerRecords.swift.
"""
import base64
import os
import struct
import sys
import tempfile
from pathlib import Path

import numpy
import ROOT

OUT = Path(__file__).resolve().parents[1] / "Sources" / "KaonWrite" / "Streamers" / "StreamerRecords.swift"


def write_sample(path):
    """A file holding one object of every class (and every leaf type) Kaon writes."""
    f = ROOT.TFile(path, "RECREATE", "", 0)  # uncompressed: the payload is taken verbatim
    h1 = ROOT.TH1D("h1", "h1", 3, 0, 1)
    h1.Sumw2()
    h1.GetXaxis().SetBinLabel(1, "a")  # labels: THashList of TObjString
    h1.Write()
    ROOT.TH2D("h2", "h2", 2, 0, 1, 2, 0, 1).Write()
    ROOT.TH3D("h3", "h3", 2, 0, 1, 2, 0, 1, 2, 0, 1).Write()
    # Every other storage type, so a copied histogram keeps its class (TH1F stays TH1F).
    for storage in "CSILF":
        getattr(ROOT, f"TH1{storage}")(f"h1{storage}", "", 2, 0, 1).Write()
        getattr(ROOT, f"TH2{storage}")(f"h2{storage}", "", 2, 0, 1, 2, 0, 1).Write()
        getattr(ROOT, f"TH3{storage}")(f"h3{storage}", "", 2, 0, 1, 2, 0, 1, 2, 0, 1).Write()
    ROOT.TProfile("p1", "p1", 2, 0, 1).Write()
    ROOT.TProfile2D("p2", "p2", 2, 0, 1, 2, 0, 1).Write()
    ROOT.TProfile3D("p3", "p3", 2, 0, 1, 2, 0, 1, 2, 0, 1).Write()
    t = ROOT.TTree("t", "t")
    keep = []  # buffers must outlive Fill
    for name, leaf, dtype in [("o", "O", "bool"), ("b", "B", "int8"), ("ub", "b", "uint8"), ("s", "S", "int16"),
                              ("us", "s", "uint16"), ("i", "I", "int32"), ("ui", "i", "uint32"), ("l", "L", "int64"),
                              ("ul", "l", "uint64"), ("f", "F", "float32"), ("d", "D", "float64"), ("n", "I", "int32")]:
        buf = numpy.zeros(4, dtype=dtype)
        keep.append(buf)
        t.Branch(name, buf, f"{name}/{leaf}")
    c = numpy.zeros(16, dtype="int8")
    keep.append(c)
    t.Branch("c", c, "c/C")
    a = numpy.zeros(4, dtype="float32")
    keep.append(a)
    t.Branch("a", a, "a[n]/F")
    for name, cls in [("vi", "int"), ("vf", "float"), ("vd", "double"), ("vl", "long long"), ("vb", "char"),
                      ("vs", "short"), ("vo", "bool"), ("vui", "unsigned int"), ("vub", "unsigned char"),
                      ("vus", "unsigned short"), ("vul", "unsigned long long"), ("vstr", "string")]:
        v = ROOT.std.vector(cls)()
        keep.append(v)
        t.Branch(name, v)
    s = ROOT.std.string()
    keep.append(s)
    t.Branch("str", s)
    t.Fill()
    t.Write()
    sub = f.mkdir("sub")
    sub.cd()
    f.Close()


def streamer_payload(path):
    data = Path(path).read_bytes()
    version = struct.unpack(">i", data[4:8])[0]
    assert version < 1000000, "sample must be a small file"
    seek_info, nbytes_info = struct.unpack(">Ii", data[37:45])
    key = data[seek_info:seek_info + nbytes_info]
    nbytes, kversion, objlen, _datime, keylen = struct.unpack(">ihiIh", key[:16])
    assert kversion < 1000, "expected a 32-bit StreamerInfo key"
    assert nbytes - keylen == objlen, "StreamerInfo must be stored uncompressed"
    names = []
    f = ROOT.TFile.Open(path)
    for info in f.GetStreamerInfoList():
        if info.IsA().GetName() == "TStreamerInfo":
            names.append(f"{info.GetName()} v{info.GetClassVersion()}")
    f.Close()
    return key[keylen:], keylen, names, version


def vector_classes(path):
    """fClassName, fCheckSum and fClassVersion of each std::vector branch ROOT made, keyed by
    the element's Kaon primitive type name (TBranchElement needs them; ROOT checks them)."""
    kaon_names = {"vi": "int32", "vf": "float32", "vd": "float64", "vl": "int64", "vb": "int8", "vs": "int16",
                  "vo": "bool", "vui": "uint32", "vub": "uint8", "vus": "uint16", "vul": "uint64",
                  "vstr": "string"}
    f = ROOT.TFile.Open(path)
    tree = f.Get("t")
    rows = []
    for branch_name, kaon in kaon_names.items():
        b = tree.GetBranch(branch_name)
        rows.append((kaon, b.GetClassName(), b.GetCheckSum(), b.GetClassVersion()))
    f.Close()
    return rows


def main():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "kaon-streamer-sample.root")
        write_sample(path)
        payload, keylen, names, version = streamer_payload(path)
        vectors = vector_classes(path)
    vector_lines = "\n".join(f'        "{kaon}": ("{cls}", {checksum}, {cversion}),' for kaon, cls, checksum, cversion in vectors)
    encoded = base64.b64encode(payload).decode()
    lines = [encoded[i:i + 100] for i in range(0, len(encoded), 100)]
    body = "\n".join(lines)
    OUT.write_text(f'''// GENERATED by tools/extract_streamers.py from a file PyROOT {ROOT.gROOT.GetVersion()} wrote. Do not edit.
//
// Classes ({len(names)}): {", ".join(names)}

/// The StreamerInfo record ROOT wrote for every class KaonWrite writes, as data.
enum StreamerRecords {{
    /// The ROOT version (fVersion of the file header) that generated the records.
    static let rootVersion = {version}
    /// The key length ROOT used for the StreamerInfo key: object references inside the
    /// payload count from the key's start, so Kaon's key must have exactly this length.
    static let keyLength = {keylen}
    /// The uncompressed payload length in bytes.
    static let payloadLength = {len(payload)}
    /// For `std::vector<T>` branches, by Kaon primitive type name: ROOT's class name,
    /// the class checksum and version it records in the TBranchElement.
    static let vectorClasses: [String: (className: String, checksum: UInt32, classVersion: Int)] = [
{vector_lines}
    ]
    /// The payload (a TList of TStreamerInfo), base64-encoded: a string literal compiles far
    /// faster than a large array literal.
    static let payloadBase64 = """
{body}
"""
}}
''')
    print(f"wrote {OUT}: {len(payload)} bytes, keylen {keylen}, {len(names)} classes")
    print(", ".join(names))


if __name__ == "__main__":
    main()
