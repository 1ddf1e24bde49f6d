"""Statistical inference on pyhf JSON workspaces, through KaonInference: `kaon.Workspace`,
`kaon.fit`, `kaon.cls`, `kaon.limit`. Results are plain Python numbers and NumPy arrays.

The model follows pyhf's (HistFactory modifiers, constraints, normsys code4 and histosys
code4p by default); parameters are ordered and named as Kaon's CLI names them (`name` or
`name[i]` for a parameter set), the order of pyhf's `par_order`."""

import ctypes
import json
import os
import weakref
from typing import NamedTuple

import numpy

from ._library import _declare, call, call_json, encode, lib

_declare("kaon_workspace_open", [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)])
_declare("kaon_workspace_free", [ctypes.c_void_p], None)
_declare("kaon_workspace_json", [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)])
_declare("kaon_workspace_fit", [ctypes.c_void_p, ctypes.c_int32, ctypes.c_double, ctypes.POINTER(ctypes.c_void_p),
                                ctypes.POINTER(ctypes.c_void_p)])
_declare("kaon_workspace_cls", [ctypes.c_void_p, ctypes.c_double, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p),
                                ctypes.POINTER(ctypes.c_void_p)])
_declare("kaon_workspace_limit", [ctypes.c_void_p, ctypes.c_double, ctypes.c_double, ctypes.POINTER(ctypes.c_void_p),
                                  ctypes.POINTER(ctypes.c_void_p)])


def _document(value, what):
    """JSON text of a workspace or patch given as a dict/list, JSON text, or a file path."""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, os.PathLike) or (isinstance(value, str) and not value.lstrip().startswith(("{", "["))):
        with open(os.fspath(value), encoding="utf-8") as file:
            return file.read()
    if isinstance(value, str):
        return value
    raise TypeError(f"{what} must be a dict, JSON text or a file path, not {type(value).__name__}")


class Workspace:
    """The model of a pyhf workspace and its observed data.

    spec: the workspace (a dict as `json.load` gives, JSON text, or a path to a .json file).
    patches: JSON patches applied first (RFC 6902 lists or pyhf patchsets; same forms as spec);
        patch_name picks a patch of a patchset.
    measurement: the measurement to use (default the first).
    fix: {parameter name: value} held constant in every fit (pyhf's fixed_params).
    normsys, histosys: the interpolation codes ("code4"/"code1", "code4p"/"code0").
    """

    def __init__(self, spec, *, patches=(), patch_name=None, measurement=None, fix=None, normsys="code4",
                 histosys="code4p"):
        options = {"patches": [json.loads(_document(patch, "a patch")) for patch in patches], "patch_name": patch_name,
                   "measurement": measurement, "fix": dict(fix or {}), "normsys": normsys, "histosys": histosys}
        handle = ctypes.c_void_p()
        call(lib.kaon_workspace_open, encode(_document(spec, "the workspace")), encode(json.dumps(options)),
             ctypes.byref(handle))
        self._handle = handle
        self._release = weakref.finalize(self, lib.kaon_workspace_free, ctypes.c_void_p(handle.value))
        info = call_json(lib.kaon_workspace_json, handle)
        self.parameters = info["parameters"]
        self.poi = info["poi"]
        self.poi_index = info["poi_index"]
        self.inits = numpy.array(info["inits"], dtype=numpy.float64)
        self.bounds = numpy.array(info["bounds"], dtype=numpy.float64).reshape(-1, 2)
        self.fixed = numpy.array(info["fixed"], dtype=bool)
        self.channels = {channel["name"]: channel["bins"] for channel in info["channels"]}
        self.observed = numpy.array(info["observed"], dtype=numpy.float64)

    def __repr__(self):
        return f"<kaon.Workspace POI {self.poi!r}, {len(self.parameters)} parameters, {len(self.channels)} channels>"


class FitResult(NamedTuple):
    """A maximum-likelihood fit: best-fit values, uncertainties and correlations in the order of
    `parameters` (uncertainties and correlations empty with uncertainties=False)."""
    bestfit: numpy.ndarray
    uncertainties: numpy.ndarray
    correlations: numpy.ndarray
    twice_nll: float
    converged: bool
    iterations: int
    parameters: list

    def __getitem__(self, key):
        """By parameter name: (value, uncertainty); by position as a tuple."""
        if isinstance(key, str):
            index = self.parameters.index(key)
            return float(self.bestfit[index]), (float(self.uncertainties[index]) if len(self.uncertainties) else None)
        return tuple.__getitem__(self, key)


class CLsResult(NamedTuple):
    """An asymptotic hypothesis test: observed CLs, the expected band (−2σ … +2σ), CLs+b, CLb
    and the test statistic on the data and on the Asimov data. (For q0: the p-values.)"""
    cls_obs: float
    cls_exp: numpy.ndarray
    clsb: float
    clb: float
    qmu: float
    qmu_A: float


class LimitResult(NamedTuple):
    """Upper limits on the POI at CL 1 − alpha: observed, expected (−2σ … +2σ), and every POI
    value tested with its observed (NaN where only the expected was needed) and expected CLs."""
    observed: float
    expected: numpy.ndarray
    tested_poi: numpy.ndarray
    tested_cls_obs: numpy.ndarray
    tested_cls_exp: numpy.ndarray


def _workspace(ws):
    return ws if isinstance(ws, Workspace) else Workspace(ws)


def fit(ws, *, uncertainties=True, poi=None):
    """The maximum-likelihood fit to the observed data (`poi` given: with the POI held there).
    `ws` is a kaon.Workspace or anything Workspace takes."""
    ws = _workspace(ws)
    result = call_json(lib.kaon_workspace_fit, ws._handle, int(bool(uncertainties)), float("nan") if poi is None else float(poi))
    return FitResult(numpy.array(result["parameters"], dtype=numpy.float64),
                     numpy.array(result["uncertainties"], dtype=numpy.float64),
                     numpy.array(result["correlations"], dtype=numpy.float64).reshape(len(result["correlations"]),
                                                                                     len(result["correlations"])),
                     float(result["twice_nll"]), bool(result["converged"]), int(result["iterations"]), list(ws.parameters))


def cls(ws, mu=1.0, *, test_stat="qtilde"):
    """The asymptotic CLs test of POI value `mu` (pyhf.infer.hypotest with
    return_expected_set=True, calctype asymptotics); test_stat "qtilde", "q" or "q0"."""
    ws = _workspace(ws)
    result = call_json(lib.kaon_workspace_cls, ws._handle, float(mu), encode(test_stat))
    return CLsResult(float(result["CLs_obs"]), numpy.array(result["CLs_exp"], dtype=numpy.float64), float(result["CLsb"]),
                     float(result["CLb"]), float(result["qmu"]), float(result["qmu_A"]))


def limit(ws, *, alpha=0.05, rtol=1e-6):
    """Observed and expected upper limits on the POI at CL 1 − alpha, found by root finding as
    pyhf's upper_limit(scan=None) does (rtol: the relative tolerance on each limit)."""
    ws = _workspace(ws)
    result = call_json(lib.kaon_workspace_limit, ws._handle, float(alpha), float(rtol))
    tested = result["tested"]
    return LimitResult(float(result["observed"]), numpy.array(result["expected"], dtype=numpy.float64),
                       numpy.array([test["mu"] for test in tested], dtype=numpy.float64),
                       numpy.array([test["CLs_obs"] for test in tested], dtype=numpy.float64),
                       numpy.array([test["CLs_exp"] for test in tested], dtype=numpy.float64).reshape(len(tested), 5))
