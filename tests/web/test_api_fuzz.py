"""schemathesis against the API's own OpenAPI schema: for every operation, generated valid and invalid requests
(as a relawan and as a KPU admin, and with no token) never make the server fail, and whatever it answers with a
documented status matches the documented response schema."""

import copy
import json
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


# --- widened: values a schema-driven generator rarely tries, in every field the phones send (issue 16) ----------
# Negative and huge numbers (beyond 32 and 64 bits, and as floats: 1e20, 1e308, inf, NaN), dates whose offset takes
# them out of the calendar in UTC (9999 at -05:00, year 1 at +07:00), digits of other scripts that str.isdigit()
# accepts ("²", "٣"), NUL characters, and 5,000-digit numbers that int() refuses. Each answers below 500.

WEST, EAST = timezone(timedelta(hours=-12)), timezone(timedelta(hours=14))
HOSTILE = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=2**15),
    st.integers(min_value=2**63 - 2, max_value=2**80),
    st.sampled_from([1e20, -1e20, 1e308, float("inf"), float("-inf"), float("nan"), 0.5, True, None, [], {}]),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=6),  # "²", "٣", "⑦" …
    st.sampled_from(["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+07:00", "9999-12-31", "0001-01-01"]),
    st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=st.sampled_from([WEST, EAST])).map(
        datetime.isoformat
    ),
    st.text(max_size=4).map(lambda text: text + "\x00"),
    st.just("9" * 5000),
)


@pytest.fixture
def phone(loaded, django_user_model, settings) -> tuple:
    """The demo relawan with a task, a drawn RT unit and a TPS of their own, so each body reaches the code behind
    the schema (an unknown id would stop at 404 before it)."""
    from kawal.web.participation.models import Election
    from kawal.web.results.models import TpsAssignment
    from kawal.web.sampling.models import SampleDraw, SampleUnit
    from kawal.web.voters.models import Voter
    from tests.web.conftest import KETAPANG, ketapang_task

    settings.KAWAL_PERSON_LOOKUPS_PER_HOUR = 10**6  # the fuzzing is after 500s, not the hourly limit
    relawan = django_user_model.objects.get(username="relawan.ketapang")
    voter = Voter.unscoped.filter(**KETAPANG).first()
    task = ketapang_task(loaded, "fuzz", [voter], relawan)
    draw = SampleDraw.unscoped.create(
        voter_list=loaded, created_by=relawan, phrase="fuzz", seed="0", list_sha256="0", unit="rt", by="kota",
        sample_sha256="0", size=1,
    )  # fmt: skip
    unit = SampleUnit.objects.create(
        draw=draw, stratum="3671", urutan=1, key="3671051007/1/1", rank="0", kode_kelurahan="3671051007", rw=1, rt=1,
        task=ketapang_task(loaded, "fuzz-rt", [], relawan),
    )  # fmt: skip
    office = relawan.memberships.get().organisation.kpu_office
    election = Election.objects.create(
        organisation=office, name="Fuzz", pemilihan="walikota", held_on=date(2024, 11, 27)
    )
    TpsAssignment.objects.create(election=election, user=relawan, kode_tps="3671051007001")
    _token, key = ApiToken.issue(relawan, "fuzz")
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {key}")
    return client, task, voter, unit, election


def _bodies(task, voter, unit, election) -> list[tuple[str, dict, list[tuple]]]:
    """(url, a valid body, the places in it a hostile value may go)."""
    when = "2024-07-10T09:30:00+07:00"
    visit = {
        "recorded_at": when, "pantarlih_visited": "ya", "sticker": "tidak", "residents": 3, "latitude": -6.1,
        "longitude": 106.6, "note": "", "supersedes": None,
        "checks": [{"voter_id": voter.pk, "outcome": "tms", "tms": 1, "note": "pindah", "field": "", "value": ""}],
        "new_voters": [{"nama": "PEMULA", "nik": "", "tanggal_lahir": "2006-05-05", "alamat": ""}],
    }  # fmt: skip
    observation = {"kind": "orang", "recorded_at": when, "nama": "WARGA", "tanggal_lahir": "1990-01-01", "nik": ""}
    entry = {"recorded_at": when, "suara_paslon_1": 10, "suara_paslon_2": "20", "dpt": 300}
    return [
        (f"/api/v1/tasks/{task.pk}/visits", visit, _places(visit)),
        (f"/api/v1/sample-units/{unit.pk}/observations", observation, _places(observation)),
        (f"/api/v1/tps/{election.pk}/3671051007001/entries", entry, _places(entry)),
    ]


def _places(body: dict) -> list[tuple]:
    places = []
    for key, value in body.items():
        if isinstance(value, list):
            places += [(key, 0, inner) for inner in value[0]]
        else:
            places.append((key,))
    return places


def _put(body: dict, place: tuple, value: object) -> dict:
    out = copy.deepcopy(body)
    if len(place) == 1:
        out[place[0]] = value
    else:
        out[place[0]][place[1]][place[2]] = value
    return out


@settings(
    max_examples=60,  # every listed value in every place runs in tests/security/test_api_fuzz_targeted.py
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(which=st.integers(0, 2), pick=st.integers(0, 10**6), value=HOSTILE)
def test_hostile_numbers_and_dates_never_make_the_api_fail(phone, which, pick, value):
    client, *targets = phone
    url, body, places = _bodies(*targets)[which]
    sent = _put(body, places[pick % len(places)], value)
    sent["client_id"] = str(uuid.uuid4())
    answer = client.post(url, data=json.dumps(sent), content_type="application/json")
    assert answer.status_code < 500, (url, places[pick % len(places)], repr(value)[:80])
