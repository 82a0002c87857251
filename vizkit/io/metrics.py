"""The metric vocabulary: which logged metrics are better when lower, which when higher, which are schedules.

One list for all of vizkit: :func:`vizkit.gap` and :func:`vizkit.curves` /
:func:`vizkit.ml.dashboard` (losses listed first) read it, and so does
``vizkit.torch.EarlyStopping(mode="auto")``. :func:`is_schedule` tells the
hyper-parameters a run logs (learning rate, momentum, weight decay, ...),
which :func:`vizkit.curves`, :func:`vizkit.ml.dashboard` and ``LivePlot``
never smooth. Torch-free, like the rest of :mod:`vizkit.io`.

How a name is read (:func:`metric_direction`):

1. It is cut into words at every character that is not a letter or a digit
   (``val_loss``, ``loss/val``, ``train-acc``, ``mAP@50``), case-insensitive.
   CamelCase is cut too (``valLoss``, ``BinaryF1Score``), but a name is also
   read uncut, so ``mIoU`` and ``mAP`` keep their meaning.
2. Each word is looked up whole, never as a part of a longer word:
   ``precision`` does not hold ``ce``, ``bitmap`` does not hold ``map``. A
   word is also looked up without its trailing digits (``acc1``, ``bleu4``,
   ``rouge2``, ``map50``), without a plural ``s`` or ``es`` (``losses``,
   ``rewards``, ``accuracies``), without a glued-on split in front
   (``valloss``, ``trainacc``), and joined with the next word (``top_1``,
   ``cross_entropy``, ``f1_score``). Split and stage words (``train``, ``val``, ``test``,
   ``epoch``, ``step``, ...) are in neither list, so prefixes and suffixes
   such as ``val_``, ``train/``, ``/val``, ``_epoch`` (Lightning) change
   nothing.
3. A penalty word (:data:`PENALTY_WORDS`: ``loss``, ``error``, ``err``,
   ``cost``, ``regret``) makes the name ``"min"`` whatever else it holds:
   ``dice_loss``, ``iou_loss`` and ``top1_error`` are minimised; ``loss``,
   ``error`` and ``cost`` count at the end of a longer word too
   (``totalloss``, ``reconloss``). Otherwise the
   name is ``"min"`` when its words are all in :data:`LOWER_IS_BETTER`,
   ``"max"`` when they are all in :data:`HIGHER_IS_BETTER`, and ``None`` when
   it has words of both lists or of neither (``lr``, ``grad_norm``).
4. A ``neg`` or ``negative`` word turns the direction round, as in
   scikit-learn's scorers (``neg_mean_squared_error`` and ``neg_log_loss`` are
   ``"max"``; ``negative_log_likelihood`` is ``"min"``).
"""

from __future__ import annotations

import re

from vizkit._core.errors import bad_type

__all__ = ["HIGHER_IS_BETTER", "LOWER_IS_BETTER", "PENALTY_WORDS", "SCHEDULE_WORDS", "is_schedule",
           "metric_direction"]

#: Words that name what a training run minimises; they decide a name on their own (``dice_loss``).
PENALTY_WORDS = ("loss", "error", "err", "cost", "regret")

#: Metrics that are better when lower (whole words, lower case; ``_`` joins two words).
LOWER_IS_BETTER = PENALTY_WORDS + (
    # cross-entropy and likelihood
    "ce", "bce", "xent", "crossentropy", "cross_entropy", "nll", "nloglik", "logloss", "mlogloss", "merror",
    "perplexity", "ppl", "bpd", "bpc",
    # regression
    "mse", "mae", "rmse", "mape", "smape", "msle", "rmsle", "nmse", "huber",
    # generative models and divergences
    "fid", "kid", "lpips", "kl", "kld", "divergence", "distance", "dist",
    # speech and text: word, character and translation edit rates
    "wer", "cer", "ter",
    # calibration and error rates
    "ece", "brier", "eer", "fpr", "fnr",
)

#: Metrics that are better when higher (whole words, lower case; ``_`` joins two words).
HIGHER_IS_BETTER = (
    # classification
    "acc", "accuracy", "top1", "top5", "balanced_accuracy", "auc", "auroc", "auprc", "aucpr", "roc_auc", "ap",
    "f1", "fscore", "f1_score", "fbeta", "precision", "recall", "sensitivity", "specificity", "tpr",
    "mcc", "kappa",
    # images and segmentation
    "psnr", "ssim", "ms_ssim", "iou", "miou", "dice", "map",
    # text
    "bleu", "rouge", "rougel", "rougelsum", "meteor", "chrf", "cider",
    # regression, likelihood, ranking, reinforcement learning
    "r2", "explained_variance", "likelihood", "log_likelihood", "elbo", "ndcg", "mrr",
    "score", "reward", "return",
)

#: Hyper-parameters a run logs as it trains, schedules included (whole words, lower case; ``_`` joins two
#: words). Trailing digits are dropped before the look-up, so ``beta1`` and ``beta_2`` are ``beta``.
SCHEDULE_WORDS = (
    # the learning rate, as PyTorch, Lightning's LearningRateMonitor ("lr-SGD/pg1"), Keras and HF name it
    "lr", "learning_rate", "learningrate",
    # the optimizer's other knobs
    "momentum", "weight_decay", "weightdecay", "wd", "beta", "betas", "eps", "epsilon", "dampening", "rho",
)

