"""Delivery through a real Celery worker and the real Redis broker (heavy: one CI pass).

The validating process returns before the report exists; a worker issues it; a worker killed
with SIGKILL in the middle of the task loses nothing: the broker hands the task to the next
worker (acks_late, reject_on_worker_lost) and each report is issued exactly once.
"""

import signal
import sqlite3
import time

import pytest

from tests.services.conftest import manage

pytestmark = pytest.mark.heavy


def _reports(db, pk: int) -> list[tuple[str, int]]:
    with sqlite3.connect(db) as con:
        return con.execute(
            "select language, length(html) from reports_issuedreport where assessment_id = ?", (pk,)
        ).fetchall()


def _wait_issued(db, pks: list[int], seconds: float = 30) -> dict[int, list]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = {pk: _reports(db, pk) for pk in pks}
        if all(r and all(length > 0 for _language, length in r) for r in rows.values()):
            return rows
        time.sleep(0.1)
    return {pk: _reports(db, pk) for pk in pks}


def test_validation_returns_at_once_and_a_worker_killed_mid_task_loses_nothing(worker_site):
    db, pks, folder = worker_site["db"], worker_site["assessments"], worker_site["folder"]
    workers = worker_site["workers"]
    manage(worker_site["env"], "-m", "tests.services.worker_site", "validate", *map(str, pks))
    # No worker yet: both validations committed, their reports queued and marked as being prepared.
    assert {pk: _reports(db, pk) for pk in pks} == {pk: [("en", 0)] for pk in pks}

    pause = folder / "issue_report.paused"
    frozen = workers.start(freeze="ceds.reports.issue:issue", pause_file=pause)
    deadline = time.monotonic() + 30
    while not pause.exists():
        assert time.monotonic() < deadline, "the worker never started the task"
        time.sleep(0.05)
    frozen.send_signal(signal.SIGKILL)  # in the middle of the first task, unacknowledged
    frozen.wait(timeout=10)
    assert {pk: _reports(db, pk) for pk in pks} == {pk: [("en", 0)] for pk in pks}, "killed before it issued"

    workers.start()  # gets the queued task, and the killed one after the visibility timeout
    rows = _wait_issued(db, pks)
    assert all(len(r) == 1 and r[0][0] == "en" and r[0][1] > 1000 for r in rows.values()), rows
