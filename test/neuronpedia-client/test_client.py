"""Neuronpedia's own Python client against a local Feature Atlas Worker.

The client (PyPI `neuronpedia`) with USE_LOCALHOST=true calls
http://localhost:3000/api; run.sh serves the Worker there with the Gemma Scope
demo bundle ingested and passes a read key as NEURONPEDIA_API_KEY.
"""

import json
import os

import pytest

os.environ.setdefault("USE_LOCALHOST", "true")

from neuronpedia.np_feature import Feature  # noqa: E402
from neuronpedia.np_sae_feature import SAEFeature  # noqa: E402
import requests  # noqa: E402

MODEL, SOURCE, INDEX = "gemma-2-2b", "20-gemmascope-res-16k", 14403


def expected_explanations() -> list[str]:
    """The explanations of the latent in the shared data file the demo bundle was built from."""
    path = os.environ["FEATURE_ATLAS_EXPLANATIONS"]
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return sorted(r["description"].strip() for r in rows if r["source"] == SOURCE and int(r["index"]) == INDEX)


def test_sae_feature_get_returns_the_explanations():
    feature = SAEFeature.get(MODEL, SOURCE, str(INDEX))
    assert (feature.modelId, feature.source, feature.index) == (MODEL, SOURCE, str(INDEX))
    data = json.loads(feature.jsonData)
    texts = sorted(e["description"].strip() for e in data["explanations"])
    assert texts == expected_explanations()
    assert texts, "the latent should have at least one explanation"


def test_feature_get_parses_explanations_and_activations():
    feature = Feature.get(MODEL, SOURCE, INDEX)
    assert feature.index == str(INDEX)
    assert sorted(e.text.strip() for e in feature.explanations) == expected_explanations()
    assert all(e.explainer_model == "gpt-4o-mini" for e in feature.explanations)
    assert feature.activations == []  # the Gemma Scope export carries no examples


def test_missing_feature_raises_not_found():
    with pytest.raises(requests.exceptions.HTTPError, match="404"):
        SAEFeature.get(MODEL, SOURCE, "16384")
