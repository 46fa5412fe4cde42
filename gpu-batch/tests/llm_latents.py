"""Constructed latents for the explain and score tests: each fires on one clear kind of word."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from feature_atlas_batch.records import Example, LatentRecord

THEMES = {
    "animals": (
        {"dog", "cat", "horse", "rabbit", "cow", "sheep", "goat", "fox", "owl", "mouse"},
        [
            "The dog barked at the mailman all morning.",
            "A small cat slept on the warm windowsill.",
            "The farmer led the horse into the barn.",
            "We saw a rabbit hiding under the hedge.",
            "The cow stood still in the muddy field.",
            "Our neighbour keeps a sheep and a goat behind the house.",
            "A fox crossed the road just before dawn.",
            "An owl called from the old oak tree.",
            "The mouse ran behind the kitchen cupboard.",
            "Her dog and cat share the same blanket.",
            "The goat climbed onto the garden wall.",
            "A horse and a cow grazed near the river.",
        ],
    ),
    "weekdays": (
        {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
        [
            "The meeting moved from Monday to Tuesday afternoon.",
            "We always go swimming on Saturday mornings.",
            "The shop is closed every Sunday.",
            "Her flight leaves on Friday evening.",
            "The report is due on Wednesday at noon.",
            "On Thursday the market sells fresh fish.",
            "He starts the new job next Monday.",
            "The concert was postponed until Saturday night.",
            "School ends early on Friday this week.",
            "Rain is expected from Tuesday to Thursday.",
            "The library opens late on Wednesday.",
            "They married on a quiet Sunday in June.",
        ],
    ),
    "colors": (
        {"red", "blue", "green", "yellow", "purple", "orange", "white", "black"},
        [
            "She painted the door a bright red colour.",
            "The sky turned a deep blue after the storm.",
            "He wore a green jacket to the party.",
            "A yellow taxi stopped at the corner.",
            "The purple flowers bloomed in early spring.",
            "They bought an orange sofa for the living room.",
            "The cat had white paws and a black tail.",
            "Her blue car was parked by the green gate.",
            "The walls were painted a soft yellow.",
            "A red kite flew above the hill.",
            "The old house had black shutters.",
            "He chose the orange and purple scarf.",
        ],
    ),
}

QUIET = [
    "The committee approved the budget after a long debate.",
    "Prices rose sharply during the last quarter.",
    "The engineer checked the bridge for cracks.",
    "Please send the documents before the deadline.",
    "The novel was translated into several languages.",
    "Traffic was heavy on the way to the airport.",
    "The students finished their exams in silence.",
    "The software update fixed several bugs.",
    "A new law on taxes takes effect soon.",
    "The orchestra rehearsed the symphony twice.",
    "The museum displays ancient coins and pottery.",
    "Our team won the tournament last year.",
]


def tokens_of(sentence: str) -> list[str]:
    """Word-level tokens, a leading space on every word but the first (as GPT-style tokenizers decode)."""
    words = sentence.split(" ")
    return [words[0]] + [" " + w for w in words[1:]]


def example(sentence: str, vocabulary: set[str], kind: str) -> Example:
    tokens = tokens_of(sentence)
    activations = [
        (6.0 + (len(t) % 4)) if t.strip(" .,").strip() in vocabulary else 0.0 for t in tokens
    ]
    return Example(tokens=tokens, activations=activations, kind=kind)


def theme_latent(theme: str, index: int, sae: str = "6-res-topk", n_train: int = 6, n_test: int = 6) -> LatentRecord:
    vocabulary, sentences = THEMES[theme]
    train = [example(s, vocabulary, "top") for s in sentences[:n_train]]
    test = [example(s, vocabulary, "quantile") for s in sentences[n_train : n_train + n_test]]
    non_activating = [example(s, vocabulary, "random") for s in QUIET[:n_test]]
    all_acts = [a for e in train + test for a in e.activations if a > 0]
    return LatentRecord(
        sae=sae,
        index=index,
        density=0.01,
        max_activation=max(all_acts),
        mean_activation=sum(all_acts) / len(all_acts),
        n_activations=len(all_acts),
        train=train,
        test=test,
        non_activating=non_activating,
    )


def write_latents(path: Path, latents: list[LatentRecord]) -> Path:
    path.write_text("".join(json.dumps(asdict(l)) + "\n" for l in latents), encoding="utf-8")
    return path
