"""The live OpenAPI schema, exercised by schemathesis as a city coordinator who has a draft.

Two tests: every operation answered 2xx at least once by a known-good request validated
against the schema, and a bounded property-based run over every operation in which no
response is a server error or breaks the schema.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from ceds.api.tests.fixtures import good_requests

CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance]


# Loaded from the running application when the module is collected (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Like Django's test client: keep the test's database connection open across requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_errors_or_breaks_its_schema(case, api_world):
    token = api_world.extra["tokens"]["a_coordinator"]
    case.call_and_validate(headers=_headers(token), checks=CHECKS)


def _headers(token: str) -> dict:
    # Schemathesis's WSGI transport does not inflate a gzip body (GZipMiddleware compresses for
    # clients that ask, as HTTP libraries do): it asks for the body as it is.
    return {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}


def test_every_operation_succeeds_once(api_world):
    good = good_requests(api_world)
    seen = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        assert key in good, f"no known-good request for {key}"
        seen.add(key)
        persona, path_parameters, query, body = good[key]
        kwargs = {"path_parameters": path_parameters, "query": query}
        if body is not None:
            kwargs.update(body=body, media_type="application/json")
        case = operation.Case(**kwargs)
        token = api_world.extra["tokens"][persona]
        response = case.call_and_validate(headers=_headers(token), checks=CHECKS)
        assert 200 <= response.status_code < 300, (key, response.status_code, response.content[:300])
    assert seen == set(good)
