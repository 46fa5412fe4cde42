import random

import pytest

from feature_atlas_batch.records import Example
from feature_atlas_batch.score import ScoreConfig
from feature_atlas_batch.score.prompts import detection_messages, fuzz_messages
from feature_atlas_batch.score.samples import detection_samples, fuzz_samples, wrong_marks
from llm_latents import theme_latent


def test_detection_samples_mix_activating_and_quiet_contexts():
    latent = theme_latent("animals", 1)
    samples = detection_samples(latent, n_test=4, n_non_activating=3, max_tokens=64, rng=random.Random(0))
    assert sum(s.truth for s in samples) == 4 and sum(not s.truth for s in samples) == 3
    assert all("<<" not in s.text for s in samples)
    activating_texts = {"".join(e.tokens) for e in latent.test}
    assert all((s.text in activating_texts) == s.truth for s in samples)


def test_wrong_marks_avoid_firing_tokens_and_keep_the_count():
    rng = random.Random(5)
    example = Example(tokens=["a", " b", " c", " d", " e"], activations=[0, 2.0, 0, 3.0, 0], kind="top")
    for _ in range(20):
        marks = wrong_marks(example, rng)
        assert marks is not None and sum(marks) == 2
        assert not any(m and a > 0 for m, a in zip(marks, example.activations))
    assert wrong_marks(Example(tokens=["x"], activations=[1.0], kind="top"), rng) is None


def test_fuzz_samples_are_half_correct_half_misplaced():
    latent = theme_latent("weekdays", 2)
    samples = fuzz_samples(latent, n_test=6, max_tokens=64, rng=random.Random(1))
    assert len(samples) == 6 and sum(s.truth for s in samples) == 3
    day_names = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
    for sample in samples:
        marked = [part.split(">>")[0].strip(" .,") for part in sample.text.split("<<")[1:]]
        assert marked, sample.text
        assert all(word in day_names for word in marked) == sample.truth


def test_judge_prompts_number_the_examples_and_carry_the_explanation():
    latent = theme_latent("colors", 3)
    samples = fuzz_samples(latent, n_test=4, max_tokens=64, rng=random.Random(2))
    for build in (detection_messages, fuzz_messages):
        messages = build("Colour words", samples)
        body = messages[-1]["content"]
        assert body.startswith("Explanation: Colour words")
        assert [f"Example {i}:" in body for i in range(1, 5)] == [True] * 4
        assert "Example 5:" not in body


@pytest.mark.parametrize("field,value", [("scorers", ("detection", "simulation")), ("scorers", ()), ("batch_size", 0), ("n_test", 0), ("embedding_model", "/no/such/folder")])
def test_score_config_validation(field, value):
    with pytest.raises(ValueError):
        ScoreConfig(**{field: value})


@pytest.mark.parametrize("size", [1, 3, 10])
def test_judge_shot_has_as_many_examples_and_answers_as_the_batch(size):
    latent = theme_latent("animals", 4, n_test=6)
    samples = detection_samples(latent, n_test=6, n_non_activating=6, max_tokens=64, rng=random.Random(0))[:size]
    for build in (detection_messages, fuzz_messages):
        shot_user, shot_answer = build("Animal names", samples)[1:3]
        assert shot_user["content"].count("\nExample ") == size
        assert len(shot_answer["content"].strip("[]").split(",")) == size
