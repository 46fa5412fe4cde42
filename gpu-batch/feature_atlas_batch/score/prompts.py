"""Judge prompts for detection and fuzzing, in the manner of delphi's scorers.

The judge gets an explanation and a numbered batch of texts and answers with
one 0/1 per text, as a bracketed list on its last line. Each prompt has its
own version, recorded in the score details.
"""

from __future__ import annotations

from .samples import Sample

DETECTION_PROMPT_VERSION = "detection-v1"
FUZZ_PROMPT_VERSION = "fuzz-v1"

DETECTION_SYSTEM = """You check explanations of features of a language model. A feature fires on certain tokens of certain texts; its explanation says what it responds to.

You will get the explanation and a numbered list of text examples. Some of the examples contain what the explanation describes and some do not. For each example, answer 1 if it contains something the explanation describes, and 0 if it does not.

The last line of your reply must be a list with exactly one 0 or 1 per example, in order, for example:
[1, 0, 0, 1, 0]"""

FUZZ_SYSTEM = """You check explanations of features of a language model. A feature fires on certain tokens of certain texts; its explanation says what it responds to.

You will get the explanation and a numbered list of text examples. In each example some tokens are marked <<like this>>. In some examples the marked tokens are exactly the ones the explanation describes; in others the marks were put on the wrong tokens. For each example, answer 1 if the marked tokens fit the explanation, and 0 if they do not.

The last line of your reply must be a list with exactly one 0 or 1 per example, in order, for example:
[1, 0, 0, 1, 0]"""

# A worked exchange precedes each batch, with as many examples as the batch holds: small judges copy the
# shown answer's length, so a shot of another length makes them answer with a list of the wrong size.
_SHOT_EXPLANATION = "Names of days of the week"
_SHOT_POOL = [
    # (plain text, text with marks, answer for detection, answer for fuzzing)
    ("The shop is closed on Sunday and Monday.", "The shop is closed on<< Sunday>> and<< Monday>>.", 1, 1),
    ("She poured the tea and sat by the window.", "She<< poured>> the tea and sat by the window.", 0, 0),
    ("Rain is expected from Tuesday to Thursday.", "Rain is expected<< from>> Tuesday to Thursday.", 1, 0),
    ("The parcel arrived on Friday morning.", "The parcel arrived on<< Friday>> morning.", 1, 1),
    ("A gull circled over the harbour.", "A gull circled over the<< harbour>>.", 0, 0),
    ("We met again the following Wednesday.", "We met again the following<< Wednesday>>.", 1, 1),
    ("The recipe needs two eggs and some flour.", "The recipe needs two<< eggs>> and some flour.", 0, 0),
    ("His exam is on Saturday at nine.", "His<< exam>> is on Saturday at nine.", 1, 0),
]


def _batch_text(explanation: str, texts: list[str]) -> str:
    lines = [f"Explanation: {explanation}", ""]
    lines += [f"Example {number}: {text}" for number, text in enumerate(texts, 1)]
    return "\n".join(lines)


def _answer(answers: list[int]) -> str:
    return "[" + ", ".join(str(a) for a in answers) + "]"


def _shot(size: int, marked: bool) -> tuple[str, str]:
    rows = [_SHOT_POOL[i % len(_SHOT_POOL)] for i in range(size)]
    texts = [row[1] if marked else row[0] for row in rows]
    answers = [row[3] if marked else row[2] for row in rows]
    return _batch_text(_SHOT_EXPLANATION, texts), _answer(answers)


def _messages(system: str, marked: bool, explanation: str, samples: list[Sample]) -> list[dict[str, str]]:
    shot_user, shot_answer = _shot(len(samples), marked)
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": shot_user},
        {"role": "assistant", "content": shot_answer},
        {"role": "user", "content": _batch_text(explanation, [s.text for s in samples])},
    ]


def detection_messages(explanation: str, samples: list[Sample]) -> list[dict[str, str]]:
    return _messages(DETECTION_SYSTEM, False, explanation, samples)


def fuzz_messages(explanation: str, samples: list[Sample]) -> list[dict[str, str]]:
    return _messages(FUZZ_SYSTEM, True, explanation, samples)
