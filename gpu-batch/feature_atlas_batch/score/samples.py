"""The texts a judge sees, each with the verdict a perfect judge would give."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..explain.format import crop_around_peak, mark_tokens, plain_text
from ..records import Example, LatentRecord


@dataclass(frozen=True)
class Sample:
    text: str
    truth: bool
    """True when the sample should be judged as matching the explanation."""


def _cropped(examples: list[Example], limit: int, max_tokens: int) -> list[Example]:
    return [crop_around_peak(e, max_tokens) for e in examples[:limit]]


def detection_samples(
    latent: LatentRecord, n_test: int, n_non_activating: int, max_tokens: int, rng: random.Random
) -> list[Sample]:
    """Held-out activating contexts (truth True) and non-activating ones (False), unmarked, shuffled."""
    samples = [Sample(plain_text(e.tokens), True) for e in _cropped(latent.test, n_test, max_tokens)]
    samples += [
        Sample(plain_text(e.tokens), False)
        for e in _cropped(latent.non_activating, n_non_activating, max_tokens)
    ]
    rng.shuffle(samples)
    return samples


def wrong_marks(example: Example, rng: random.Random) -> list[bool] | None:
    """As many marks as the example has firing tokens, all placed on tokens that do not fire."""
    firing = [a > 0 for a in example.activations]
    quiet = [i for i, f in enumerate(firing) if not f]
    if not quiet:
        return None
    count = min(max(1, sum(firing)), len(quiet))
    chosen = set(rng.sample(quiet, count))
    return [i in chosen for i in range(len(firing))]


def fuzz_samples(latent: LatentRecord, n_test: int, max_tokens: int, rng: random.Random) -> list[Sample]:
    """Held-out activating contexts, half with the firing tokens marked (True), half marked at random quiet tokens (False).

    An example that fires on every token cannot be mis-marked; it is shown
    correctly marked instead, so the halves may differ by a few.
    """
    examples = _cropped(latent.test, n_test, max_tokens)
    order = list(range(len(examples)))
    rng.shuffle(order)
    wrong_half = set(order[: len(order) // 2])
    samples = []
    for i, example in enumerate(examples):
        marks = wrong_marks(example, rng) if i in wrong_half else None
        if marks is None:
            samples.append(Sample(mark_tokens(example.tokens, [a > 0 for a in example.activations]), True))
        else:
            samples.append(Sample(mark_tokens(example.tokens, marks), False))
    rng.shuffle(samples)
    return samples
