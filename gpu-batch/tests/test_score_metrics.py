import itertools
import random

import pytest

from feature_atlas_batch.score.judge import score_verdicts
from feature_atlas_batch.score.metrics import Confusion, auroc
from feature_atlas_batch.score.parse import JudgeParseError, parse_judgement


def test_confusion_and_balanced_accuracy_on_constructed_answers():
    truths = [True] * 8 + [False] * 2
    predictions = [True] * 6 + [False] * 2 + [True, False]
    confusion = Confusion.of(predictions, truths)
    assert (confusion.tp, confusion.fn, confusion.fp, confusion.tn) == (6, 2, 1, 1)
    assert confusion.recall == pytest.approx(0.75)
    assert confusion.specificity == pytest.approx(0.5)
    assert confusion.balanced_accuracy == pytest.approx(0.625)
    assert confusion.precision == pytest.approx(6 / 7)
    # Plain accuracy rewards the majority class; balanced accuracy does not.
    always_yes = Confusion.of([True] * 10, truths)
    assert always_yes.accuracy == pytest.approx(0.8)
    assert always_yes.balanced_accuracy == pytest.approx(0.5)


def test_balanced_accuracy_needs_both_classes():
    assert Confusion.of([True, False], [True, True]).balanced_accuracy is None


def test_score_verdicts_skips_unanswered_samples():
    result = score_verdicts([True, None, False, True, None], [True, True, False, False, False], "detection-v1")
    assert result.n == 3
    assert result.value == pytest.approx((1.0 + 0.5) / 2)
    assert result.details["unanswered"] == 2 and result.details["promptVersion"] == "detection-v1"
    empty = score_verdicts([None, None], [True, False], "fuzz-v1")
    assert empty.value is None and empty.error is not None


def brute_force_auroc(positive, negative):
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in itertools.product(positive, negative))
    return wins / (len(positive) * len(negative))


def test_auroc_matches_pairwise_count_with_ties():
    rng = random.Random(3)
    for _ in range(20):
        positive = [rng.choice([0.1, 0.2, 0.3, rng.random()]) for _ in range(rng.randint(1, 12))]
        negative = [rng.choice([0.1, 0.2, 0.3, rng.random()]) for _ in range(rng.randint(1, 12))]
        assert auroc(positive, negative) == pytest.approx(brute_force_auroc(positive, negative))
    assert auroc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auroc([0.1], [0.9]) == 0.0
    with pytest.raises(ValueError):
        auroc([], [0.1])


@pytest.mark.parametrize(
    "reply,n,expected",
    [
        ("[1, 0, 1]", 3, [True, False, True]),
        ("Let me see: example 1 fits.\n[0,1]", 2, [False, True]),
        ("[1, 0]\nOn reflection:\n[0, 0]", 2, [False, False]),
        ("[1, 1, 1]\n[1, 0]", 3, [True, True, True]),
        ("['yes', 'no']", 2, [True, False]),
    ],
)
def test_parse_judgement(reply, n, expected):
    assert parse_judgement(reply, n) == expected


@pytest.mark.parametrize("reply,n", [("yes and no", 2), ("[1, 0, 1]", 2), ("[a, b]", 2), ("[]", 1)])
def test_parse_judgement_refuses(reply, n):
    with pytest.raises(JudgeParseError):
        parse_judgement(reply, n)
