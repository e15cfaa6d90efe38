"""One id per request, from HAProxy to the log lines of the tasks the request queued.

HAProxy puts an `X-Request-ID` on every request (deploy/haproxy.cfg); without a proxy, or with an
id that is not one we would write, a fresh one is made. The id lives in a context variable for the
request (and for a task run), a logging filter copies it onto every record, the response echoes it,
and Celery carries it as a message header (`connect_celery`), so one grep finds a request's lines
in the app server and in the worker.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
# What HAProxy writes (hex and punctuation) or a client's UUID; anything else could forge log lines.
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_current: ContextVar[str] = ContextVar("request_id", default="")
_requests = logging.getLogger("ceds.request")
_tasks = logging.getLogger("ceds.task")


def current() -> str:
    return _current.get()


def accept(candidate: str | None) -> str:
    """The id to use for an incoming one: kept when it looks like an id, else a new one."""
    if candidate and _VALID.match(candidate):
        return candidate
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = _current.get()
        return True


class RequestIdMiddleware:
    """Sets the request's id, answers it in the response and logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accept(request.headers.get(HEADER))
        token = _current.set(request_id)
        request.request_id = request_id
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            _requests.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _current.reset(token)


# Celery: the id travels as a message header; the worker takes it up before the task runs.


def _add_header(headers=None, **kwargs) -> None:
    request_id = _current.get()
    if headers is not None and request_id and HEADER not in headers:
        headers[HEADER] = request_id


def _take_up(task=None, **kwargs) -> None:
    request = getattr(task, "request", None)
    if getattr(request, "is_eager", False):
        return  # run inside the request (no broker): it already carries the request's id
    # Celery puts unknown message headers on the task request as attributes.
    request_id = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    _current.set(accept(request_id))
    _tasks.info("task %s started", getattr(task, "name", "?"), extra={"task_id": getattr(request, "id", None)})


def _drop(task=None, **kwargs) -> None:
    if not getattr(getattr(task, "request", None), "is_eager", False):
        _current.set("")


def connect_celery() -> None:
    """Carry the request id into tasks (call once where the Celery app is made)."""
    from celery import signals  # type: ignore[import-untyped]

    signals.before_task_publish.connect(_add_header, weak=False, dispatch_uid="ceds-request-id-publish")
    signals.task_prerun.connect(_take_up, weak=False, dispatch_uid="ceds-request-id-prerun")
    signals.task_postrun.connect(_drop, weak=False, dispatch_uid="ceds-request-id-postrun")
