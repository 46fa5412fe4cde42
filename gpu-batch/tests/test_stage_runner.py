import json

import pytest

from feature_atlas_batch.atomic import DONE_MARKER
from feature_atlas_batch.stage_runner import is_current, run_stage


def _work(calls):
    def work(tmp):
        calls.append(tmp)
        (tmp / "out.txt").write_text("x")
        return {"n": len(calls)}

    return work


def test_done_stage_is_skipped(tmp_path):
    calls = []
    first = run_stage(tmp_path / "s", "s", {"a": 1}, _work(calls))
    second = run_stage(tmp_path / "s", "s", {"a": 1}, _work(calls))
    assert len(calls) == 1 and first["n"] == second["n"] == 1
    assert json.loads((tmp_path / "s" / "run_config.json").read_text()) == {"a": 1}
    assert json.loads((tmp_path / "s" / "summary.json").read_text())["stage"] == "s"


def test_stage_without_done_marker_is_recomputed(tmp_path):
    calls = []
    run_stage(tmp_path / "s", "s", {"a": 1}, _work(calls))
    (tmp_path / "s" / DONE_MARKER).unlink()
    assert not is_current(tmp_path / "s", {"a": 1})
    run_stage(tmp_path / "s", "s", {"a": 1}, _work(calls))
    assert len(calls) == 2 and (tmp_path / "s" / DONE_MARKER).is_file()


def test_changed_config_recomputes(tmp_path):
    calls = []
    run_stage(tmp_path / "s", "s", {"a": 1}, _work(calls))
    run_stage(tmp_path / "s", "s", {"a": 2}, _work(calls))
    assert len(calls) == 2


def test_failed_stage_leaves_no_output(tmp_path):
    def boom(tmp):
        (tmp / "half.txt").write_text("half")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run_stage(tmp_path / "s", "s", {}, boom)
    assert not (tmp_path / "s").exists()
    assert not list(tmp_path.iterdir())
