"""Timeline17 metrics as the tilse toolkit computes them (Martschat & Markert 2017, 2018).

A timeline maps dates to the sentences of that date's summary. Against one reference
timeline (or several, pooled as in tilse's ``GroundTruth``) :func:`timeline_scores` gives

* ``concat_rouge1/2``: ROUGE F1 of all predicted sentences against all reference sentences,
  each timeline concatenated in date order (tilse ``evaluate_concat``);
* ``align_m1_rouge1/2``: "align+ m:1" (tilse ``evaluate_align_date_content_costs_many_to_one``):
  every predicted date is aligned to the reference date with the lowest cost
  ``(1 - 1/(|d_pred - d_ref| + 1)) * (1 - approximate ROUGE-1 F1)`` (for precision), every
  reference date to the cheapest predicted date (for recall); ROUGE hits of an aligned pair
  are weighted by ``1/(|d_pred - d_ref| + 1)``;
* ``date_f1``: F1 of the predicted dates against the reference dates.

ROUGE counts are ROUGE-1.5.5's with tilse's options (see :mod:`storyline.evaluate.rouge`).
The Timeline17 protocol (tilse's ``models.py``) scores a predicted timeline against each
reference timeline of a topic separately, and reports over all (topic, reference timeline)
pairs the mean precision and mean recall and the F1 of those two means: collect the
per-timeline dicts and pass them to :func:`average_timeline_scores`.
"""

from __future__ import annotations

import datetime as dt
import string
from collections import Counter
from collections.abc import Mapping, Sequence

from storyline.evaluate.rouge import rouge155_counts, rouge155_tokens

Timeline = Mapping[dt.date, Sequence[str]]

_ROUGE_SIZES = (1, 2)
_METRICS = ("concat_rouge1", "concat_rouge2", "align_m1_rouge1", "align_m1_rouge2", "date")


def _f1(precision: float, recall: float) -> float:
    # Same expression as tilse's util.get_f_score with beta=1, for bit-equal results.
    if precision + recall == 0:
        return 0.0
    return (1 + 1**2) * precision * recall / (1**2 * precision + recall)


def _f1_key(metric: str) -> str:
    return "date_f1" if metric == "date" else metric


def _record(scores: dict[str, float], metric: str, precision: float, recall: float) -> None:
    scores[_f1_key(metric)] = _f1(precision, recall)
    scores[f"{metric}_precision"] = precision
    scores[f"{metric}_recall"] = recall


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _approximate_tokens(sentences: Sequence[str]) -> Counter[str]:
    # tilse's compute_rouge_approximation: raw whitespace tokens, no lower-casing or
    # stemming; `in string.punctuation` is a substring test there, kept as is.
    return Counter(
        token
        for sentence in sentences
        for token in sentence.split()
        if token not in string.punctuation
    )


def _approximate_rouge1_f1(predicted: Counter[str], references: Sequence[Counter[str]]) -> float:
    """tilse's cheap ROUGE-1 F1 used only to choose the date alignment."""
    # Only shared tokens can match; the key-view intersection keeps the all-dates cost
    # matrix cheap on long timelines.
    match = sum(
        min(predicted[token], reference[token])
        for reference in references
        for token in predicted.keys() & reference.keys()
    )
    if match == 0:
        return 0
    precision = match / (len(references) * predicted.total())
    recall = match / sum(reference.total() for reference in references)
    return 2 * precision * recall / (precision + recall)


def _date_weight(first: dt.date, second: dt.date) -> float:
    return 1 / (abs(first.toordinal() - second.toordinal()) + 1)


def _many_to_one_alignment(
    predicted: Timeline,
    references: Sequence[Timeline],
    predicted_dates: list[dt.date],
    reference_dates: list[dt.date],
) -> tuple[list[int], list[int]]:
    """For each predicted date the cheapest reference date, and vice versa (indices).

    Ties go to the earliest date, like numpy's argmin over sorted dates in tilse.
    """
    predicted_bags = [_approximate_tokens(predicted[day]) for day in predicted_dates]
    reference_bags = [
        [_approximate_tokens(reference.get(day, ())) for reference in references]
        for day in reference_dates
    ]
    costs = [
        [
            (1 - _date_weight(predicted_day, reference_day))
            * (1 - _approximate_rouge1_f1(predicted_bag, reference_bag))
            for reference_day, reference_bag in zip(reference_dates, reference_bags)
        ]
        for predicted_day, predicted_bag in zip(predicted_dates, predicted_bags)
    ]
    best_reference = [row.index(min(row)) for row in costs]
    columns = [[row[j] for row in costs] for j in range(len(reference_dates))]
    best_predicted = [column.index(min(column)) if column else -1 for column in columns]
    return best_reference, best_predicted


