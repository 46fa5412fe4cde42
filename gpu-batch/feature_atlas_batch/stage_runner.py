"""Run one stage: skip it when done with the same config, else recompute it atomically.

Each stage directory holds `run_config.json` (the settings it ran with),
`summary.json`, its outputs, and the `DONE.json` marker written last.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Callable

from .atomic import DONE_MARKER, atomic_write_json, stage_done, stage_output

log = logging.getLogger(__name__)

RUN_CONFIG = "run_config.json"
SUMMARY = "summary.json"


def _normalised(obj: object) -> object:
    return json.loads(json.dumps(obj, sort_keys=True))


def is_current(stage_dir: Path, config: dict) -> bool:
    """Done, and done with exactly this config."""
    if not stage_done(stage_dir):
        return False
    saved = stage_dir / RUN_CONFIG
    return saved.is_file() and json.loads(saved.read_text()) == _normalised(config)


def run_stage(stage_dir: Path, name: str, config: dict, work: Callable[[Path], dict], force: bool = False) -> dict:
    """Call `work(scratch_dir) -> summary` unless the stage is already current; returns the summary."""
    stage_dir = Path(stage_dir)
    if not force and is_current(stage_dir, config):
        log.info("%s: done already (%s), skipped", name, stage_dir)
        return json.loads((stage_dir / DONE_MARKER).read_text())
    _remove_stale_scratch(stage_dir)
    summary: dict = {}
    started = time.time()
    with stage_output(stage_dir, summary) as scratch:
        atomic_write_json(scratch / RUN_CONFIG, _normalised(config))
        summary.update(work(scratch))
        summary["stage"] = name
        summary["seconds"] = round(time.time() - started, 3)
        atomic_write_json(scratch / SUMMARY, summary)
    log.info("%s: finished in %.1f s", name, summary["seconds"])
    return summary


def _remove_stale_scratch(stage_dir: Path) -> None:
    """Scratch folders of processes that were killed before they could clean up."""
    for scratch in stage_dir.parent.glob(f"{stage_dir.name}.tmp-*"):
        pid = scratch.name.rsplit("-", 1)[1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(scratch, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def require_done(stage_dir: Path, what: str) -> Path:
    """A stage's output directory, or a clear error naming the stage to run first."""
    if not stage_done(stage_dir):
        raise FileNotFoundError(f"{stage_dir} is not complete: run the {what} stage first")
    return stage_dir
