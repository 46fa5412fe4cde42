import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from feature_atlas_batch.llm.journal import Journal
from feature_atlas_batch.llm.retry import backoff_delay, is_retryable_status, parse_retry_after


@pytest.mark.parametrize("status,expected", [(429, True), (500, True), (503, True), (400, False), (401, False), (404, False), (422, False)])
def test_retryable_statuses(status, expected):
    assert is_retryable_status(status) is expected


def test_backoff_doubles_with_bounded_jitter_and_cap():
    rng = random.Random(1)
    for attempt in range(5):
        delay = backoff_delay(attempt, 0.5, 100.0, rng=rng)
        assert 0.5 * 2**attempt <= delay <= 0.75 * 2**attempt
    assert backoff_delay(20, 1.0, 30.0, rng=rng) == 30.0


def test_retry_after_is_a_floor_but_capped():
    assert backoff_delay(0, 1.0, 60.0, retry_after_s=12.0) == 12.0
    assert backoff_delay(0, 1.0, 60.0, retry_after_s=600.0) == 60.0


def test_parse_retry_after_seconds_and_dates():
    now = datetime(2026, 11, 24, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == pytest.approx(30.0)
    assert parse_retry_after("not a date") is None
    assert parse_retry_after(None) is None


def test_journal_resumes_ignores_torn_line_and_discards_other_inputs(tmp_path):
    path = tmp_path / ".explain.journal.jsonl"
    with Journal(path, "fp-1") as journal:
        journal.add("a/1", {"text": "one"})
        journal.add("a/2", {"text": "two"})
    with open(path, "a", encoding="utf-8") as f:
        f.write('{"key": "a/3", "val')  # the process died mid-write
    assert Journal(path, "fp-1").entries == {"a/1": {"text": "one"}, "a/2": {"text": "two"}}
    assert Journal(path, "fp-2").entries == {}
