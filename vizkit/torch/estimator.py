"""A torch module as a scikit-learn estimator: ``fit(X, y)``, ``predict``, ``score``, NumPy in and out.

:class:`TorchEstimator` trains a module built by a factory (an ``nn.Module``
class or a function; by default :func:`mlp`) with :func:`vizkit.torch.fit`,
seeded, so scikit-learn's tools take it as they take any estimator:
``sklearn.base.clone``, ``cross_val_score``, ``learning_curve``,
``validation_curve`` and vizkit's model-evaluation charts. Every setting is a
constructor argument, and the factory's and the optimizer's own keywords are
parameters too, with skorch's prefixes (``module__hidden=64``,
``optimizer__momentum=0.9``), so ``validation_curve(..., param_name=
"module__hidden", ...)`` sweeps the hidden units.
"""

from __future__ import annotations

import inspect
from contextlib import contextmanager

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils.metaestimators import available_if

from vizkit._core.errors import bad_choice, bad_type, bad_value, user_warning
from vizkit._core.validate import check_choice, check_number

__all__ = ["TorchEstimator", "mlp"]

#: Optimizer names and their ``torch.optim`` classes.
OPTIMIZERS = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "sgd": torch.optim.SGD,
              "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad}
#: Loss names and their functions (``outputs, targets -> mean``); ``None`` picks by task.
LOSSES = {"cross_entropy": torch.nn.functional.cross_entropy, "mse": torch.nn.functional.mse_loss,
          "l1": torch.nn.functional.l1_loss, "huber": torch.nn.functional.huber_loss}
TASKS = ("classification", "regression")
#: The prefixes of the factory's and the optimizer's own keywords (skorch's convention).
PREFIXES = ("module__", "optimizer__")
#: The sizes the estimator gives a module factory whose signature names them.
_SIZES = ("in_features", "out_features")
#: Rows predicted per forward pass.
PREDICT_BATCH = 4096


def mlp(in_features, out_features, *, hidden=64, dropout=0.0):
    """The default module of :class:`TorchEstimator`: Linear, ReLU (and dropout) per hidden layer, then Linear.

    Parameters
    ----------
    in_features, out_features : int
        Given by the estimator: the columns of ``X``, and the classes (or
        target columns).
    hidden : int or sequence of int, default 64
        Units of each hidden layer: ``64`` is one layer, ``(64, 32)`` two,
        ``()`` none (a linear model).
    dropout : float, default 0
        Dropout after each hidden layer's ReLU (none at 0).

    Examples
    --------
    >>> from vizkit.torch.estimator import mlp
    >>> mlp(4, 3, hidden=(8, 8))
    Sequential(
      (0): Linear(in_features=4, out_features=8, bias=True)
      (1): ReLU()
      (2): Linear(in_features=8, out_features=8, bias=True)
      (3): ReLU()
      (4): Linear(in_features=8, out_features=3, bias=True)
    )
    """
    units = [hidden] if isinstance(hidden, (int, np.integer)) else list(hidden)
    if not all(isinstance(u, (int, np.integer)) and not isinstance(u, bool) and u >= 1 for u in units):
        raise bad_value("module__hidden", "a positive int or a sequence of them (units per hidden layer)", hidden)
    dropout = check_number("module__dropout", dropout, low=0, high=1, high_open=True)
    layers, width = [], int(in_features)
    for size in units:
        layers += [torch.nn.Linear(width, int(size)), torch.nn.ReLU()]
        if dropout:
            layers.append(torch.nn.Dropout(dropout))
        width = int(size)
    layers.append(torch.nn.Linear(width, int(out_features)))
    return torch.nn.Sequential(*layers)


def _classifies(estimator) -> bool:
    return estimator.task == "classification"


