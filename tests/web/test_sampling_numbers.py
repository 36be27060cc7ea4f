"""The sample results page writes its estimates the reader's way: decimal commas in Indonesian, points in English."""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model

from kawal.web.sampling.service import ObservationIn, record_observation
from tests.web.conftest import login
from tests.web.test_sampling import _draw, _now

pytestmark = pytest.mark.django_db


def _answered(client, loaded):
    sample = _draw(client, loaded)
    relawan = get_user_model().objects.get(username="relawan.ketapang")
    for i, unit in enumerate(sample.units.all()):
        outcome = "tidak_di_alamat" if i % 7 == 0 else "ditemukan"
        record_observation(unit, relawan, ObservationIn(str(uuid.uuid4()), "hasil", _now(), outcome=outcome))
    login(client, "koordinator.cipondoh")
    return sample


def test_indonesian_results_page_writes_decimal_commas(client, loaded):
    sample = _answered(client, loaded)
    page = client.get(f"/sampel/{sample.pk}/").content.decode()
    rates = re.findall(r"<span data-rate>([^<]+)</span>", page)
    assert rates and all(re.match(r"^\d+,\d% \(\d+,\d%–\d+,\d%\) n=[\d.]+$", r) for r in rates), rates
    assert not re.search(r"<text[^>]*>\d+\.\d%", page)  # the plot's labels too


def test_english_results_page_writes_decimal_points(client, loaded):
    sample = _answered(client, loaded)
    client.cookies["django_language"] = "en"
    page = client.get(f"/sampel/{sample.pk}/").content.decode()
    rates = re.findall(r"<span data-rate>([^<]+)</span>", page)
    assert rates and all(re.match(r"^\d+\.\d% \(\d+\.\d%–\d+\.\d%\) n=[\d,]+$", r) for r in rates), rates
