"""Detection and fuzzing: ask the judge LLM about batches of samples, then score its verdicts."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import Callable

from ..llm.client import ChatClient, LLMError
from ..records import LatentRecord
from .config import ScoreConfig
from .metrics import Confusion
from .parse import JudgeParseError, parse_judgement
from .prompts import DETECTION_PROMPT_VERSION, FUZZ_PROMPT_VERSION, detection_messages, fuzz_messages
from .samples import Sample, detection_samples, fuzz_samples

MessagesBuilder = Callable[[str, list[Sample]], list[dict[str, str]]]


@dataclass
class JudgeResult:
    """A score, or the reason there is none."""

    value: float | None
    n: int
    details: dict
    error: str | None = None


def score_verdicts(predictions: list[bool | None], truths: list[bool], prompt_version: str) -> JudgeResult:
    """Balanced accuracy over the samples the judge answered; unanswered ones are counted, not guessed."""
    answered = [(p, t) for p, t in zip(predictions, truths) if p is not None]
    confusion = Confusion.of([p for p, _ in answered], [t for _, t in answered])
    details = confusion.details() | {
        "unanswered": len(predictions) - len(answered),
        "promptVersion": prompt_version,
    }
    value = confusion.balanced_accuracy
    if value is None:
        return JudgeResult(
            None,
            confusion.n,
            details,
            f"cannot compute balanced accuracy: {confusion.n} answered samples lack a positive or a negative",
        )
    return JudgeResult(value, confusion.n, details)


async def judge_samples(
    client: ChatClient, build: MessagesBuilder, explanation: str, samples: list[Sample], batch_size: int
) -> tuple[list[bool | None], list[str]]:
    """One verdict per sample (None where the batch's call or parse failed) and the errors met."""
    batches = [samples[i : i + batch_size] for i in range(0, len(samples), batch_size)]

    async def ask(batch: list[Sample]) -> tuple[list[bool | None], str | None]:
        try:
            response = await client.chat(build(explanation, batch))
            return list(parse_judgement(response.text, len(batch))), None
        except LLMError as e:
            return [None] * len(batch), f"call: {e}"
        except JudgeParseError as e:
            return [None] * len(batch), f"parse: {e}; reply: {response.text[:300]!r}"

    answers = await asyncio.gather(*(ask(batch) for batch in batches))
    predictions = [p for verdicts, _ in answers for p in verdicts]
    errors = [error for _, error in answers if error is not None]
    return predictions, errors


async def run_judge_scorer(
    scorer: str, client: ChatClient, latent: LatentRecord, explanation: str, cfg: ScoreConfig
) -> JudgeResult:
    """Score `explanation` of `latent` with `detection` or `fuzz`."""
    rng = random.Random(f"{cfg.seed}:{latent.sae}:{latent.index}:{scorer}")
    if scorer == "detection":
        samples = detection_samples(latent, cfg.n_test, cfg.n_non_activating, cfg.max_example_tokens, rng)
        build, version = detection_messages, DETECTION_PROMPT_VERSION
    elif scorer == "fuzz":
        samples = fuzz_samples(latent, cfg.n_test, cfg.max_example_tokens, rng)
        build, version = fuzz_messages, FUZZ_PROMPT_VERSION
    else:
        raise ValueError(f"{scorer!r} is not a judge scorer")
    truths = [s.truth for s in samples]
    if all(truths) or not any(truths):
        return JudgeResult(None, 0, {}, f"input: {len(samples)} samples lack a positive or a negative")
    predictions, errors = await judge_samples(client, build, explanation, samples, cfg.batch_size)
    result = score_verdicts(predictions, truths, version)
    if errors:
        result.details["errors"] = errors[:5]
        if result.n == 0:
            result.error = errors[0]
    return result