def timeline_scores(
    predicted: Timeline, references: Sequence[Timeline] | Timeline
) -> dict[str, float]:
    """tilse's concat, align+ m:1 and date F1 scores of ``predicted`` against ``references``.

    ``references`` is normally one reference timeline (the Timeline17 protocol: score each
    reference timeline separately, then the caller averages); a list of several is pooled as
    one multi-reference ground truth, exactly as tilse does when given several timelines.
    Keys: ``concat_rouge1``, ``concat_rouge2``, ``align_m1_rouge1``, ``align_m1_rouge2``,
    ``date_f1`` (F1 in [0, 1]), and for each metric (``date`` for the dates) its
    ``<metric>_precision`` and ``<metric>_recall``, which :func:`average_timeline_scores`
    needs. Sentences may be raw or tokenised text; Timeline17
    references are PTB-tokenised, which only matters for the alignment's cheap ROUGE.
    """
    reference_list: list[Timeline] = (
        [references] if isinstance(references, Mapping) else list(references)
    )
    if not reference_list or not any(reference_list):
        raise ValueError("timeline_scores needs at least one non-empty reference timeline")
    predicted_dates = sorted(predicted)
    reference_dates = sorted(set().union(*reference_list))

    predicted_tokens = [rouge155_tokens(predicted[day]) for day in predicted_dates]
    # Per reference date, one token list per reference timeline (empty where it lacks the date).
    reference_tokens = [
        [rouge155_tokens(reference.get(day, ())) for reference in reference_list]
        for day in reference_dates
    ]

    scores: dict[str, float] = {}
    concat_predicted = [token for tokens in predicted_tokens for token in tokens]
    concat_references = [
        [token for per_reference in reference_tokens for token in per_reference[r]]
        for r in range(len(reference_list))
    ]
    for n in _ROUGE_SIZES:
        counts = rouge155_counts(concat_predicted, concat_references, n)
        _record(
            scores,
            f"concat_rouge{n}",
            _ratio(counts.hits, counts.peer_count),
            _ratio(counts.hits, counts.model_count),
        )

    best_reference, best_predicted = (
        _many_to_one_alignment(predicted, reference_list, predicted_dates, reference_dates)
        if predicted_dates
        else ([], [-1] * len(reference_dates))
    )
    for n in _ROUGE_SIZES:
        precision_hits = 0.0
        precision_total = 0
        for i, j in enumerate(best_reference):
            counts = rouge155_counts(predicted_tokens[i], reference_tokens[j], n)
            precision_hits += _date_weight(predicted_dates[i], reference_dates[j]) * counts.hits
            precision_total += counts.peer_count
        recall_hits = 0.0
        recall_total = 0
        for j, i in enumerate(best_predicted):
            if i < 0:  # no predicted dates at all: the reference date counts as missed
                counts = rouge155_counts([], reference_tokens[j], n)
                weight = 1.0
            else:
                counts = rouge155_counts(predicted_tokens[i], reference_tokens[j], n)
                weight = _date_weight(predicted_dates[i], reference_dates[j])
            recall_hits += weight * counts.hits
            recall_total += counts.model_count
        _record(
            scores,
            f"align_m1_rouge{n}",
            _ratio(precision_hits, precision_total),
            _ratio(recall_hits, recall_total),
        )

    shared_dates = len(set(predicted_dates) & set(reference_dates))
    _record(
        scores,
        "date",
        _ratio(shared_dates, len(predicted_dates)),
        _ratio(shared_dates, len(reference_dates)),
    )
    return scores


def average_timeline_scores(per_timeline: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Mean over reference timelines as tilse reports it (``Scores``): precision and recall
    are averaged, and each F1 is the F1 of the mean precision and mean recall (not the mean
    of the F1 values)."""
    if not per_timeline:
        raise ValueError("average_timeline_scores needs at least one score dict")
    averaged: dict[str, float] = {}
    for metric in _METRICS:
        precision = sum(scores[f"{metric}_precision"] for scores in per_timeline)
        recall = sum(scores[f"{metric}_recall"] for scores in per_timeline)
        _record(averaged, metric, precision / len(per_timeline), recall / len(per_timeline))
    return averaged
