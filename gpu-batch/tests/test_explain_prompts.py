import pytest

from feature_atlas_batch.explain import PROMPT_VERSION, ExplainConfig, ExplanationParseError, build_explain_messages, parse_explanation
from feature_atlas_batch.explain.format import activation_line, crop_around_peak, mark_tokens, strength
from feature_atlas_batch.records import Example
from llm_latents import theme_latent


def test_mark_tokens_wraps_runs_once():
    tokens = ["The", " New", " York", " Times", " said"]
    assert mark_tokens(tokens, [False, True, True, False, False]) == "The<< New York>> Times said"
    assert mark_tokens(tokens, [True, False, True, False, True]) == "<<The>> New<< York>> Times<< said>>"
    with pytest.raises(ValueError):
        mark_tokens(tokens, [True])


def test_strength_scale():
    assert strength(5.0, 10.0) == 5
    assert strength(10.0, 10.0) == 10
    assert strength(0.01, 10.0) == 1  # a firing token never shows as 0
    assert strength(0.0, 10.0) == 0


def test_activation_line_lists_marked_tokens_in_order():
    example = Example(tokens=["a", ' "b"', " c"], activations=[0.0, 4.0, 8.0], kind="top")
    line = activation_line(example, [False, True, True], scale_max=8.0)
    assert line == 'Activations: (" \\"b\\"" : 5), (" c" : 10)'


def test_crop_keeps_the_peak_inside_the_window():
    acts = [0.0] * 100
    acts[90] = 3.0
    example = Example(tokens=[f" t{i}" for i in range(100)], activations=acts, kind="top")
    cropped = crop_around_peak(example, 20)
    assert len(cropped.tokens) == 20
    assert " t90" in cropped.tokens and cropped.max_activation == 3.0


def test_explain_messages_show_marked_examples_strongest_first():
    latent = theme_latent("weekdays", 1)
    cfg = ExplainConfig(n_examples=3)
    messages = build_explain_messages(latent, cfg)
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert "[EXPLANATION]:" in messages[0]["content"]
    body = messages[-1]["content"]
    assert body.count("Example ") == 3
    assert "<< Monday>>" in body or "<< Tuesday>>" in body or "<< Wednesday>>" in body
    assert body.count("Activations:") == 3
    strongest = max(latent.train, key=lambda e: e.max_activation)
    assert body.split("\n")[0].startswith("Example 1: " + mark_tokens(strongest.tokens, [a > 0 for a in strongest.activations]))
    assert PROMPT_VERSION == "explain-v1"


def test_explain_messages_refuse_latents_without_activating_examples():
    latent = theme_latent("weekdays", 1)
    latent.train = []
    with pytest.raises(ValueError, match="no training examples"):
        build_explain_messages(latent, ExplainConfig())


@pytest.mark.parametrize(
    "reply,expected",
    [
        ("Thinking...\n[EXPLANATION]: Names of weekdays", "Names of weekdays"),
        ("[EXPLANATION]: first\nmore thoughts\n[EXPLANATION]: second", "second"),
        ("**[EXPLANATION]:** \"Animal nouns\"", "Animal nouns"),
        ("explanation: colour words <<red>>", "colour words red"),
        ("[EXPLANATION]:\n\n  Days of the week  ", "Days of the week"),
    ],
)
def test_parse_explanation_accepts_common_shapes(reply, expected):
    assert parse_explanation(reply) == expected


@pytest.mark.parametrize(
    "reply",
    ["The feature fires on days.", "[EXPLANATION]:", "[EXPLANATION]: <explanation>", "[EXPLANATION]: " + "x" * 2001],
)
def test_parse_explanation_refuses_replies_without_a_usable_line(reply):
    with pytest.raises(ExplanationParseError):
        parse_explanation(reply)


@pytest.mark.parametrize("field,value", [("n_examples", 0), ("max_example_tokens", 0), ("mark_fraction", 1.0), ("method", " ")])
def test_explain_config_validation(field, value):
    with pytest.raises(ValueError):
        ExplainConfig(**{field: value})
