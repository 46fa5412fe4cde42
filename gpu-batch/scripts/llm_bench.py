"""Measure the explain and score stages against a running OpenAI-compatible server.

    .venv/bin/python scripts/llm_bench.py --latents runs/<run>/latents/latents.jsonl --limit 20

Runs both stages on the first `--limit` latents into a fresh temporary folder
and prints explanations/s, tokens/s, parse failure rates and the machine's
load (a shared machine's numbers mean little without it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from feature_atlas_batch.explain import ExplainConfig, run_explain_stage
from feature_atlas_batch.llm import LLMConfig
from feature_atlas_batch.score import ScoreConfig, run_score_stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latents", type=Path, required=True, help="LatentRecord JSONL")
    parser.add_argument("--limit", type=int, default=10, help="latents to use (from the start of the file)")
    parser.add_argument("--base-url", default="http://127.0.0.1:8765/v1")
    parser.add_argument("--model", default="SmolLM2-135M-Instruct")
    parser.add_argument("--api-key-env", default=None, help="environment variable holding the API key")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--judge-batch-size", type=int, default=1)
    parser.add_argument("--skip-score", action="store_true")
    args = parser.parse_args()
    if not args.latents.is_file():
        parser.error(f"latents file not found: {args.latents}")
    if args.limit < 1:
        parser.error("--limit must be >= 1")

    with tempfile.TemporaryDirectory(prefix="llm-bench-") as tmp:
        work = Path(tmp)
        lines = args.latents.read_text(encoding="utf-8").splitlines()[: args.limit]
        latents = work / "latents.jsonl"
        latents.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        llm = dict(base_url=args.base_url, model=args.model, api_key_env=args.api_key_env, max_concurrency=args.concurrency)

        load_before = os.getloadavg()
        started = time.monotonic()
        explain = run_explain_stage(latents, work / "explain", ExplainConfig(llm=LLMConfig(max_tokens=64, **llm)))
        explain_s = time.monotonic() - started
        report = {
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "loadavgBefore": load_before},
            "latents": len(lines),
            "explain": {
                "seconds": round(explain_s, 2),
                "explained": explain["explained"],
                "parseOrCallFailures": explain["failed"],
                "explanationsPerS": round(explain["explained"] / explain_s, 4),
                "latentsPerS": round(len(lines) / explain_s, 4),
                "promptTokensPerS": round(explain["usage"]["promptTokens"] / explain_s, 1),
                "completionTokensPerS": round(explain["usage"]["completionTokens"] / explain_s, 1),
                "usage": explain["usage"],
            },
        }
        if not args.skip_score and explain["explained"]:
            started = time.monotonic()
            cfg = ScoreConfig(llm=LLMConfig(max_tokens=8, **llm), batch_size=args.judge_batch_size)
            score = run_score_stage(latents, work / "explain" / "explanations.jsonl", work / "score", cfg)
            score_s = time.monotonic() - started
            report["score"] = {
                "seconds": round(score_s, 2),
                "byScorer": score["byScorer"],
                "judgeRequestsPerS": round(score["usage"]["requests"] / score_s, 4),
                "promptTokensPerS": round(score["usage"]["promptTokens"] / score_s, 1),
                "usage": score["usage"],
            }
        report["machine"]["loadavgAfter"] = os.getloadavg()
        for row in (work / "explain" / "explanations.jsonl").read_text(encoding="utf-8").splitlines()[:5]:
            record = json.loads(row)
            print(f"  {record['sae']}/{record['index']}: {record['text']}")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
