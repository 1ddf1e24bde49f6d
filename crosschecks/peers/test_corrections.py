"""`kaon correction` against correctionlib 2.9 (the C++ evaluator behind its Python API).

The AGC's corrections.json and corrections generated here with correctionlib.schemav2
(every node type, every flow behaviour, every formula operator and function) are evaluated
by both over the same inputs: random values plus bin edges, out-of-range values, NaN and
unknown category keys. Values must agree exactly, formulas within 1e-12 relative (both call
the same libm; the tolerance only covers a different association an optimiser might pick).
"""
import gzip
import json
import math
import random

import correctionlib
import correctionlib.schemav2 as cs
import pytest

from conftest import SHARED, kaon

AGC = SHARED / "data" / "agc" / "corrections.json"


def real(name):
    return cs.Variable(name=name, type="real")


def integer(name):
    return cs.Variable(name=name, type="int")


def string(name):
    return cs.Variable(name=name, type="string")


def correction(name, inputs, data, **extra):
    return cs.Correction(name=name, version=1, inputs=inputs, output=real("out"), data=data, **extra)


def binning(edges, content, flow, input="x"):
    return cs.Binning(nodetype="binning", input=input, edges=edges, content=content, flow=flow)


def formula(expression, variables=("x",), parameters=None):
    return cs.Formula(nodetype="formula", expression=expression, parser="TFormula", variables=list(variables),
                      parameters=parameters)


FUNCTIONS = ["log", "log10", "exp", "erf", "sqrt", "abs", "cos", "sin", "tan", "acos", "asin", "atan", "cosh", "sinh",
             "tanh", "acosh", "asinh", "atanh"]
# Operators, precedence and associativity, unary minus, literals, parameters, x[i] variables.
EXPRESSIONS = [f"{f}(x)" for f in FUNCTIONS] + [
    "1.0 + (x*0.075 / 50)", "x - y - 0.5", "x / y / 3", "x ^ y ^ 0.5", "-x^2", "2*-3 + x", "x - -y", "-(x+y)*[0]",
    "[0] + [1]*x + [2]*x*x", "atan2(x, y)", "pow(x, [1])", "max(x, y) - min(x, [0])", "x > y", "x < y", "x >= 0.5",
    "x <= y", "x == y", "x != y", "x > 0.5 && y > 0.5", "x > 0.5 || y > 0.5 && x < 0.2", "1.e2 * x + 1e-3",
    "x[0] * x[1] + z", "t / 2 + x", "exp (x) * abs(-y)",
]