#: A word that turns the direction round (``neg_log_loss``).
_NEGATION = ("neg", "negative")
#: Split names that can be glued in front of a metric word (``valloss``).
_GLUED_SPLITS = ("train", "training", "validation", "valid", "val", "test", "eval", "dev")
_LOWER = frozenset(LOWER_IS_BETTER)
_HIGHER = frozenset(HIGHER_IS_BETTER)
_PENALTY = frozenset(PENALTY_WORDS)
_SCHEDULE = frozenset(SCHEDULE_WORDS)
#: Penalty words that also count at the end of a longer word (``totalloss``, ``reconloss``, ``logloss``).
_PENALTY_ENDINGS = ("loss", "error", "cost")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
#: Where camelCase is cut: before an upper-case letter after a lower-case one or a digit (``valLoss``,
#: ``F1Score``), and before the last capital of a run followed by lower case (``PSNRLoss``).
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def metric_direction(name: str) -> str | None:
    """``"min"`` when a lower value of the metric ``name`` is better, ``"max"`` when higher, else None.

    Read from the name's words, case-insensitive, with split prefixes and
    suffixes ignored; see :mod:`vizkit.io.metrics` for the rules and
    :data:`LOWER_IS_BETTER` / :data:`HIGHER_IS_BETTER` for the words.

    Parameters
    ----------
    name : str
        A metric name as logged: ``"val_loss"``, ``"train/acc"``,
        ``"loss/val"``, ``"val_f1_epoch"``, ``"FID"``.

    Returns
    -------
    {"min", "max"} or None
        None when the name holds no listed word, or words of both lists.

    Raises
    ------
    vizkit.errors.VizkitTypeError
        ``name`` is not a string.

    Examples
    --------
    >>> from vizkit.io import metric_direction
    >>> metric_direction("val_loss"), metric_direction("train/Accuracy"), metric_direction("FID")
    ('min', 'max', 'min')
    >>> metric_direction("val_psnr_epoch"), metric_direction("dice_loss"), metric_direction("precision")
    ('max', 'min', 'max')
    >>> metric_direction("neg_mean_squared_error"), metric_direction("lr") is None
    ('max', True)
    """
    if not isinstance(name, str):
        raise bad_type("name", "a metric name (str) such as 'val_loss'", name)
    words = _metric_words(name)
    if words & _PENALTY or any(word.endswith(_PENALTY_ENDINGS) for word in words):
        direction = "min"
    else:
        lower, higher = bool(words & _LOWER), bool(words & _HIGHER)
        direction = None if lower == higher else "min" if lower else "max"
    if direction is not None and words & set(_NEGATION):
        direction = "max" if direction == "min" else "min"
    return direction


def is_schedule(name: str) -> bool:
    """Whether the metric ``name`` is a hyper-parameter or schedule (learning rate, momentum, ...), not a result.

    True when the name holds a word of :data:`SCHEDULE_WORDS` (read like
    :func:`metric_direction` reads names: split prefixes and suffixes,
    separators, camelCase and trailing digits ignored) and no word that makes
    it a result (a loss, an accuracy: :func:`metric_direction` is None).
    Charts of runs never smooth such a series: a step drop of the learning
    rate stays a step.

    Parameters
    ----------
    name : str
        A metric name as logged: ``"lr"``, ``"lr-SGD"``, ``"lr-Adam/pg2"``,
        ``"train/learning_rate"``, ``"momentum"``, ``"weight_decay"``.

    Returns
    -------
    bool

    Raises
    ------
    vizkit.errors.VizkitTypeError
        ``name`` is not a string.

    Examples
    --------
    >>> from vizkit.io import is_schedule
    >>> [is_schedule(n) for n in ("lr", "lr-SGD", "lr-Adam/pg2", "learningRate", "train/momentum", "beta1")]
    [True, True, True, True, True, True]
    >>> [is_schedule(n) for n in ("loss", "val_acc", "grad_norm", "lr_finder_loss")]
    [False, False, False, False]
    """
    if not isinstance(name, str):
        raise bad_type("name", "a metric name (str) such as 'lr'", name)
    return bool(_metric_words(name) & _SCHEDULE) and metric_direction(name) is None


def _metric_words(name: str) -> set:
    """The words of ``name`` the vocabulary is looked up with (rules 1 and 2 of :mod:`vizkit.io.metrics`).

    >>> {"val", "top1", "top_1", "acc"} <= _metric_words("valTop_1Acc")
    True
    >>> "ce" in _metric_words("precision")
    False
    """
    words = set()
    for text in (name, _CAMEL.sub("_", name)):
        tokens = [w for w in _NOT_ALNUM.split(text.lower()) if w]
        for token in tokens:
            words.add(token)
            words.update(token[len(split):] for split in _GLUED_SPLITS if token.startswith(split))
        words.update(a + b for a, b in zip(tokens, tokens[1:]))
        words.update(f"{a}_{b}" for a, b in zip(tokens, tokens[1:]))
    words.update([word.rstrip("0123456789") for word in words])
    words.update([_singular(word) for word in words if word.endswith("s")])
    words.discard("")
    return words


def _singular(word: str) -> str:
    """``word`` without its plural ending (``losses`` -> ``loss``, ``accuracies`` -> ``accuracy``, ``rewards`` -> ``reward``)."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-2] if word.endswith("es") and word[:-2].endswith(("ss", "x", "ch", "sh")) else word[:-1]
