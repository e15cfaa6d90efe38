"""One error format for the whole API: RFC 9457 problem details, naming the field at fault.

{"type": "about:blank", "title": "Invalid input", "status": 400, "code": "invalid",
 "detail": "period: The period is a year, such as 2026.",
 "errors": [{"field": "period", "message": "The period is a year, such as 2026."}]}

`code` is machine-readable: `invalid` for bad input, a workflow code such as `incomplete`
or `invalid_transition` for a 409, `conflict` for a stale answer, else one per status.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ceds.assessments.services import WorkflowError

TITLES = {
    400: "Invalid input",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    429: "Too many requests",
}
CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "throttled",
}


def _flatten(detail, field: str = "") -> list[dict]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            out += _flatten(value, f"{field}.{name}" if field and name else (name or field))
        return out
    if isinstance(detail, list):
        out = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            out += _flatten(value, f"{field}[{index}]" if nested else field)
        return out
    return [{"field": field, "message": str(detail)}]


def problem(
    status_code: int, detail: str, errors: list[dict] | None = None, code: str | None = None, **extra
) -> Response:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "code": code or CODES.get(status_code, "error"),
        "detail": detail,
    }
    body["errors"] = errors or []
    body.update(extra)
    return Response(body, status=status_code, content_type="application/problem+json")


def handler(exc, context):
    if isinstance(exc, WorkflowError) and exc.is_state_conflict:
        # The request was well formed; the assessment's state does not allow it now.
        return problem(409, " ".join(exc.messages), code=exc.code)
    code = exc.code if isinstance(exc, WorkflowError) else None
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_("You do not have permission to do this."))
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
    else:
        errors, detail = [], str(getattr(exc, "detail", exc))
    result = problem(response.status_code, detail, errors, code=code)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result
