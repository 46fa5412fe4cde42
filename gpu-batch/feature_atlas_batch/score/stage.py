"""The scoring stage: latents.jsonl + explanations.jsonl -> scores.jsonl (+ failures.jsonl)."""

from __future__ import annotations

import asyncio
import hashlib
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ..llm.client import ChatClient
from ..llm.usage import UsageMeter
from ..llm.journal import Journal, file_sha256, fingerprint, journal_path
from ..llm.pool import run_pool
from ..llm.stage_io import latent_key, read_explanations, read_latents
from ..records import ExplanationRecord, LatentRecord, ScoreRecord, write_records
from ..stage_runner import run_stage
from .config import ScoreConfig
from .embedding import Embedder, embedding_auroc, embedding_contexts
from .judge import run_judge_scorer
from .prompts import DETECTION_PROMPT_VERSION, FUZZ_PROMPT_VERSION

SCORES_FILE = "scores.jsonl"
FAILURES_FILE = "failures.jsonl"
JUDGE_SCORERS = ("detection", "fuzz")


@dataclass
class ScoreFailure:
    """A score that could not be computed, and why."""

    sae: str
    index: int
    explanation: str
    scorer: str
    error: str


@dataclass(frozen=True)
class _Job:
    latent: LatentRecord
    explanation: ExplanationRecord
    scorer: str

    @property
    def key(self) -> str:
        text_hash = hashlib.sha256((self.explanation.text or "").encode("utf-8")).hexdigest()[:16]
        return f"{latent_key(self.latent.sae, self.latent.index)}/{self.scorer}/{text_hash}"


def run_score_stage(latents_path: Path, explanations_path: Path, out_dir: Path, cfg: ScoreConfig) -> dict:
    """Score every explanation of `explanations_path` against its latent's held-out examples.

    `latents_path`: LatentRecord JSONL (uses `test` and `non_activating`);
    `explanations_path`: ExplanationRecord JSONL (the explain stage's
    `explanations.jsonl`; rows with `text=None` are skipped). Writes
    `scores.jsonl` (ScoreRecord; `explanation` holds the explanation text,
    `scorer` one of `detection`, `fuzz`, `embedding`), `failures.jsonl`
    (ScoreFailure), `run_config.json` and `summary.json` into `out_dir`,
    atomically; resumes an interrupted run from `.<out_dir name>.journal.jsonl`;
    a finished stage with the same inputs and config is not run again.
    Returns the summary dict.
    """
    latents_path, explanations_path, out_dir = Path(latents_path), Path(explanations_path), Path(out_dir)
    run_config = {
        "promptVersions": {"detection": DETECTION_PROMPT_VERSION, "fuzz": FUZZ_PROMPT_VERSION},
        "latents": str(latents_path),
        "latentsSha256": file_sha256(latents_path),
        "explanations": str(explanations_path),
        "explanationsSha256": file_sha256(explanations_path),
        "config": cfg.to_json(),
    }
    journal = Journal(journal_path(out_dir), fingerprint(run_config))

    def work(scratch: Path) -> dict:
        jobs, orphans = _jobs(read_latents(latents_path), read_explanations(explanations_path), cfg)
        started = time.monotonic()
        resumed = len(journal.entries)
        with journal:
            todo = [job for job in jobs if job.key not in journal.entries]
            _score_embedding([j for j in todo if j.scorer == "embedding"], cfg, journal)
            # Scorer-major order: consecutive prompts share their system prompt, which servers with
            # prefix caching (llama.cpp, vLLM) then evaluate once.
            judged = sorted((j for j in todo if j.scorer in JUDGE_SCORERS), key=lambda j: cfg.scorers.index(j.scorer))
            usage = asyncio.run(_score_judged(judged, cfg, journal))
        scores, failures = [], list(orphans)
        for job in jobs:
            entry = journal.entries[job.key]
            if "error" in entry:
                failures.append(ScoreFailure(**entry))
            else:
                scores.append(ScoreRecord(**entry))
        write_records(scratch / SCORES_FILE, scores)
        write_records(scratch / FAILURES_FILE, failures)
        return {
            "explanations": len({(j.explanation.sae, j.explanation.index, j.explanation.text) for j in jobs}),
            "scores": len(scores),
            "failed": len(failures),
            "resumedFromJournal": resumed,
            "scoringS": round(time.monotonic() - started, 3),
            "byScorer": _by_scorer(scores, failures, cfg),
            "usage": usage,
        }

    summary = run_stage(out_dir, "score", run_config, work)
    journal.remove()
    return summary


