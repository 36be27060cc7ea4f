"""Issue 16, smaller points: `/daftar/banding/` cost seconds of CPU per request and was open to every role; the
number of paslon columns of a results file was unbounded (``suara_paslon_999999999`` meant a billion columns), and
a Sirekap chart key ``"²"`` passed ``isdigit()`` and broke ``int()``."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from kawal.engine.results import reader
from kawal.engine.sql import connect
from kawal.i18n import KawalError
from kawal.web import demo
from kawal.web.voters.models import VoterList
from tests.web.conftest import city, loaded, login  # noqa: F401  (fixtures)


@pytest.fixture
def two_lists(loaded, city):  # noqa: F811
    trimmed = city / "dpt-banding.csv"
    trimmed.write_text("\n".join((city / "dpt.csv").read_text().splitlines()[:-50]) + "\n")
    second = demo.load_list(loaded.organisation, trimmed)
    assert second.status == VoterList.Status.DONE
    return {"old": loaded.pk, "new": second.pk}


@pytest.mark.django_db
def test_a_relawan_cannot_run_the_city_wide_diff(two_lists):
    client = Client(raise_request_exception=False)
    login(client, "relawan.ketapang")
    assert client.get(reverse("compare"), two_lists).status_code == 403
    assert client.get(reverse("compare")).status_code == 403


@pytest.mark.django_db
def test_a_pair_of_snapshots_is_compared_once(two_lists, monkeypatch):
    import kawal.engine as engine  # the web app takes diff_snapshots from the front door: count it there

    runs = []
    real = engine.diff_snapshots
    monkeypatch.setattr(engine, "diff_snapshots", lambda *a, **k: runs.append(1) or real(*a, **k))
    client = Client()
    login(client, "koordinator.cipondoh")
    first = client.get(reverse("compare"), two_lists).context["result"]["diff"]
    again = client.get(reverse("compare"), two_lists).context["result"]["diff"]
    assert runs == [1]  # the second request read the kept result
    assert first.removed == again.removed == 50


@pytest.mark.parametrize("number", [reader.MAX_PASLON + 1, 999_999_999])
def test_a_results_csv_naming_too_high_a_paslon_number_is_refused(tmp_path, number):
    path = tmp_path / "hasil.csv"
    path.write_text(f"kode_tps,suara_paslon_1,suara_paslon_{number}\n3671051007001,10,20\n")
    started = time.perf_counter()
    with pytest.raises(KawalError, match="paslon"):
        reader.read(connect(), path)
    assert time.perf_counter() - started < 5  # refused before any column is made


def _sirekap(folder, code: str, chart: dict) -> None:
    (folder / f"{code}.json").write_text(json.dumps({"chart": chart, "administrasi": {}}))


def test_sirekap_charts_read_ascii_ids_only_and_at_most_the_bound(tmp_path):
    _sirekap(tmp_path, "3671051007001", {"1": 10, "2": 20, "²": 5, "٣": 7})  # not ballot numbers
    _sirekap(tmp_path, "3671051007002", {str(i): 1 for i in range(1, reader.MAX_PASLON + 2)})
    read = reader.read(connect(), tmp_path)
    assert read.loaded == 1 and read.paslon == 2
    assert [(where, column) for where, column, _why in read.rejects] == [("3671051007002.json", "chart")]
