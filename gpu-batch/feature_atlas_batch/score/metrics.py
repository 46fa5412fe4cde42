"""Balanced accuracy, precision, recall and AUROC of a scorer's verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class Confusion:
    tp: int
    tn: int
    fp: int
    fn: int

    @staticmethod
    def of(predictions: Sequence[bool], truths: Sequence[bool]) -> "Confusion":
        if len(predictions) != len(truths):
            raise ValueError(f"{len(predictions)} predictions for {len(truths)} truths")
        pairs = list(zip(predictions, truths))
        return Confusion(
            tp=sum(p and t for p, t in pairs),
            tn=sum(not p and not t for p, t in pairs),
            fp=sum(p and not t for p, t in pairs),
            fn=sum(not p and t for p, t in pairs),
        )

    @property
    def n(self) -> int:
        return self.tp + self.tn + self.fp + self.fn

    @property
    def recall(self) -> float | None:
        positives = self.tp + self.fn
        return self.tp / positives if positives else None

    @property
    def specificity(self) -> float | None:
        negatives = self.tn + self.fp
        return self.tn / negatives if negatives else None

    @property
    def precision(self) -> float | None:
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else None

    @property
    def accuracy(self) -> float | None:
        return (self.tp + self.tn) / self.n if self.n else None

    @property
    def balanced_accuracy(self) -> float | None:
        """Mean of recall and specificity; None unless both classes are present."""
        if self.recall is None or self.specificity is None:
            return None
        return (self.recall + self.specificity) / 2

    def details(self) -> dict:
        return {
            "metric": "balanced_accuracy",
            "tp": self.tp,
            "tn": self.tn,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "accuracy": self.accuracy,
        }


def auroc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    if not positive or not negative:
        raise ValueError("AUROC needs at least one positive and one negative score")
    # Rank-sum (Mann-Whitney U) form: O((n+m) log(n+m)) with average ranks for ties.
    scored = sorted([(s, 1) for s in positive] + [(s, 0) for s in negative])
    rank_sum = 0.0
    i = 0
    while i < len(scored):
        j = i
        while j + 1 < len(scored) and scored[j + 1][0] == scored[i][0]:
            j += 1
        average_rank = (i + j) / 2 + 1
        rank_sum += average_rank * sum(label for _, label in scored[i : j + 1])
        i = j + 1
    n_pos, n_neg = len(positive), len(negative)
    u = rank_sum - n_pos * (n_pos + 1) / 2
    return u / (n_pos * n_neg)
