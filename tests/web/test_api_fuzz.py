"""schemathesis against the API's own OpenAPI schema: for every operation, generated valid and invalid requests
(as a relawan and as a KPU admin, and with no token) never make the server fail, and whatever it answers with a
documented status matches the documented response schema."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from kawal.web.accounts.models import ApiToken
from kawal.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI app is called directly, so, as Django's test client does, the test's database connection is kept
    open across requests (Django would close it at the end of each)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["relawan.ketapang", "admin.kpu", None])
def bearer(request, loaded, django_user_model) -> dict:
    if request.param is None:
        return {}
    _token, key = ApiToken.issue(django_user_model.objects.get(username=request.param), "fuzz")
    return {"Authorization": f"Bearer {key}"}


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_request_makes_the_api_fail(case, bearer):
    response = case.call(headers=bearer)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
