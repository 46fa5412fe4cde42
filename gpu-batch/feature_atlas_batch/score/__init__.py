"""Scoring explanations: detection and fuzzing (judged by an LLM) and embedding AUROC."""

from .config import SCORERS, ScoreConfig
from .metrics import Confusion, auroc
from .prompts import DETECTION_PROMPT_VERSION, FUZZ_PROMPT_VERSION
from .stage import ScoreFailure, run_score_stage

__all__ = [
    "DETECTION_PROMPT_VERSION",
    "FUZZ_PROMPT_VERSION",
    "SCORERS",
    "Confusion",
    "ScoreConfig",
    "ScoreFailure",
    "auroc",
    "run_score_stage",
]
