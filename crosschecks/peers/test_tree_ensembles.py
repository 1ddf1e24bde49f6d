"""`kaon predict` (KaonTreeEnsembles) against XGBoost's own predictions on the AGC's BDTs.

Rows mix realistic random features, values exactly on split thresholds (XGBoost compares
float32 features with float32 thresholds, x < t going left, so a value equal to a threshold
goes right), the float32 neighbours of thresholds, missing values (NaN, taking each split's
default direction) and whole rows of NaN. Predictions must agree within 1e-6.
"""
import json

import numpy as np
import pytest
import xgboost

from conftest import SHARED, kaon

MODELS = SHARED / "data" / "agc" / "models"


def thresholds(model_json):
    """Every split threshold of the model, by feature (as float32 values)."""
    by_feature = {}
    for tree in model_json["learner"]["gradient_booster"]["model"]["trees"]:
        for left, feature, condition in zip(tree["left_children"], tree["split_indices"], tree["split_conditions"]):
            if left != -1:
                by_feature.setdefault(feature, []).append(np.float32(condition))
    return by_feature


def feature_rows(model_path, count=600, seed=20):
    model_json = json.loads(model_path.read_text())
    features = int(model_json["learner"]["learner_model_param"]["num_feature"])
    splits = thresholds(model_json)
    rng = np.random.default_rng(seed)
    # Random features spread like the thresholds the trees use for each feature.
    rows = np.empty((count, features))
    for f in range(features):
        values = np.array(splits.get(f, [0.0]), dtype=np.float64)
        rows[:, f] = rng.choice(values, count) * rng.uniform(0.5, 1.5, count)
    for r in range(count):
        kind = r % 6
        for f in range(features):
            if f not in splits:
                continue
            t = rng.choice(splits[f])
            if kind == 1:
                rows[r, f] = float(t)  # exactly on a threshold
            elif kind == 2:
                rows[r, f] = float(np.nextafter(t, np.float32(-np.inf)))  # just below it, in float32
            elif kind == 3:
                rows[r, f] = float(t) * (1 + 1e-9)  # rounds to the threshold in float32
        if kind == 4:
            rows[r, rng.choice(features, size=rng.integers(1, features), replace=False)] = np.nan
    rows[-1, :] = np.nan
    return rows


@pytest.mark.parametrize("name", ["model_even.json", "model_odd.json"])
def test_predictions_match_xgboost(tmp_path, name):
    model_path = MODELS / name
    rows = feature_rows(model_path)
    booster = xgboost.Booster(model_file=str(model_path))
    expected = booster.predict(xgboost.DMatrix(rows, missing=np.nan))
    margins = booster.predict(xgboost.DMatrix(rows, missing=np.nan), output_margin=True)
    rows_path = tmp_path / "rows.json"
    rows_path.write_text(json.dumps(rows.tolist()))  # NaN is written as NaN, which kaon reads
    got = np.array(json.loads(kaon("predict", model_path, rows_path).stdout))
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
    # The AGC calls XGBClassifier.predict_proba, which stops at the saved best_iteration (250
    # of trees 0…250: all of them), as this iteration_range does (scikit-learn, which the
    # classifier wrapper needs, is not a peer).
    best = int(booster.attr("best_iteration"))
    staged = booster.predict(xgboost.DMatrix(rows, missing=np.nan), iteration_range=(0, best + 1))
    np.testing.assert_allclose(got, staged, rtol=1e-6, atol=1e-6)
    got_margins = np.array(json.loads(kaon("predict", model_path, rows_path, "--margin").stdout))
    np.testing.assert_allclose(got_margins, margins, rtol=1e-6, atol=1e-5)


def test_regression_model_with_base_score(tmp_path):
    """reg:squarederror with a base_score, trained here (XGBoost 3 writes base_score as a list)."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(400, 4))
    x[rng.random(x.shape) < 0.1] = np.nan
    y = np.nan_to_num(x[:, 0]) * 2 + np.nan_to_num(x[:, 1]) ** 2 + 3
    booster = xgboost.train({"objective": "reg:squarederror", "max_depth": 4, "base_score": 1.5, "nthread": 1},
                            xgboost.DMatrix(x, label=y, missing=np.nan), num_boost_round=20)
    model_path = tmp_path / "regression.json"
    booster.save_model(str(model_path))
    rows = rng.normal(size=(200, 4))
    rows[::7, 2] = np.nan
    expected = booster.predict(xgboost.DMatrix(rows, missing=np.nan))
    rows_path = tmp_path / "rows.json"
    rows_path.write_text(json.dumps(rows.tolist()))
    got = np.array(json.loads(kaon("predict", model_path, rows_path).stdout))
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)


def test_model_summary_and_errors(tmp_path):
    summary = kaon("predict", MODELS / "model_even.json").stdout
    assert "binary:logistic" in summary and "features 20" in summary and "trees 251" in summary
    bad = tmp_path / "bad.json"
    bad.write_text("[[1, 2, 3]]")
    result = kaon("predict", MODELS / "model_even.json", bad, check=False)
    assert result.returncode == 1 and "20 features" in result.stderr and "row 0" in result.stderr
