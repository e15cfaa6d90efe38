"""OpenAPI post-processing: every operation documents the problem-details errors it can return."""

PROBLEM = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `errors` names each field at fault.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
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
    "required": ["type", "title", "status", "detail", "errors"],
}
ERRORS = {
    "400": "Invalid input: `errors` names the field",
    "401": "No valid token or session",
    "403": "Your role does not allow this",
    "404": "No such object, or not one you may see",
    "405": "Method not allowed",
    "409": "Conflict with the current state",
    "429": "Too many requests: wait as Retry-After says",
}


def document_problems(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                response = responses.setdefault(code, {"description": description})
                content = response.setdefault("content", {})
                content.setdefault("application/problem+json", {"schema": PROBLEM})
    return result
