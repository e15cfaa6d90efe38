"""The Celery application: configured from Django settings (the CELERY_* names in ceds/settings.py).

With no broker configured (`CEDS_BROKER_URL` empty, the embedded default) every task runs eagerly in
the calling process: `make run` and the test suite need no worker, and validation issues the report
in its own request as it always did. With a broker (Redis or RabbitMQ), `enqueue()` hands the task to
a worker once the caller's transaction commits, so a task never reads rows that are not there yet.

Start a worker: `CEDS_BROKER_URL=redis://127.0.0.1:6379/0 celery -A ceds worker -Q default,reports,benchmarks,audit`
and the schedule: `celery -A ceds beat` (see docs/operations.md).
"""

import os

from celery import Celery  # type: ignore[import-untyped]

from ceds.core import requestid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceds.settings")

app = Celery("ceds")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The request id of whatever queued a task reaches the worker's log lines (ceds/core/requestid.py).
requestid.connect_celery()


def eager() -> bool:
    """True when there is no broker: tasks run in the calling process, at once."""
    return bool(app.conf.task_always_eager)


def enqueue(task, *args, **kwargs) -> None:
    """Run `task` now (no broker) or on a worker after the current transaction commits.

    Eager runs are plain calls inside the caller's transaction, so an error rolls the caller back
    exactly as before there was a queue, and tests see the result without on_commit hooks.
    """
    if eager():
        task(*args, **kwargs)
        return
    from django.db import transaction  # type: ignore[import-untyped]

    transaction.on_commit(lambda: task.apply_async(args, kwargs))