def generated_set():
    x, y, z, t = real("x"), real("y"), real("z"), real("t")
    n, s = integer("n"), string("s")
    edges = [0.0, 0.25, 0.5, 1.0]
    corrections = [
        correction("binning_clamp", [x], binning(edges, [1.0, 2.0, 3.0], "clamp")),
        correction("binning_error", [x], binning(edges, [1.0, 2.0, 3.0], "error")),
        correction("binning_value", [x], binning(edges, [1.0, 2.0, 3.0], -7.5)),
        correction("binning_wrap", [x], binning(edges, [1.0, 2.0, 3.0], "wrap")),
        correction("binning_node_flow", [x, y], binning(edges, [1.0, formula("2*x", ("y",)), 3.0], binning([0.0, 1.0], [9.0], "clamp", "y"))),
        correction("binning_inf", [x], binning(["-inf", 0.0, 0.5, "inf"], [1.0, 2.0, 3.0], "error")),
        correction("binning_int_input", [n], binning([-1.0, 1.0, 3.0, 10.0], [1.0, 2.0, 3.0], "clamp", "n")),
        correction("uniform_clamp", [x], binning(cs.UniformBinning(n=7, low=0.1, high=0.8), list(range(7)), "clamp")),
        correction("uniform_error", [x], binning(cs.UniformBinning(n=7, low=0.1, high=0.8), list(range(7)), "error")),
        correction("uniform_value", [x], binning(cs.UniformBinning(n=7, low=0.1, high=0.8), list(range(7)), 42.0)),
        correction("uniform_wrap", [x], binning(cs.UniformBinning(n=7, low=0.1, high=0.8), list(range(7)), "wrap")),
        correction("multibinning", [x, y, n], cs.MultiBinning(
            nodetype="multibinning", inputs=["x", "n", "y"],
            edges=[edges, cs.UniformBinning(n=2, low=0, high=4), [0.0, 0.3, 1.0]],
            content=[float(i) for i in range(12)], flow=-1.0)),
        correction("multibinning_clamp", [x, y], cs.MultiBinning(
            nodetype="multibinning", inputs=["x", "y"], edges=[edges, cs.UniformBinning(n=3, low=0.0, high=1.0)],
            content=[formula(f"x + {i}") for i in range(9)], flow="clamp")),
        correction("multibinning_error", [x, y], cs.MultiBinning(
            nodetype="multibinning", inputs=["x", "y"], edges=[edges, [0.0, 0.5, 1.0]],
            content=[float(i) for i in range(6)], flow="error")),
        correction("category_int", [n], cs.Category(nodetype="category", input="n", content=[
            cs.CategoryItem(key=k, value=float(k) * 1.5) for k in (-1, 0, 1, 2, 5)], default=99.0)),
        correction("category_int_strict", [n], cs.Category(nodetype="category", input="n", content=[
            cs.CategoryItem(key=k, value=float(k)) for k in (0, 1, 2, 3, 4, 5)])),
        correction("category_string", [s, x], cs.Category(nodetype="category", input="s", content=[
            cs.CategoryItem(key="up", value=formula("1 + x")), cs.CategoryItem(key="down", value=formula("1 - x")),
            cs.CategoryItem(key="nominal", value=1.0)], default=binning(edges, [4.0, 5.0, 6.0], "clamp"))),
        correction("category_string_strict", [s], cs.Category(nodetype="category", input="s", content=[
            cs.CategoryItem(key=k, value=float(i)) for i, k in enumerate(("up", "down", "nominal"))])),
        correction("formularef", [x, y], cs.Binning(nodetype="binning", input="y", edges=[0.0, 0.5, 1.0], flow="clamp",
                                                    content=[cs.FormulaRef(nodetype="formularef", index=0, parameters=[1.5, 2.0]),
                                                             cs.FormulaRef(nodetype="formularef", index=1, parameters=[0.5])]),
                   generic_formulas=[formula("[0] + [1]*x"), formula("sqrt(x*x + [0])")]),
        correction("transform_real", [x, y], cs.Transform(nodetype="transform", input="x", rule=formula("abs(x) * 0.5"),
                                                          content=binning(edges, [1.0, 2.0, formula("x + y", ("x", "y"))], "clamp"))),
        correction("transform_int", [n, x], cs.Transform(nodetype="transform", input="n", rule=formula("x * 4"),
                                                         content=cs.Category(nodetype="category", input="n", content=[
                                                             cs.CategoryItem(key=k, value=float(k) + 0.5) for k in range(5)],
                                                             default=-2.0))),
        correction("hashprng_stdflat", [x, n], cs.HashPRNG(nodetype="hashprng", inputs=["x", "n"], distribution="stdflat")),
        correction("hashprng_stdnormal", [x, y, n], cs.HashPRNG(nodetype="hashprng", inputs=["n", "y", "x"],
                                                                distribution="stdnormal")),
        correction("hashprng_normal", [x], cs.HashPRNG(nodetype="hashprng", inputs=["x"], distribution="normal")),
        correction("stack_a", [x, y], formula("1 + 0.1*x + 0.01*y", ("x", "y"))),
        correction("stack_b", [x], binning(edges, [1.1, 0.9, 1.05], "clamp")),
    ]
    for i, expression in enumerate(EXPRESSIONS):
        corrections.append(correction(f"formula_{i}", [x, y, z, t], formula(expression, ("x", "y", "z", "t"), [0.3, 2.0, -1.25])))
    compounds = [
        cs.CompoundCorrection(name=f"compound_{label}", inputs=[x, y], output=real("out"), inputs_update=["x"], input_op=iop,
                              output_op=op, stack=["stack_a", "stack_b", "stack_a"])
        for label, op, iop in (("times", "*", "*"), ("plus", "+", "+"), ("divide", "/", "/"), ("last", "last", "*"))]
    return cs.CorrectionSet(schema_version=2, corrections=corrections, compound_corrections=compounds)


def random_value(variable, rng):
    if variable.type == "int":
        return rng.choice([-3, -1, 0, 1, 2, 3, 4, 5, 7, 11])
    if variable.type == "string":
        return rng.choice(["up", "down", "nominal", "other"])
    choice = rng.random()
    if choice < 0.3:  # edges, bounds and beyond
        return rng.choice([0.0, 0.25, 0.5, 1.0, 0.1, 0.8, -0.5, 1.5, 0.3, 0.2, 0.7, -1e300, 1e300, -0.0])
    return rng.uniform(-0.2, 1.2)


def evaluate_peer(evaluator, values):
    try:
        return evaluator.evaluate(*values)
    except Exception:  # noqa: BLE001 — any correctionlib error: Kaon must fail too
        return None


