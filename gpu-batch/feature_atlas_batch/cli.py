"""Command line: `atlas-batch <stage> config.toml` or `atlas-batch run config.toml`.

Every stage reads the same run config, writes under its `out_dir`, and is
skipped when it already finished with the same settings.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

STAGE_NAMES = ("activations", "train-sae", "stats", "explain", "score", "embed", "decode", "match", "bundle")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atlas-batch", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in (*STAGE_NAMES, "run"):
        p = sub.add_parser(name, help=f"run the {name} stage" if name != "run" else "run every stage in order")
        p.add_argument("config", type=Path, help="run config (TOML)")
        if name in ("activations", "run"):
            p.add_argument("--shard", default="0/1", help="i/n: capture only shard i of n (default 0/1)")
        if name == "run":
            p.add_argument("--until", choices=STAGE_NAMES, help="stop after this stage")
            p.add_argument("--skip", action="append", default=[], choices=STAGE_NAMES, help="leave out a stage (repeatable)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    # Imported here so that `--help` and argument errors answer fast.
    from .config import load_run_config
    from .pipeline import run_all, run_one

    try:
        cfg = load_run_config(args.config)
    except (FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        if args.command == "run":
            result = run_all(cfg, shard=args.shard, until=args.until, skip=args.skip)
        else:
            result = run_one(cfg, args.command, shard=getattr(args, "shard", "0/1"))
    except (FileNotFoundError, ValueError, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2, default=str)[:4000])
    return 0
