"""Explaining latents with an LLM from their activating examples."""

from .config import ExplainConfig
from .parse import ExplanationParseError, parse_explanation
from .prompts import PROMPT_VERSION, build_explain_messages
from .stage import explain_latent, run_explain_stage

__all__ = [
    "PROMPT_VERSION",
    "ExplainConfig",
    "ExplanationParseError",
    "build_explain_messages",
    "explain_latent",
    "parse_explanation",
    "run_explain_stage",
]
