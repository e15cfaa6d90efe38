"""OpenAPI post-processing: the schema is the contract, so it says everything the server does.

Every operation documents the problem documents it can return (with a description each),
415 on writes, 409 on workflow steps, the period rule, and links between resources (for
generated clients and schemathesis's stateful phase).
"""

from ceds.assessments.services import PERIOD_PATTERN

PROBLEM = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is machine-readable; `errors` names each field at fault.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {
            "type": "string",
            "description": "invalid (bad input), not_authenticated, forbidden, not_found, method_not_allowed, "
            "conflict (a stale answer), unsupported_media_type, throttled; for a workflow step that the "
            "assessment's state does not allow: incomplete, invalid_transition, duplicate_period, "
            "assessment_locked, membership_inactive, outdated_version",
        },
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "code", "detail", "errors"],
}
ERRORS = {
    "400": "Invalid input: `errors` names the field or parameter",
    "401": "No valid token or session",
    "403": "Your role does not allow this",
    "404": "No such object, or not one you may see",
    "405": "Method not allowed",
    "406": "Not acceptable: ask for the media type this operation returns",
    "429": "Too many requests: wait as Retry-After says",
}
WRITE_ERRORS = {"415": "Unsupported media type: send application/json"}
CONFLICT = "Conflict with the assessment's current state: `code` says which (e.g. incomplete, invalid_transition)"
# Operations whose step depends on the assessment's state.
STATEFUL = ("/submit/", "/validate/", "/return/", "/publish/", "/answers/{code}/")
PERIOD = {
    "type": "string",
    "pattern": f"^{PERIOD_PATTERN}$",
    "description": "A year from 2000 to 2099, optionally a half or a quarter: 2026, 2026-H1, 2026-Q3",
}

# operation id -> {status: {link name: (target operation id, parameters)}}
LINKS = {
    "assessments_create": {
        "201": {
            "GetAssessment": ("assessments_retrieve", {"id": "$response.body#/id"}),
            "GetAnswers": ("assessments_answers_list", {"id": "$response.body#/id"}),
            "SaveAnswer": ("assessments_answers_update", {"id": "$response.body#/id"}),
            "Submit": ("assessments_submit_create", {"id": "$response.body#/id"}),
            "GetScores": ("assessments_scores_retrieve", {"id": "$response.body#/id"}),
            "GetReport": ("assessments_report", {"id": "$response.body#/id"}),
            "GetActions": ("assessments_actions_list", {"id": "$response.body#/id"}),
        }
    },
    "assessments_submit_create": {
        "200": {
            "Validate": ("assessments_validate_create", {"id": "$response.body#/id"}),
            "Return": ("assessments_return_create", {"id": "$response.body#/id"}),
        }
    },
    "assessments_validate_create": {
        "200": {
            "Publish": ("assessments_publish_create", {"id": "$response.body#/id"}),
            "GetBenchmarks": ("assessments_benchmarks_retrieve", {"id": "$response.body#/id"}),
            "GetReport": ("assessments_report", {"id": "$response.body#/id"}),
        }
    },
    "assessments_publish_create": {
        "200": {
            "GetBenchmarks": ("assessments_benchmarks_retrieve", {"id": "$response.body#/id"}),
            "GetOpenData": (
                "open_data_json",
                {"framework": "$response.body#/framework", "period": "$response.body#/period"},
            ),
        }
    },
    "assessments_answers_retrieve": {
        "200": {
            "SaveAnswer": (
                "assessments_answers_update",
                {"id": "$request.path.id", "code": "$response.body#/item"},
            )
        }
    },
}


def _operations(result):
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def document_problems(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    ids = {operation.get("operationId") for _p, _m, operation in _operations(result)}
    for path, method, operation in _operations(result):
        responses = operation.setdefault("responses", {})
        for code, description in _errors_of(path, method, operation).items():
            response = responses.setdefault(code, {"description": description})
            if not response.get("description"):
                response["description"] = description
            response.setdefault("content", {}).setdefault("application/problem+json", {"schema": PROBLEM})
        for code, response in responses.items():
            if not response.get("description"):
                response["description"] = {"200": "OK", "201": "Created", "204": "No content"}.get(code, "See summary")
        for parameter in operation.get("parameters", []):
            _bound_parameter(parameter)
        for code, links in LINKS.get(operation.get("operationId"), {}).items():
            if code in responses:
                responses[code]["links"] = {
                    name: {"operationId": target, "parameters": parameters}
                    for name, (target, parameters) in links.items()
                    if target in ids
                }
    return result


def _errors_of(path: str, method: str, operation: dict) -> dict[str, str]:
    """{status: description} of the problems an operation answers (a write's body made required)."""
    errors = dict(ERRORS)
    if method in ("post", "put", "patch") and "requestBody" in operation:
        errors.update(WRITE_ERRORS)
        operation["requestBody"]["required"] = True  # every write needs its JSON body
    if any(part in path for part in STATEFUL) and method in ("post", "put"):
        errors["409"] = CONFLICT
    if path == "/api/v1/assessments/" and method == "post":
        errors["409"] = "This city already has an assessment of the framework for the period, or no membership"
    return errors


def _bound_parameter(parameter: dict) -> None:
    """A parameter's schema says what the server refuses: the period's shape, a year's range, an empty filter."""
    schema = parameter.get("schema", {})
    if parameter.get("name") == "period":
        parameter["schema"] = dict(PERIOD)
    elif parameter.get("in") == "query" and parameter.get("name") == "year":
        parameter["schema"] = {"type": "integer", "minimum": 1900, "maximum": 2100}
    elif parameter.get("in") == "query" and schema.get("type") == "string" and "enum" not in schema:
        schema["minLength"] = 1  # an empty filter is a 400, not "no filter"
