"""vk.cv_scores and vk.cv_folds: cross-validation scores of several models, and which rows each fold holds out."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, TimeSeriesSplit, cross_val_score
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

import vizkit as vk
from tests.fuzzing import fuzz_settings
from vizkit.errors import VizkitError, VizkitTypeError, VizkitValueError
from vizkit.ml import CVFoldsDisplay, CVScoresDisplay

X, Y = load_iris(return_X_y=True)
GROUPS = np.arange(len(Y)) // 10                  # synthetic: 15 groups of 10 consecutive rows (iris has none)
MODELS = {"k-NN": KNeighborsClassifier(), "tree": DecisionTreeClassifier(max_depth=3, random_state=0),
          "naive Bayes": GaussianNB()}


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.mark.parametrize("cv", [StratifiedKFold(5), KFold(4, shuffle=True, random_state=1), 3])
def test_each_model_has_exactly_k_points_equal_to_cross_val_score(cv):
    display = CVScoresDisplay.from_estimators(MODELS, X, Y, cv=cv).plot()
    drawn = vk.plotted_data(display.ax_)
    k = cv if isinstance(cv, int) else cv.get_n_splits()
    assert drawn.groupby("model", sort=False).size().to_dict() == {name: k for name in MODELS}
    for name, model in MODELS.items():
        expected = cross_val_score(model, X, Y, cv=cv)
        np.testing.assert_array_equal(drawn.loc[drawn["model"] == name, "score"].to_numpy(), expected)
        points = display.artists_["points"][name].get_offsets()
        np.testing.assert_array_equal(np.asarray(points)[:, 1], expected)            # the dots are those scores


def test_the_findings_are_mean_sd_and_the_per_fold_table():
    display = CVScoresDisplay.from_estimators(MODELS, X, Y, cv=StratifiedKFold(5))
    assert display.ax_ is None and display.n_splits_ == 5                 # computed, not drawn
    assert list(display.scores_.columns) == list(MODELS) and list(display.scores_.index) == [1, 2, 3, 4, 5]
    tree = cross_val_score(MODELS["tree"], X, Y, cv=StratifiedKFold(5))
    assert display.mean_["tree"] == pytest.approx(tree.mean())
    assert display.sd_["tree"] == pytest.approx(tree.std(ddof=1))
    assert display.best_ == display.mean_.idxmax()
    display.plot()
    ticks = [t.get_text() for t in display.ax_.get_xticklabels()]
    assert ticks[1] == f"tree\n{tree.mean():.3f} ± {tree.std(ddof=1):.3f}"
    best = display.ax_.get_xticklabels()[list(MODELS).index(display.best_)]
    assert best.get_fontweight() == "bold"
    assert len(display.artists_["folds"]) == 5                            # a faint line per fold, across models
    assert display.ax_.get_xlabel() == "5-fold cross-validation (StratifiedKFold)"


def test_every_model_is_scored_on_the_same_folds_split_once():
    class CountedKFold(KFold):
        calls = 0

        def split(self, X, y=None, groups=None):
            type(self).calls += 1
            return super().split(X, y, groups)

    display = CVScoresDisplay.from_estimators(MODELS, X, Y, cv=CountedKFold(5, shuffle=True))   # no seed
    assert CountedKFold.calls == 1
    assert display.table.groupby("fold")["n_test"].nunique().eq(1).all()


def test_a_neg_scorer_is_drawn_as_a_positive_error_labelled_lower_is_better():
    Xd, yd = load_diabetes(return_X_y=True)
    models = {"OLS": LinearRegression(), "ridge, alpha 10": Ridge(alpha=10.0)}
    display = CVScoresDisplay.from_estimators(models, Xd, yd, cv=KFold(5), scoring="neg_mean_squared_error").plot()
    drawn = vk.plotted_data(display.ax_)
    np.testing.assert_array_equal(drawn["value"], -drawn["score"])
    np.testing.assert_array_equal(drawn.loc[drawn["model"] == "OLS", "score"],
                                  cross_val_score(LinearRegression(), Xd, yd, cv=KFold(5),
                                                  scoring="neg_mean_squared_error"))
    assert (drawn["value"] > 0).all() and display.lower_is_better
    assert display.ax_.get_ylabel() == "MSE (lower is better)"
    assert display.best_ == "OLS" == display.mean_.idxmin()
    from sklearn.metrics import make_scorer, mean_squared_error      # a scorer object reads the same as its name

    scorer = make_scorer(mean_squared_error, greater_is_better=False)
    same = CVScoresDisplay.from_estimators(models, Xd, yd, cv=KFold(5), scoring=scorer)
    np.testing.assert_allclose(same.table["value"], display.table["value"])
    assert same.lower_is_better and same.metric == "MSE" and same.best_ == "OLS"


def test_models_as_a_list_are_named_for_their_class_and_any_clonable_estimator_works():
    class Majority(ClassifierMixin, BaseEstimator):           # the sklearn API only, like vizkit.torch.TorchEstimator
        def fit(self, X, y):
            values, counts = np.unique(y, return_counts=True)
            self.classes_, self.majority_ = values, values[np.argmax(counts)]
            return self

        def predict(self, X):
            return np.full(len(X), self.majority_)

    display = CVScoresDisplay.from_estimators([KNeighborsClassifier(), KNeighborsClassifier(3), Majority()], X, Y,
                                              cv=StratifiedKFold(3))
    assert list(display.scores_.columns) == ["KNeighborsClassifier", "KNeighborsClassifier 2", "Majority"]
    np.testing.assert_array_equal(display.scores_["Majority"],
                                  cross_val_score(Majority(), X, Y, cv=StratifiedKFold(3)))


def test_bad_input_is_named_and_nothing_is_drawn():
    cases = [
        (dict(scoring="acuracy"), VizkitValueError, r"`scoring` must be a scikit-learn scorer name.*Did you mean 'accuracy'\?"),
        (dict(scoring=["accuracy", "f1"]), VizkitTypeError, r"`scoring` must be a scikit-learn scorer name or a scorer \(one"),
        (dict(cv=GroupKFold(3)), VizkitValueError, r"`groups` must be one group label per row.*GroupKFold"),
        (dict(groups=GROUPS[:-1]), VizkitValueError, r"`groups` must be one group label per row of `X` "
                                                     r"\(150 rows\); got 149 group labels"),
        (dict(cv="5"), VizkitTypeError, r"`cv` must be an int >= 2.*splitter"),
        (dict(cv=1), VizkitValueError, r"`cv` must be an int >= 2"),
        (dict(cv=[(np.arange(100), np.arange(100, 150))]), VizkitValueError, r"`cv` must be at least two folds"),
        (dict(cv=KFold(200)), VizkitValueError, r"`cv` must be a splitter that can split these 150 rows.*n_splits=200"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            vk.cv_scores(MODELS, X, Y, **kwargs)
    with pytest.raises(VizkitValueError, match=r"`y` must be one target per row of `X` \(150 rows\); got 100"):
        vk.cv_scores(MODELS, X, Y[:100])
    with pytest.raises(VizkitTypeError, match=r"`models` must be estimators"):
        vk.cv_scores("tree", X, Y)
    with pytest.raises(VizkitTypeError, match=r"`models\['bad'\]` must be a scikit-learn estimator.*lacks fit"):
        vk.cv_scores({"bad": object()}, X, Y)
    with pytest.raises(VizkitValueError, match=r"`models` must be estimators that fit.*'logistic', which failed"):
        vk.cv_scores({"logistic": LogisticRegression(C=-1.0)}, X, Y)
    assert not plt.get_fignums()


# ---------------------------------------------------------------- the fold diagram
@pytest.mark.parametrize("cv", [KFold(5), StratifiedKFold(5), GroupKFold(5), TimeSeriesSplit(5)],
                         ids=lambda cv: type(cv).__name__)
def test_the_fold_diagram_draws_the_indices_split_gives(cv):
    ax = vk.cv_folds(cv, X, Y, groups=GROUPS)
    drawn = vk.plotted_data(ax)
    splits = list(cv.split(X, Y, GROUPS if isinstance(cv, GroupKFold) else None))
    assert drawn["fold"].nunique() == len(splits) == cv.get_n_splits()
    for fold, (train, test) in enumerate(splits, start=1):
        rows = drawn[drawn["fold"] == fold]
        np.testing.assert_array_equal(rows.loc[rows["role"] == "test", "sample"], np.sort(test))
        np.testing.assert_array_equal(rows.loc[rows["role"] == "train", "sample"], np.sort(train))
        assert (rows["role"] == "unused").sum() == len(X) - len(train) - len(test)
        np.testing.assert_array_equal(rows["y"], Y)
        np.testing.assert_array_equal(rows["group"], GROUPS)
    assert ax.get_title(loc="left") == f"{type(cv).__name__}, 5 folds"
    assert [t.get_text() for t in ax.get_yticklabels()][-2:] == ["class (y)", "group (15)"]


def test_the_findings_of_the_fold_diagram():
    display = CVFoldsDisplay.from_splitter(TimeSeriesSplit(4), X)
    assert display.n_splits_ == 4 and display.ax_ is None
    assert display.sizes_.to_dict("list") == {"train": [30, 60, 90, 120], "test": [30] * 4,
                                              "unused": [90, 60, 30, 0]}
    for (train, test), (train_, test_) in zip(display.splits_, TimeSeriesSplit(4).split(X)):
        np.testing.assert_array_equal(train, train_)
        np.testing.assert_array_equal(test, test_)
    display.plot()
    legend = [t.get_text() for t in display.artists_["legend"].get_texts()]
    assert legend == ["train", "test", "unused"]                         # no y: no class strip, no class entries
    assert len(display.artists_["folds"]) == 4


def test_an_int_is_stratified_when_y_holds_classes_and_numbers_take_a_ramp():
    assert CVFoldsDisplay.from_splitter(3, X, Y).splitter == "StratifiedKFold"
    assert CVFoldsDisplay.from_splitter(3, X).splitter == "KFold"
    Xd, yd = load_diabetes(return_X_y=True)
    ax = vk.cv_folds(KFold(3), Xd, yd, legend=False)
    assert vk.plotted_data(ax).attrs == {"splitter": "KFold", "n_splits": 3}
    assert ax.get_yticklabels()[-1].get_text() == "y (low → high)" and ax.get_legend() is None


def test_the_fold_diagram_refuses_what_cannot_be_split():
    with pytest.raises(VizkitValueError, match=r"`groups` must be one group label per row.*GroupKFold"):
        vk.cv_folds(GroupKFold(3), X, Y)
    with pytest.raises(VizkitValueError, match=r"`y` must be the targets.*StratifiedKFold could not split"):
        vk.cv_folds(StratifiedKFold(3), X)
    with pytest.raises(VizkitValueError, match=r"`cv` must be a splitter that can split these 150 rows"):
        vk.cv_folds(GroupKFold(20), X, groups=GROUPS)                     # 15 groups for 20 folds
    with pytest.raises(VizkitValueError, match=r"`y` must be one target per row of `X`"):
        vk.cv_folds(KFold(3), X, Y[:-1])
    with pytest.raises(VizkitTypeError, match=r"`X` must be"):
        vk.cv_folds(KFold(3), None)
    assert not plt.get_fignums()


@fuzz_settings(20)
@given(n=st.integers(2, 60), k=st.integers(2, 8), kind=st.sampled_from(["kfold", "group", "time", "pairs"]),
       seed=st.integers(0, 10))
def test_fuzz_the_diagram_is_the_split_or_a_vizkit_error(n, k, kind, seed):
    rows = np.zeros((n, 2))
    groups = np.random.default_rng(seed).integers(0, max(2, n // 3), n)
    cv = {"kfold": KFold(k, shuffle=True, random_state=seed), "group": GroupKFold(k), "time": TimeSeriesSplit(k),
          "pairs": [(np.arange(n // 2), np.arange(n // 2, n))]}[kind]
    try:
        display = CVFoldsDisplay.from_splitter(cv, rows, groups=groups)
    except VizkitError as error:
        assert "`cv`" in str(error)
        return
    expected = list(cv.split(rows, None, groups if kind == "group" else None)) if kind != "pairs" else cv
    assert display.n_splits_ == len(expected)
    for (_, test), (_, test_) in zip(display.splits_, expected):
        np.testing.assert_array_equal(test, np.sort(test_))
    assert pd.Series(display.table["role"]).isin(["train", "test", "unused"]).all()
