"""A file beyond 2 GB (big-file header, 64-bit keys and seeks), written by ROOT in the test
run, is listed and its tree (stored after the 2 GB mark) read identically to uproot."""
import subprocess
import sys
from pathlib import Path

import awkward as ak
import uproot

from conftest import kaon, kaon_json


def test_big_file_written_by_root(tmp_path):
    out = tmp_path / "big.root"
    script = Path(__file__).parent / "fixtures" / "make_big_file.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True, timeout=600)
    assert out.stat().st_size > 2**31

    listing = kaon("ls", out).stdout.splitlines()
    assert [line.split("\t")[0] for line in listing] == [f"filler{k};1" for k in range(5)] + ["t;1"]

    tree = uproot.open(out)["t"]
    dumped = kaon_json("dump", f"{out}:t")
    for name in ("x", "n", "v"):
        assert dumped[name] == ak.to_list(tree[name].array()), name
    out.unlink()
