#!/usr/bin/env python3
"""Reference check of Kaon's histograms against boost-histogram and hist.

Usage: hist_reference.py DIR

DIR is written by the Swift test `PeerComparisonTests` (Tests/KaonHistTests): `data.json`
holds the input columns (deterministic SplitMix64 data plus edge values, NaN, ±inf),
`cases.json` describes each case (the empty histogram's axes as UHI JSON, which columns
to fill, weights, samples, and operations), and `kaon/NAME.json` (and `kaon/NAME__OP.json`)
are Kaon's results as UHI JSON.

For every case this script fills a boost-histogram histogram with the same data, applies
the same operations, and compares bin for bin with Kaon's JSON: axis descriptions and
every storage array of `boost_histogram.serialization.to_uhi` must be identical (bitwise,
NaN equal to NaN). It also loads every Kaon file with `hist.Hist` through
`uhi.io.json.object_hook` (and validates it against uhi's JSON schema when `jsonschema`
is installed). Exit status 0 when all agree; 1 with a readable diff otherwise.
"""
import json
import sys
from pathlib import Path

import boost_histogram as bh
import hist
import numpy as np
import uhi.io.json
from boost_histogram.serialization import from_uhi, to_uhi

AXIS_KEYS = ("type", "lower", "upper", "bins", "edges", "categories", "underflow", "overflow", "flow", "circular")


def load_kaon(path):
    text = path.read_text()
    return text, json.loads(text)


def schema_validator():
    try:
        import jsonschema
        from importlib import resources
    except ImportError:
        return None
    schema = json.loads(resources.files("uhi.resources").joinpath("histogram.schema.json").read_text())
    return jsonschema.Draft7Validator(schema)


def same_array(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False, f"shape {a.shape} != {b.shape}"
    both_nan = np.isnan(a) & np.isnan(b)
    differ = ~(both_nan | (a == b))
    if differ.any():
        where = np.argwhere(differ)[:8]
        rows = "\n".join(f"      at {tuple(int(i) for i in w)}: kaon={a[tuple(w)]!r} boost={b[tuple(w)]!r}" for w in where)
        return False, f"{int(differ.sum())} of {a.size} cells differ:\n{rows}"
    return True, ""


def compare(name, kaon, ref):
    """Differences between Kaon's UHI dict and boost-histogram's for the same histogram."""
    problems = []
    if len(kaon["axes"]) != len(ref["axes"]):
        return [f"{name}: {len(kaon['axes'])} axes, boost-histogram has {len(ref['axes'])}"]
    for k, (ka, ra) in enumerate(zip(kaon["axes"], ref["axes"])):
        for key in AXIS_KEYS:
            kv, rv = ka.get(key), ra.get(key)
            if isinstance(kv, (list, np.ndarray)) or isinstance(rv, (list, np.ndarray)):
                if list(np.asarray(kv).tolist() if kv is not None else []) != list(np.asarray(rv).tolist() if rv is not None else []):
                    problems.append(f"{name}: axis {k} {key}: kaon={kv} boost={rv}")
            elif kv != rv:
                problems.append(f"{name}: axis {k} {key}: kaon={kv!r} boost={rv!r}")
    ks, rs = kaon["storage"], ref["storage"]
    if ks["type"] != rs["type"]:
        problems.append(f"{name}: storage {ks['type']} != {rs['type']}")
        return problems
    for key in rs:
        if key == "type":
            continue
        if key not in ks:
            problems.append(f"{name}: storage lacks {key}")
            continue
        ok, why = same_array(ks[key], rs[key])
        if not ok:
            problems.append(f"{name}: storage {key}: {why}")
    return problems


def fill_reference(case, data):
    empty = json.loads(json.dumps(case["initial"]), object_hook=uhi.io.json.object_hook)
    h = from_uhi(empty)
    h.reset()
    cols = []
    for col in case["columns"]:
        values = data[col["data"]]
        kind = col["kind"]
        if kind == "real":
            cols.append(np.asarray(values, dtype=np.float64))
        elif kind == "real32":
            with np.errstate(over="ignore"):  # 1e300 becomes inf in float32, as in Swift's Float(_:)
                cols.append(np.asarray(values, dtype=np.float32))
        elif kind == "int":
            cols.append(np.asarray(values, dtype=np.int64))
        elif kind == "bool":
            cols.append(np.asarray(values, dtype=bool))
        else:
            cols.append(list(values))
    kwargs = {}
    if case.get("weights"):
        kwargs["weight"] = np.asarray(data[case["weights"]], dtype=np.float64)
    if case.get("samples"):
        kwargs["sample"] = np.asarray(data[case["samples"]], dtype=np.float64)
    h.fill(*cols, **kwargs)
    return h


def apply_op(h, op):
    kind, *args = op.split(":")
    rank = len(h.axes)
    if kind == "project":
        return h.project(*[int(a) for a in args[0].split(",")])
    if kind == "scale":
        return h * float(args[0])
    if kind == "add":
        return h + h
    index = [slice(None)] * rank
    axis = int(args[0])
    if kind == "slice":
        index[axis] = slice(int(args[1]), int(args[2]))
    elif kind == "rebin":
        index[axis] = slice(None, None, bh.rebin(int(args[1])))
    elif kind == "select":
        value = args[1]
        ax = h.axes[axis]
        if isinstance(ax, bh.axis.IntCategory):
            value = int(value)
        elif not isinstance(ax, bh.axis.StrCategory):
            value = float(value)
        index[axis] = bh.loc(value)
    else:
        raise ValueError(f"unknown operation {op}")
    return h[tuple(index)]


def main(out):
    out = Path(out)
    data = json.loads((out / "data.json").read_text())
    cases = json.loads((out / "cases.json").read_text())
    validator = schema_validator()
    problems = []
    checked = 0
    for case in cases:
        ref = fill_reference(case, data)
        targets = [(case["name"], ref)] + [(f"{case['name']}__{op.replace(':', '_').replace(',', '-')}", apply_op(ref, op)) for op in case.get("ops", [])]
        for name, expected in targets:
            path = out / "kaon" / f"{name}.json"
            if not path.exists():
                problems.append(f"{name}: Kaon wrote no {path.name}")
                continue
            text, kaon = load_kaon(path)
            if validator is not None:
                for error in validator.iter_errors(kaon):
                    problems.append(f"{name}: not valid UHI JSON: {error.message}")
            problems += compare(name, kaon, to_uhi(expected))
            # The documented loader: JSON with uhi's object hook, then the Hist constructor.
            loaded = hist.Hist(json.loads(text, object_hook=uhi.io.json.object_hook))
            for method in ("values", "counts"):
                ok, why = same_array(getattr(loaded, method)(flow=True), getattr(expected, method)(flow=True))
                if not ok:
                    problems.append(f"{name}: hist.Hist(kaon json).{method}(): {why}")
            # UHI JSON does not record boost-histogram's "variance unknown" state (after scaling
            # or adding a counting histogram), so compare variances only where they are known.
            lv, ev = loaded.variances(flow=True), expected.variances(flow=True)
            if ev is not None and (lv is None or not np.allclose(lv, ev, rtol=1e-12, atol=0, equal_nan=True)):
                problems.append(f"{name}: hist.Hist(kaon json).variances() differs")
            checked += 1
    if problems:
        print(f"hist_reference: {len(problems)} difference(s) between Kaon and boost-histogram {bh.__version__}:")
        for p in problems:
            print("  - " + p)
        return 1
    print(f"hist_reference: {checked} histograms identical to boost-histogram {bh.__version__} (hist {hist.__version__})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
