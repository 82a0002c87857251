"""training_runs/capacity_curves.py: quick mode writes every fold's score; the committed scores are the code's."""

import json

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("torch")

from tests.training_scripts import ROOT, quick_train_here  # noqa: E402

COMMITTED = ROOT / "training_runs" / "runs" / "capacity_curves"
CURVES = ["learning_nb", "learning_svc", "svc_gamma", "mlp_hidden", "mlp_weight_decay"]


def test_quick_mode_writes_every_fold_of_every_curve(tmp_path):
    out = quick_train_here("capacity_curves.py", tmp_path / "curves")
    scores = pd.read_csv(out / "scores.csv")
    assert list(scores.columns) == ["curve", "x", "fold", "split", "score"]
    assert list(pd.unique(scores["curve"])) == CURVES
    counts = scores.groupby(["curve", "split"]).size()
    assert counts["mlp_hidden"].tolist() == [2 * 2, 2 * 2]                    # 2 widths x 2 folds, per split
    assert counts["learning_nb"].tolist() == [5 * 2, 5 * 2]                   # 5 sizes x 2 folds
    assert scores["score"].between(0, 1).all()
    config = json.loads((out / "config.json").read_text())
    assert config["quick"] and config["folds"] == 2


@pytest.mark.skipif(not COMMITTED.exists(), reason="the curves are not there yet (python training_runs/capacity_curves.py)")
def test_the_committed_scores_are_what_the_code_computes_and_show_both_sides():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import StratifiedKFold, learning_curve
    from sklearn.naive_bayes import GaussianNB

    scores = pd.read_csv(COMMITTED / "scores.csv")
    assert (COMMITTED / "scores.csv").stat().st_size < 100_000
    X, y = load_digits(return_X_y=True)
    sizes, train, val = learning_curve(GaussianNB(), X, y, train_sizes=[0.1, 0.325, 0.55, 0.775, 1.0],
                                       cv=StratifiedKFold(5, shuffle=True, random_state=0))
    saved = scores.query("curve == 'learning_nb' and split == 'val'").pivot(index="x", columns="fold", values="score")
    assert saved.index.tolist() == sizes.tolist()
    np.testing.assert_allclose(saved.to_numpy(), val, rtol=1e-5)              # written with 6 significant digits
    gamma = scores.query("curve == 'svc_gamma'").groupby(["split", "x"])["score"].mean()
    assert gamma["val"].idxmax() not in (gamma["val"].index.min(), gamma["val"].index.max())   # best in between
    assert gamma["train"].iloc[-1] == 1.0 and gamma["val"].iloc[-1] < 0.5                       # memorised