def _jobs(
    latents: list[LatentRecord], explanations: list[ExplanationRecord], cfg: ScoreConfig
) -> tuple[list[_Job], list[ScoreFailure]]:
    by_key = {latent_key(l.sae, l.index): l for l in latents}
    jobs, orphans = [], []
    for explanation in explanations:
        if explanation.text is None:
            continue
        latent = by_key.get(latent_key(explanation.sae, explanation.index))
        for scorer in cfg.scorers:
            if latent is None:
                orphans.append(
                    ScoreFailure(
                        explanation.sae, explanation.index, explanation.text, scorer, "input: latent not in latents file"
                    )
                )
            else:
                jobs.append(_Job(latent, explanation, scorer))
    return jobs, orphans


def _result_entry(job: _Job, value: float | None, n: int, details: dict | None, error: str | None) -> dict:
    text = job.explanation.text or ""
    if error is not None or value is None:
        return asdict(ScoreFailure(job.latent.sae, job.latent.index, text, job.scorer, error or "no value"))
    return asdict(ScoreRecord(job.latent.sae, job.latent.index, text, job.scorer, value, n, details))


EMBEDDING_CHUNK = 256
"""Explanations embedded together with their contexts in one encode call (fills the model's batches)."""


def _score_embedding(jobs: list[_Job], cfg: ScoreConfig, journal: Journal) -> None:
    if not jobs:
        return
    embedder = Embedder(cfg.embedding_model, cfg.embedding_device, cfg.embedding_batch_size)
    bar = tqdm(total=len(jobs), desc="score embedding", unit="expl", disable=not cfg.show_progress)
    for start in range(0, len(jobs), EMBEDDING_CHUNK):
        chunk = jobs[start : start + EMBEDDING_CHUNK]
        contexts = [
            embedding_contexts(job.latent, cfg.n_test, cfg.n_non_activating, cfg.max_example_tokens) for job in chunk
        ]
        texts = sorted({t for job, (pos, neg) in zip(chunk, contexts) for t in (job.explanation.text or "", *pos, *neg)})
        vectors = dict(zip(texts, embedder.encode(texts)))
        for job, (positive, negative) in zip(chunk, contexts):
            if not positive or not negative:
                error = f"input: {len(positive)} activating, {len(negative)} non-activating contexts"
                journal.add(job.key, _result_entry(job, None, 0, None, error))
                continue
            value = embedding_auroc(
                vectors[job.explanation.text or ""],
                np.stack([vectors[t] for t in positive]),
                np.stack([vectors[t] for t in negative]),
            )
            details = {"metric": "auroc", "nPositive": len(positive), "nNegative": len(negative), "model": embedder.name}
            journal.add(job.key, _result_entry(job, value, len(positive) + len(negative), details, None))
        bar.update(len(chunk))
    bar.close()


async def _score_judged(jobs: list[_Job], cfg: ScoreConfig, journal: Journal) -> dict:
    if not jobs:
        # No client: an embedding-only run must not need the judge's API key.
        return UsageMeter(cfg.llm.price_input_per_mtok, cfg.llm.price_output_per_mtok).summary()
    async with ChatClient(cfg.llm) as client:

        async def work(job: _Job) -> None:
            result = await run_judge_scorer(job.scorer, client, job.latent, job.explanation.text or "", cfg)
            entry = _result_entry(job, result.value, result.n, result.details, result.error)
            if result.error is not None and result.error.startswith("call:"):
                # Kept out of the journal file so a rerun asks again.
                journal.entries[job.key] = entry
            else:
                journal.add(job.key, entry)

        await run_pool(
            jobs, work, concurrency=cfg.llm.max_concurrency, desc="score judge", show_progress=cfg.show_progress
        )
        return client.usage.summary()


def _by_scorer(scores: list[ScoreRecord], failures: list[ScoreFailure], cfg: ScoreConfig) -> dict:
    summary = {}
    for scorer in cfg.scorers:
        values = [s.value for s in scores if s.scorer == scorer]
        summary[scorer] = {
            "scored": len(values),
            "failed": sum(f.scorer == scorer for f in failures),
            "mean": round(statistics.fmean(values), 4) if values else None,
            "meanN": round(statistics.fmean(s.n for s in scores if s.scorer == scorer), 2) if values else None,
        }
    return summary
