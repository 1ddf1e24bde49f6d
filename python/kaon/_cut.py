"""`tree.arrays(cut=...)` with uproot's cut semantics, evaluated by Kaon's expression engine.

uproot's cut is a Python expression over branch names with NumPy semantics — `(nMuon >= 2) &
(MET_pt > 20)`, `abs(Jet_eta[:, 0]) < 2.4` — whose value selects entries (a boolean per
entry) or, for a jagged cut with library="ak", items inside lists (awkward's masking).
Kaon evaluates it with KaonEngine's expression language (`kaon draw --where`), so the cut is
translated from Python's syntax tree into that language here: `&`/`and` → `&&`, `|`/`or` →
`||`, `~`/`not` → `!`, chained comparisons → `&&` of pairs, `x[:, k]` (the k-th item of each
list) → `x[k]`, and uproot's math functions to Kaon's. What the engine cannot evaluate
raises NotImplementedError naming the construct; a cut is never ignored.

Values are computed in double precision, as Kaon's engine does: a comparison of a float32
branch with a literal that float32 cannot represent (`x == 0.1`) may differ from NumPy's, and
`%` follows C's fmod (the sign of the dividend) where NumPy follows the divisor.
"""

import ast
import ctypes

import numpy

from ._arrays import _Column, to_awkward_layout
from ._library import _declare, call, encode, lib

_declare("kaon_tree_cut", [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int64, ctypes.c_int64, ctypes.c_int32,
                           ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)])

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "%", ast.Pow: "**",
           ast.BitAnd: "&&", ast.BitOr: "||"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
# uproot's default function names (uproot.language.python.PythonLanguage) → Kaon's.
_FUNCTIONS = {"abs": "abs", "absolute": "abs", "fabs": "abs", "sqrt": "sqrt", "exp": "exp", "log": "log",
              "log10": "log10", "sin": "sin", "cos": "cos", "tan": "tan", "asin": "asin", "arcsin": "asin",
              "acos": "acos", "arccos": "acos", "atan": "atan", "arctan": "atan", "sinh": "sinh", "cosh": "cosh",
              "tanh": "tanh", "floor": "floor", "ceil": "ceil", "atan2": "atan2", "arctan2": "atan2",
              "hypot": "hypot", "fmin": "min", "fmax": "max"}
_LOGICAL = {"logical_and": "&&", "logical_or": "||"}


def kaon_expression(cut, where):
    """The Kaon expression text of the uproot cut `cut`; `where` (file: tree) prefixes errors."""
    try:
        tree = ast.parse(cut, mode="eval")
    except SyntaxError as error:
        raise SyntaxError(f"{where}: cut {cut!r} is not a Python expression: {error.msg}") from None
    return _translate(tree.body, cut, where)


def _refuse(node, cut, where, what):
    text = ast.get_source_segment(cut, node) or ast.dump(node)
    raise NotImplementedError(f"{where}: cut {cut!r}: {what} ({text!r}) cannot be evaluated by Kaon's expression engine")


def _translate(node, cut, where):
    def inner(child):
        return _translate(child, cut, where)

    if isinstance(node, ast.Constant) and isinstance(node.value, (bool, int, float)):
        return repr(float(node.value))
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        dotted = _dotted(node)
        if dotted is None:
            _refuse(node, cut, where, "an attribute")
        return dotted
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return f"({inner(node.left)} {_BINARY[type(node.op)]} {inner(node.right)})"
    if isinstance(node, ast.BoolOp):
        operator = " && " if isinstance(node.op, ast.And) else " || "
        return "(" + operator.join(inner(value) for value in node.values) + ")"
    if isinstance(node, ast.UnaryOp):
        symbol = {ast.USub: "-", ast.UAdd: "+", ast.Not: "!", ast.Invert: "!"}[type(node.op)]
        return f"({symbol}{inner(node.operand)})"
    if isinstance(node, ast.Compare):
        operands = [node.left, *node.comparators]
        pairs = []
        for operator, left, right in zip(node.ops, operands, operands[1:]):
            if type(operator) not in _COMPARE:
                _refuse(node, cut, where, "the comparison operator")
            pairs.append(f"({inner(left)} {_COMPARE[type(operator)]} {inner(right)})")
        return pairs[0] if len(pairs) == 1 else "(" + " && ".join(pairs) + ")"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        name = node.func.id
        if name in _LOGICAL and len(node.args) == 2:
            return f"({inner(node.args[0])} {_LOGICAL[name]} {inner(node.args[1])})"
        if name in _FUNCTIONS:
            return f"{_FUNCTIONS[name]}(" + ", ".join(inner(argument) for argument in node.args) + ")"
        _refuse(node, cut, where, f"the function {name}")
    if isinstance(node, ast.Subscript):
        # awkward's x[:, k] is the k-th item of every list (Kaon's x[k]); x[k] alone is entry k.
        index = node.slice
        if isinstance(index, ast.Tuple) and len(index.elts) == 2 and isinstance(index.elts[0], ast.Slice) \
                and index.elts[0].lower is None and index.elts[0].upper is None and index.elts[0].step is None \
                and isinstance(index.elts[1], ast.Constant) and isinstance(index.elts[1].value, int) \
                and index.elts[1].value >= 0:
            return f"{inner(node.value)}[{index.elts[1].value}]"
        _refuse(node, cut, where, "indexing other than x[:, k] with k ≥ 0")
    _refuse(node, cut, where, f"a {type(node).__name__}")


def _dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def cut_mask(tree, cut, start, stop, threads):
    """The cut over entries start..stop of `tree`: a NumPy bool array (one per entry), or an
    awkward jagged bool array when the cut selects items of lists."""
    where = f"{tree.file.file_path}: {tree.object_path}"
    expression = kaon_expression(cut, where)
    handle = ctypes.c_void_p()
    call(lib.kaon_tree_cut, tree._handle, encode(expression), start, stop, threads, ctypes.byref(handle))
    column = _Column(handle.value)
    if column.levels == 0:
        return column.values().astype(bool, copy=False)
    import awkward

    return awkward.Array(to_awkward_layout(column))


def apply_cut(arrays, mask, library, where):
    """`arrays` (a dict of NumPy arrays, or an awkward array) with only the entries (or items)
    `mask` keeps, as uproot applies a cut."""
    if isinstance(mask, numpy.ndarray):
        if library == "ak":
            return arrays[mask]
        return {name: array[mask] for name, array in arrays.items()}
    if library != "ak":
        raise NotImplementedError(f"{where}: a cut that selects items of lists (a jagged cut) needs library='ak'; "
                                  "with library='np' reduce it per entry, e.g. with any/all in awkward")
    return arrays[mask]