def compare(path, name, variables, rows, evaluator, tolerance):
    """Evaluates `name` on `rows` with correctionlib and with kaon --columns and compares."""
    expected = [evaluate_peer(evaluator, row) for row in rows]
    good = [row for row, value in zip(rows, expected) if value is not None]
    columns = {v.name: [row[i] for row in good] for i, v in enumerate(variables)}
    columns_path = path.parent / f"{name}.columns.json"
    columns_path.write_text(json.dumps(columns))
    result = kaon("correction", path, name, "--columns", columns_path)
    values = json.loads(result.stdout)
    wanted = [v for v in expected if v is not None]
    assert len(values) == len(wanted)
    for row, got, want in zip(good, values, wanted):
        if math.isnan(want):
            assert math.isnan(got), (name, row)
        else:
            assert got == pytest.approx(want, rel=tolerance, abs=0 if tolerance == 0 else 1e-300), (name, row)
    # Rows correctionlib rejects must be rejected one by one too (exit status 1, naming the correction).
    for row, value in zip(rows, expected):
        if value is None:
            args = [f"{v.name}={row[i]}" for i, v in enumerate(variables)]
            failed = kaon("correction", path, name, *args, check=False)
            assert failed.returncode == 1, (name, row, failed.stdout)
            assert f"correction '{name}'" in failed.stderr
    return len(good)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    model = generated_set()
    path = tmp_path_factory.mktemp("corrections") / "generated.json"
    path.write_text(model.model_dump_json(exclude_unset=True))
    return model, path


def correction_inputs(model, name):
    for c in list(model.corrections) + list(model.compound_corrections or []):
        if c.name == name:
            return c.inputs
    raise KeyError(name)


def all_names():
    model = generated_set()
    return [c.name for c in model.corrections] + [c.name for c in model.compound_corrections]


@pytest.mark.parametrize("name", all_names())
def test_generated_correction_matches_correctionlib(generated, name):
    model, path = generated
    ceval = correctionlib.CorrectionSet.from_file(str(path))
    evaluator = ceval.compound[name] if name in ceval.compound else ceval[name]
    variables = correction_inputs(model, name)
    rng = random.Random(hash(name) & 0xFFFF)
    rows = [[random_value(v, rng) for v in variables] for _ in range(200)]
    exact = not (name.startswith(("formula", "compound", "stack")) or "transform" in name)
    assert compare(path, name, variables, rows, evaluator, 0 if exact else 1e-12) > 0


def test_agc_corrections_match_correctionlib(tmp_path):
    ceval = correctionlib.CorrectionSet.from_file(str(AGC))
    model = json.loads(AGC.read_text())
    rng = random.Random(20)
    for item in model["corrections"]:
        variables = [cs.Variable(**v) for v in item["inputs"]]
        keys = {v.name: sorted(collect_keys(item["data"], v.name)) + ["nonexistent"] for v in variables if v.type == "string"}
        rows = []
        for _ in range(400):
            row = []
            for v in variables:
                if v.type == "string":
                    row.append(rng.choice(keys[v.name]))
                else:
                    row.append(rng.choice([rng.uniform(0, 500), 25.0, 0.0, 1e4]))
            rows.append(row)
        # The file is read as it is and as .json.gz.
        zipped = tmp_path / "corrections.json.gz"
        zipped.write_bytes(gzip.compress(AGC.read_bytes()))
        for path in (AGC, zipped):
            assert compare(path, item["name"], variables, rows, ceval[item["name"]], 1e-12) > 0


def collect_keys(node, input_name):
    """Every string key a category on `input_name` names, anywhere in the tree."""
    keys = set()
    if isinstance(node, dict):
        if node.get("nodetype") == "category" and node.get("input") == input_name:
            keys |= {item["key"] for item in node["content"]}
        for value in node.values():
            keys |= collect_keys(value, input_name)
    elif isinstance(node, list):
        for value in node:
            keys |= collect_keys(value, input_name)
    return keys


def test_listing_names_every_correction_and_input(generated):
    model, path = generated
    text = kaon("correction", path).stdout
    for c in list(model.corrections) + list(model.compound_corrections):
        assert c.name in text
    assert "input  s (string)" in text and "input  n (int)" in text and "(compound)" in text


def test_errors_name_the_correction_and_input(generated):
    _, path = generated
    out_of_range = kaon("correction", path, "binning_error", "x=2", check=False)
    assert out_of_range.returncode == 1 and "binning_error" in out_of_range.stderr and "'x'" in out_of_range.stderr
    missing_key = kaon("correction", path, "category_string_strict", "s=sideways", check=False)
    assert missing_key.returncode == 1 and "'s'" in missing_key.stderr and "sideways" in missing_key.stderr
    wrong_type = kaon("correction", path, "category_int", "n=1.5", check=False)
    assert wrong_type.returncode == 64 and "'n'" in wrong_type.stderr
    missing_input = kaon("correction", path, "formula_0", "x=1", check=False)
    assert missing_input.returncode == 64 and "'y'" in missing_input.stderr
    unknown = kaon("correction", path, "no_such_correction", "x=1", check=False)
    assert unknown.returncode == 1 and "no_such_correction" in unknown.stderr


def test_single_value_is_printed_exactly(generated):
    _, path = generated
    ceval = correctionlib.CorrectionSet.from_file(str(path))
    value = float(kaon("correction", path, "hashprng_stdnormal", "x=0.25", "y=0.5", "n=3").stdout)
    assert value == ceval["hashprng_stdnormal"].evaluate(0.25, 0.5, 3)
