"""Recover activating examples from a delphi explainer prompt.

delphi's `generation_prompt` lists examples as

    Example 3:  text with<< marked>> tokens ...
    Activations: (" marked" : 7)

The marked spans are the activating tokens (consecutive activating tokens share
one span), and the `Activations` line lists each activating token with its
activation, normalised by delphi to integers 0..10, in text order. The prompt
does not hold the model's token boundaries for the rest of the text, so the
unmarked text is split with GPT-2's pre-tokenisation rule (words with their
leading space, digit runs, punctuation runs); those pieces get activation 0.
Listed tokens keep their listed values. Marked text that no listed token
spells (delphi leaves some activating tokens out of the list) gets 0, and the
example is flagged as not exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

END_OF_TEXT = "<|endoftext|>"
_EXAMPLE_HEAD = re.compile(r"(?:^|\n)Example (\d+): ")
_ACTIVATIONS = "\nActivations: "
_PAIR = re.compile(r'\("(.*?)" : (-?\d+(?:\.\d+)?)\)(?:, |$)', re.S)
_MARK = re.compile(r"<<(.*?)>>", re.S)
# GPT-2's pre-tokeniser: contractions, letters, digits, other symbols, each
# with an optional leading space; whitespace runs that precede a word are left
# to that word's leading space.
_PRETOKEN = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


@dataclass
class PromptExample:
    tokens: list[str]
    activations: list[float]
    exact: bool
    """True when the listed tokens spell every marked span exactly, and none is left over."""

    @property
    def max_activation(self) -> float:
        return max(self.activations)


def split_examples(prompt: str) -> list[tuple[str, str]]:
    """(marked text, activations list) of each example, in prompt order.

    Example headers are only taken in sequence (1, 2, 3, ...), since an
    example's own text may contain a line such as "Example 1: ...".
    """
    heads = []
    expected = 1
    for m in _EXAMPLE_HEAD.finditer(prompt):
        if int(m.group(1)) == expected:
            heads.append(m)
            expected += 1
    blocks = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(prompt)
        block = prompt[head.end():end]
        cut = block.rfind(_ACTIVATIONS)
        if cut < 0:
            raise ValueError(f"example {i + 1} has no 'Activations:' line")
        blocks.append((block[:cut], block[cut + len(_ACTIVATIONS):].rstrip("\n")))
    return blocks


def parse_pairs(activations: str) -> list[tuple[str, float]]:
    return [(m.group(1), float(m.group(2))) for m in _PAIR.finditer(activations)]


def pretokenize(text: str) -> list[str]:
    pieces: list[str] = []
    for i, part in enumerate(text.split(END_OF_TEXT)):
        if i:
            pieces.append(END_OF_TEXT)
        pieces.extend(_PRETOKEN.findall(part))
    return pieces


def parse_example(marked: str, pairs: list[tuple[str, float]]) -> PromptExample:
    tokens: list[str] = []
    acts: list[float] = []
    queue = list(pairs)
    exact = True
    pos = 0
    for m in _MARK.finditer(marked):
        for piece in pretokenize(marked[pos:m.start()]):
            tokens.append(piece)
            acts.append(0.0)
        pos = m.end()
        span = m.group(1)
        while span:
            if queue and queue[0][0] and span.startswith(queue[0][0]):
                token, value = queue.pop(0)
                tokens.append(token)
                acts.append(value)
                span = span[len(token):]
                continue
            # Marked but not listed (delphi leaves out tokens whose normalised
            # value rounds away): keep the text up to where the next listed
            # token can start, with activation 0.
            exact = False
            cut = next((j for j in range(1, len(span)) if queue and span[j:].startswith(queue[0][0])), len(span))
            for piece in pretokenize(span[:cut]) or [span[:cut]]:
                tokens.append(piece)
                acts.append(0.0)
            span = span[cut:]
    for piece in pretokenize(marked[pos:]):
        tokens.append(piece)
        acts.append(0.0)
    if queue:
        exact = False
    return PromptExample(tokens=tokens, activations=acts, exact=exact)


def parse_prompt(prompt: str) -> list[PromptExample]:
    return [parse_example(marked, parse_pairs(listed)) for marked, listed in split_examples(prompt)]
