"""The explanation stage: latents.jsonl -> explanations.jsonl (+ failures.jsonl)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict
from pathlib import Path

from ..llm.client import ChatClient, LLMError
from ..llm.journal import Journal, file_sha256, fingerprint, journal_path
from ..llm.pool import run_pool
from ..llm.stage_io import latent_key, read_latents
from ..records import ExplanationRecord, LatentRecord, write_records
from ..stage_runner import run_stage
from .config import ExplainConfig
from .parse import ExplanationParseError, parse_explanation
from .prompts import PROMPT_VERSION, build_explain_messages

EXPLANATIONS_FILE = "explanations.jsonl"
FAILURES_FILE = "failures.jsonl"


def _record(
    latent: LatentRecord,
    cfg: ExplainConfig,
    text: str | None,
    error: str | None,
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
) -> ExplanationRecord:
    return ExplanationRecord(
        sae=latent.sae,
        index=latent.index,
        text=text,
        explainer=cfg.llm.model,
        method=cfg.method,
        prompt_version=PROMPT_VERSION,
        error=error,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
    )


async def explain_latent(client: ChatClient, latent: LatentRecord, cfg: ExplainConfig) -> ExplanationRecord:
    """Explain one latent; every failure comes back as a record with `text=None` and `error` set.

    Raises nothing for call or parse failures, so one bad latent never stops a run.
    """
    try:
        messages = build_explain_messages(latent, cfg)
    except ValueError as e:
        return _record(latent, cfg, None, f"input: {e}")
    try:
        response = await client.chat(messages, max_tokens=cfg.llm.max_tokens)
    except LLMError as e:
        return _record(latent, cfg, None, f"call: {e}")
    tokens = (response.prompt_tokens, response.completion_tokens)
    try:
        text = parse_explanation(response.text)
    except ExplanationParseError as e:
        return _record(latent, cfg, None, f"parse: {e}; reply: {response.text[:500]!r}", *tokens)
    return _record(latent, cfg, text, None, *tokens)


def run_explain_stage(latents_path: Path, out_dir: Path, cfg: ExplainConfig) -> dict:
    """Explain every latent of `latents_path` (LatentRecord JSONL) into `out_dir`.

    Writes `explanations.jsonl` (ExplanationRecord with text), `failures.jsonl`
    (ExplanationRecord with text=None and error), `run_config.json` and
    `summary.json`; the directory appears only when the stage completes. A run
    that stops half-way resumes from `.<out_dir name>.journal.jsonl` without
    asking again for the latents already done (call failures are retried).
    A finished stage with the same inputs and config is not run again.
    Returns the summary dict (also in `summary.json` and `DONE.json`).
    """
    latents_path, out_dir = Path(latents_path), Path(out_dir)
    run_config = {
        "promptVersion": PROMPT_VERSION,
        "latents": str(latents_path),
        "latentsSha256": file_sha256(latents_path),
        "config": cfg.to_json(),
    }
    journal = Journal(journal_path(out_dir), fingerprint(run_config))

    def work(scratch: Path) -> dict:
        latents = read_latents(latents_path)
        started = time.monotonic()
        resumed = len(journal.entries)
        with journal:
            usage = asyncio.run(_explain_all(latents, cfg, journal))
        records = [ExplanationRecord(**journal.entries[latent_key(l.sae, l.index)]) for l in latents]
        elapsed = time.monotonic() - started
        explained = [r for r in records if r.text is not None]
        failed = [r for r in records if r.text is None]
        write_records(scratch / EXPLANATIONS_FILE, explained)
        write_records(scratch / FAILURES_FILE, failed)
        return {
            "promptVersion": PROMPT_VERSION,
            "explainer": cfg.llm.model,
            "latents": len(latents),
            "explained": len(explained),
            "failed": len(failed),
            "resumedFromJournal": resumed,
            "explanationsPerS": round(len(explained) / max(elapsed, 1e-9), 4),
            "usage": usage,
        }

    summary = run_stage(out_dir, "explain", run_config, work)
    journal.remove()
    return summary


async def _explain_all(latents: list[LatentRecord], cfg: ExplainConfig, journal: Journal) -> dict:
    todo = [l for l in latents if latent_key(l.sae, l.index) not in journal.entries]

    async with ChatClient(cfg.llm) as client:

        async def work(latent: LatentRecord) -> None:
            record = await explain_latent(client, latent, cfg)
            key = latent_key(latent.sae, latent.index)
            if record.error is not None and record.error.startswith("call:"):
                # Not journaled: a failed call may succeed on the next run.
                journal.entries[key] = asdict(record)
            else:
                journal.add(key, asdict(record))

        await run_pool(
            todo, work, concurrency=cfg.llm.max_concurrency, desc="explain", show_progress=cfg.show_progress
        )
        return client.usage.summary()
