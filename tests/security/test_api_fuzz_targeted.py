"""Issue 16: the API answers below 500 whatever it is sent. The random fuzzing (tests/web/test_api_fuzz.py) draws
hostile values for random places; here every place of every body the phones send, every query parameter and
every path parameter gets every value of the issue's list, so none of them is left to chance: negative, beyond
32 and 64 bits, 1e20, NaN and infinity, dates out of the calendar once turned into UTC, digits of other scripts
("²" passes str.isdigit() and breaks int(); "٣" passes both), NUL, and 5,000 digits."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.web.conftest import city, loaded  # noqa: F401  (fixtures)
from tests.web.test_api_fuzz import _bodies, _places, _put, phone  # noqa: F401  (phone: a fixture)

pytestmark = pytest.mark.django_db

NUMBERS = [-1, -(2**63), 2**31, 2**63, 2**64, 10**20, 1e20, -1e20, 1e308, 0.5, True]
TEXTS = ["²", "٣", "⑦", "-1", "1e20", "NaN", "Infinity", "9" * 5000, "1\x00", ""]
DATES = ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+07:00", "9999-12-31", "0001-01-01", "2024-02-30"]
VALUES = [*NUMBERS, *TEXTS, *DATES, None, [], {}]


def test_every_place_of_every_body_refuses_every_hostile_value(phone):  # noqa: F811
    client, *targets = phone
    failures = []
    for url, body, places in _bodies(*targets):
        plain = client.post(
            url, data=json.dumps({**body, "client_id": str(uuid.uuid4())}), content_type="application/json"
        )
        assert plain.status_code == 201, (url, plain.content)  # so what is refused below is refused for its value
        for place in places:
            for value in VALUES:
                sent = _put(body, place, value)
                sent["client_id"] = str(uuid.uuid4())
                status = client.post(url, data=json.dumps(sent), content_type="application/json").status_code
                if status >= 500:
                    failures.append((url, place, repr(value)[:40], status))
    assert failures == []


QUERIES = {
    "/api/v1/findings": ["rw", "rt", "tps", "offset", "limit", "wilayah", "check"],
    "/api/v1/summary": ["wilayah"],
    "/api/v1/tally": ["wilayah", "pemilu"],
}
PATHS = [
    "/api/v1/voters/{}",
    "/api/v1/tasks/{}/visits",
    "/api/v1/sample-units/{}/observations",
    "/api/v1/tps/{}/3671051007001/entries",
    "/api/v1/tps/1/{}/entries",
]


def test_every_query_and_path_parameter_refuses_every_hostile_value(phone):  # noqa: F811
    client, *_targets = phone
    failures = []
    for url, names in QUERIES.items():
        for name in names:
            for value in [*NUMBERS, *TEXTS, *DATES]:
                status = client.get(url, {name: str(value)}).status_code
                if status >= 500:
                    failures.append((url, name, repr(value)[:40], status))
    for template in PATHS:
        for value in [*NUMBERS, *TEXTS, "٣٦٧١٠٥١٠٠٧٠٠١"]:  # the last: a TPS code in Arabic-Indic digits
            url = template.format(str(value).replace("\x00", "%00"))
            body = json.dumps({"client_id": str(uuid.uuid4()), "recorded_at": "2024-07-10T09:30:00+07:00"})
            answer = client.get(url) if "voters" in url else client.post(url, body, content_type="application/json")
            if answer.status_code >= 500:
                failures.append((template, repr(value)[:40], answer.status_code))
    assert failures == []
