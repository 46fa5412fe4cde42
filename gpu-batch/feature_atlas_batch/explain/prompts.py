"""The explainer prompt, in the manner of delphi's default explainer.

Activating examples are shown with the firing tokens marked `<<...>>` and
their strengths on a 0..10 scale; the model answers with a short explanation
on a final `[EXPLANATION]:` line. Change PROMPT_VERSION whenever the text
changes: explanations record it, so results of different prompts never mix.
"""

from __future__ import annotations

from ..records import Example, LatentRecord
from .config import ExplainConfig
from .format import activation_line, crop_around_peak, mark_tokens

PROMPT_VERSION = "explain-v1"

SYSTEM_PROMPT = """You study one feature of a language model: a direction in its internal activations that fires on certain tokens of certain texts. Your task is to say what the feature responds to.

You will see numbered text examples. The tokens on which the feature fires are wrapped in double angle brackets, <<like this>>; a run of consecutive firing tokens is wrapped as one span. Under each example, an "Activations" line lists every marked token with its strength, from 1 (weak) to 10 (the strongest seen for this feature).

Guidelines:
- Describe the pattern the examples share: the kind of token that is marked, and the surrounding context when it matters.
- Be concise: one short phrase or sentence. Do not list alternative explanations.
- Do not mention the << >> markers or the activation numbers.
- If the examples look unrelated, describe the most common pattern anyway.
- You may reason briefly first, but the last line of your reply must be the explanation, written as:
[EXPLANATION]: <explanation>"""

# One worked exchange teaches the answer format: small models follow a shown format far better than a
# described one. The shown answer is the tag line alone, because small models copy a shown reasoning line verbatim.
_SHOT_USER = """Example 1: The meeting is on<< Monday>> at noon.
Activations: (" Monday" : 10)
Example 2: We flew home on<< Friday>> evening after the conference.
Activations: (" Friday" : 8)
Example 3: Every<< Sunday>> morning the market opens early.
Activations: (" Sunday" : 9)"""

_SHOT_ASSISTANT = "[EXPLANATION]: Names of days of the week"


def select_examples(latent: LatentRecord, cfg: ExplainConfig) -> list[Example]:
    """The strongest training examples, cropped around their peaks."""
    ranked = sorted(latent.train, key=lambda e: e.max_activation, reverse=True)
    return [crop_around_peak(e, cfg.max_example_tokens) for e in ranked[: cfg.n_examples]]


def format_examples(examples: list[Example], mark_fraction: float) -> str:
    scale_max = max((e.max_activation for e in examples), default=0.0)
    blocks = []
    for number, example in enumerate(examples, 1):
        threshold = mark_fraction * example.max_activation
        marked = [a > threshold and a > 0 for a in example.activations]
        blocks.append(
            f"Example {number}: {mark_tokens(example.tokens, marked)}\n"
            f"{activation_line(example, marked, scale_max)}"
        )
    return "\n".join(blocks)


def build_explain_messages(latent: LatentRecord, cfg: ExplainConfig) -> list[dict[str, str]]:
    """Chat messages asking for an explanation of `latent` from its training examples."""
    examples = select_examples(latent, cfg)
    if not examples:
        raise ValueError(f"latent {latent.sae}/{latent.index} has no training examples")
    if all(e.max_activation <= 0 for e in examples):
        raise ValueError(f"latent {latent.sae}/{latent.index}: no training example activates")
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": _SHOT_USER},
        {"role": "assistant", "content": _SHOT_ASSISTANT},
        {"role": "user", "content": format_examples(examples, cfg.mark_fraction)},
    ]