class TorchEstimator(BaseEstimator):
    """A torch module trained as a scikit-learn classifier or regressor (fit, predict, score; NumPy in and out).

    Parameters
    ----------
    module : callable, optional
        Builds the ``torch.nn.Module`` to train: an ``nn.Module`` class or a
        function. It is called once per :meth:`fit` with the ``module__*``
        parameters as keywords, plus ``in_features`` (the columns of ``X``)
        and ``out_features`` (the number of classes; the target columns in
        regression) when its signature names them. Default :func:`mlp`
        (one hidden layer of ``module__hidden=64`` ReLU units).
    task : {"classification", "regression"}
        Classification: ``y`` holds labels (any type), the module outputs one
        logit per class, :meth:`predict` gives labels, :meth:`predict_proba`
        the softmax and :meth:`score` the accuracy; scikit-learn treats it as
        a classifier (stratified folds). Regression: ``y`` is numbers (1-D, or
        2-D for several targets), :meth:`score` is R².
    loss : {"cross_entropy", "mse", "l1", "huber"} or callable, optional
        The loss to minimise, ``loss(outputs, targets) -> 0-dim tensor``
        (targets are class indices in classification); default
        ``"cross_entropy"`` for classification, ``"mse"`` for regression.
    optimizer : {"adam", "adamw", "sgd", "rmsprop", "adagrad"} or torch.optim.Optimizer class
        Built with ``lr``, ``weight_decay`` and the ``optimizer__*``
        parameters (``optimizer__momentum=0.9``).
    lr : float, default 1e-3
    weight_decay : float, default 0
        The optimizer's L2 penalty (decoupled for ``"adamw"``).
    epochs : int, default 20
    batch_size : int, default 32
        Rows per step; the training rows are shuffled every epoch.
    random_state : int, default 0
        Seeds the module's initial weights, the shuffling and dropout: the
        same seed gives the same predictions. Torch's global random state is
        left as it was.
    device : str or torch.device, default "cpu"
        Where the module trains. On the CPU, :meth:`fit` and :meth:`predict`
        run torch on one thread (the count is put back afterwards): small
        models train faster so, with the same numbers on any machine with the
        same CPU type; ``n_jobs=`` of scikit-learn's tools runs fits side by side.
    **kwargs
        ``module__<name>`` and ``optimizer__<name>`` parameters.

    Attributes
    ----------
    module_ : torch.nn.Module
        The trained module (in eval mode).
    classes_ : ndarray
        The class labels, sorted (classification only).
    n_features_in_ : int
    history_ : DataFrame
        What :func:`vizkit.torch.fit` returned: the training loss per epoch.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import cross_val_score
    >>> from vizkit.torch import TorchEstimator
    >>> X, y = load_iris(return_X_y=True)
    >>> model = TorchEstimator(lr=0.01, epochs=30, module__hidden=16)
    >>> model.get_params()["module__hidden"]
    16
    >>> scores = cross_val_score(model, X, y, cv=3)
    >>> bool(scores.mean() > 0.9)
    True
    """

    def __init__(self, module=None, *, task="classification", loss=None, optimizer="adam", lr=1e-3,
                 weight_decay=0.0, epochs=20, batch_size=32, random_state=0, device="cpu", **kwargs):
        self.module = module
        self.task = task
        self.loss = loss
        self.optimizer = optimizer
        self.lr = lr
        self.weight_decay = weight_decay
        self.epochs = epochs
        self.batch_size = batch_size
        self.random_state = random_state
        self.device = device
        self._extra = dict(kwargs)  # checked by fit, as scikit-learn checks nothing in __init__
        vars(self).update(kwargs)

    # ---------------------------------------------------------------- scikit-learn's protocol
    def get_params(self, deep=True):
        """The constructor's parameters, with the ``module__*`` and ``optimizer__*`` ones."""
        return {**super().get_params(deep=deep), **self._extra}

    def set_params(self, **params):
        """Set parameters, ``module__*`` and ``optimizer__*`` ones too (new ones are added); return ``self``."""
        extra = {name: value for name, value in params.items() if name.startswith(PREFIXES)}
        for name, value in extra.items():
            self._extra[name] = value
            setattr(self, name, value)
        super().set_params(**{name: value for name, value in params.items() if name not in extra})
        return self

    @property
    def _estimator_type(self):  # scikit-learn < 1.6 reads this
        return "classifier" if self.task == "classification" else "regressor"

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, RegressorTags

        tags = super().__sklearn_tags__()
        if self.task == "classification":
            tags.estimator_type, tags.classifier_tags = "classifier", ClassifierTags()
        else:
            tags.estimator_type, tags.regressor_tags = "regressor", RegressorTags()
            tags.target_tags.multi_output = True  # y of shape (rows, targets): one output per target
        return tags

    # ---------------------------------------------------------------- fit
    def fit(self, X, y):
        """Build the module afresh (seeded) and train it on ``X, y`` with :func:`vizkit.torch.fit`; return ``self``."""
        from vizkit.torch.loop import fit

        settings = self._checked()
        X = _features(X, "X")
        y_train, out_features, classes, y_shape = self._targets(y, len(X))
        device = torch.device(self.device)
        with torch.random.fork_rng(devices=[]), _one_thread():
            torch.manual_seed(self.random_state)
            model = self._build(X.shape[1], out_features).to(device)
            optimizer = settings["optimizer"](model.parameters(), lr=self.lr, weight_decay=self.weight_decay,
                                              **_prefixed(self._extra, "optimizer__"))
            batches = _Batches(torch.as_tensor(X), y_train, self.batch_size, self.random_state)
            self.history_ = fit(model, batches, optimizer=optimizer, loss_fn=settings["loss"], epochs=self.epochs,
                                device=device, progress=False)
        self.module_ = model.eval()
        self.n_features_in_ = X.shape[1]
        self._y_shape = y_shape
        if classes is not None:
            self.classes_ = classes
        return self

    def _checked(self) -> dict:
        """Check the settings (a vizkit error names the bad one); the optimizer class and the loss function."""
        for name in self._extra:
            if not name.startswith(PREFIXES) or name in PREFIXES:
                raise bad_choice("TorchEstimator(**kwargs)", name, [p + "<name>" for p in PREFIXES],
                                 what="keywords named")
        task = check_choice("task", self.task, TASKS)
        check_number("lr", self.lr, low=0, low_open=True)
        check_number("weight_decay", self.weight_decay, low=0)
        check_number("epochs", self.epochs, integer=True, low=1)
        check_number("batch_size", self.batch_size, integer=True, low=1)
        check_number("random_state", self.random_state, integer=True, low=0)
        if self.module is not None and not callable(self.module):
            raise bad_type("module", "an nn.Module class or a function that returns an nn.Module", self.module)
        optimizer = self.optimizer
        if isinstance(optimizer, str):
            optimizer = OPTIMIZERS[check_choice("optimizer", optimizer, OPTIMIZERS)]
        elif not (isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer)):
            raise bad_type("optimizer", f"one of {', '.join(map(repr, OPTIMIZERS))} or a torch.optim.Optimizer class",
                           optimizer)
        loss = self.loss
        if loss is None:
            loss = "cross_entropy" if task == "classification" else "mse"
        if isinstance(loss, str):
            loss = LOSSES[check_choice("loss", loss, LOSSES)]
        elif not callable(loss):
            raise bad_type("loss", f"one of {', '.join(map(repr, LOSSES))} or a callable(outputs, targets)", loss)
        return {"optimizer": optimizer, "loss": loss}

    def _targets(self, y, n_rows):
        """``(targets tensor, out_features, classes or None, the shape of one row's target)``."""
        y = np.asarray(y)
        if y.ndim == 0 or len(y) != n_rows:
            raise bad_value("y", f"one target per row of X ({n_rows})", y,
                            got=f"{'a scalar' if y.ndim == 0 else f'{len(y)} targets'}")
        if self.task == "classification":
            from sklearn.utils.multiclass import type_of_target

            if y.ndim == 2 and y.shape[1] == 1:
                from sklearn.exceptions import DataConversionWarning

                user_warning("A column-vector y was passed when a 1d array was expected; TorchEstimator "
                             "flattened it (y.ravel()).", DataConversionWarning)
                y = y.ravel()
            if y.ndim != 1:
                raise bad_value("y", "a 1-D array of class labels for task='classification'", y,
                                got=f"an array of shape {y.shape}")
            if np.issubdtype(y.dtype, np.number) and not np.isfinite(y).all():
                raise bad_value("y", "class labels, without NaN or infinity", y)
            kind = type_of_target(y)
            if kind not in ("binary", "multiclass"):
                raise bad_value("y", "class labels for task='classification'", y,
                                got=f"{kind} values (Unknown label type: {kind})",
                                hint="For numbers to predict, use task='regression'.")
            classes, codes = np.unique(y, return_inverse=True)
            return torch.as_tensor(codes, dtype=torch.long), len(classes), classes, ()
        if y.ndim > 2 or not np.issubdtype(y.dtype, np.number) or not np.isfinite(y).all():
            raise bad_value("y", "finite numbers, 1-D or (rows, targets), for task='regression'", y,
                            hint="" if np.issubdtype(y.dtype, np.number) else
                            "Unknown label type: for class labels, use task='classification'.")
        targets = torch.as_tensor(y.reshape(n_rows, -1), dtype=torch.float32)
        return targets, targets.shape[1], None, y.shape[1:]

    def _build(self, in_features, out_features):
        factory = mlp if self.module is None else self.module
        kwargs = _prefixed(self._extra, "module__")
        try:
            named = inspect.signature(factory).parameters
        except (TypeError, ValueError):  # a builtin without a signature: give it only its keywords
            named = None
        if named is not None:
            takes_any = any(p.kind is p.VAR_KEYWORD for p in named.values())
            for name in kwargs:
                if name not in named and not takes_any:
                    raise bad_choice(f"module__{name}", name, [n for n in named if n not in _SIZES],
                                     what=f"a keyword of {getattr(factory, '__name__', 'the module')}:")
            for name, value in zip(_SIZES, (in_features, out_features)):
                if name in named and name not in kwargs:
                    kwargs[name] = value
        model = factory(**kwargs)
        if not isinstance(model, torch.nn.Module):
            raise bad_type("module", "a callable that returns a torch.nn.Module", self.module,
                           got=f"a callable that returned {type(model).__name__}")
        return model

    # ---------------------------------------------------------------- predict
    def _outputs(self, X) -> np.ndarray:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "module_")
        X = _features(X, "X")
        if X.shape[1] != self.n_features_in_:
            raise bad_value("X", f"{self.n_features_in_} columns, as in fit", X,
                            got=f"{X.shape[1]} columns (X has {X.shape[1]} features, but {type(self).__name__} "
                                f"is expecting {self.n_features_in_} features as input)")
        device = next(self.module_.parameters(), torch.empty(0)).device
        with torch.no_grad(), _one_thread():
            parts = [self.module_(torch.as_tensor(X[start:start + PREDICT_BATCH]).to(device)).cpu()
                     for start in range(0, len(X), PREDICT_BATCH)]
        return torch.cat(parts).double().numpy() if parts else np.empty((0,))

    def predict(self, X):
        """Class labels (classification) or values (regression, shaped as ``y`` was in fit) for ``X``."""
        outputs = self._outputs(X)
        if self.task == "classification":
            return self.classes_[outputs.argmax(axis=1)]
        return outputs.reshape((len(outputs), *self._y_shape))

    @available_if(_classifies)
    def predict_proba(self, X):
        """Class probabilities (the softmax of the outputs), one column per class of ``classes_``.

        Only with ``task="classification"`` (``hasattr(model, "predict_proba")``
        is False for a regressor, as scikit-learn's tools expect).
        """
        return torch.softmax(torch.as_tensor(self._outputs(X)), dim=1).numpy()

    def score(self, X, y, sample_weight=None):
        """Accuracy (classification) or R² (regression) of the predictions for ``X`` against ``y``."""
        from sklearn.metrics import accuracy_score, r2_score

        metric = accuracy_score if self.task == "classification" else r2_score
        return float(metric(y, self.predict(X), sample_weight=sample_weight))


def _prefixed(params: dict, prefix: str) -> dict:
    return {name[len(prefix):]: value for name, value in params.items() if name.startswith(prefix)}


def _features(X, argument: str) -> np.ndarray:
    """``X`` as a float32 (rows, features) array; a vizkit error for anything else."""
    if np.asarray(X).dtype.kind == "c":
        raise bad_value(argument, "real numbers: an array-like of shape (rows, features)", X, got="complex numbers (Complex data not supported)")
    try:
        array = np.asarray(X, dtype=np.float32)
    except (TypeError, ValueError) as error:
        raise bad_type(argument, "numbers: an array-like of shape (rows, features)", X, hint=f"({error})") from None
    if array.ndim != 2:
        raise bad_value(argument, "a 2-D array of shape (rows, features)", X, got=f"an array of shape {array.shape}",
                        hint="Reshape your data: X.reshape(-1, 1) for one feature, X.reshape(1, -1) for one row.")
    for axis, what in ((0, "sample"), (1, "feature")):
        if array.shape[axis] == 0:
            raise bad_value(argument, "at least one row and one feature", X,
                            got=f"0 {what}(s) (shape={array.shape}) while a minimum of 1 is required")
    if not np.isfinite(array).all():
        raise bad_value(argument, "finite numbers (no NaN or infinity)", X, got="an array with NaN or infinity")
    return array


@contextmanager
def _one_thread():
    """Run torch on one CPU thread inside the block, then put the thread count back.

    A small model trains faster on one thread than on several (no hand-offs),
    its sums are added in one order (the same numbers on any machine with this
    CPU type), and ``cross_val_score(..., n_jobs=k)`` runs k fits side by side.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class _Batches:
    """Shuffled mini-batches of two tensors, a new order each epoch from a seeded generator (a light DataLoader)."""

    def __init__(self, inputs, targets, batch_size, seed):
        self.inputs, self.targets, self.batch_size = inputs, targets, int(batch_size)
        self.generator = torch.Generator().manual_seed(int(seed))

    def __len__(self):
        return -(-len(self.inputs) // self.batch_size)

    def __iter__(self):
        order = torch.randperm(len(self.inputs), generator=self.generator)
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            yield self.inputs[rows], self.targets[rows]
