"""Uploading the per-TPS CSV files KPU hands out, as one ZIP: read as one list (kawal.engine.folder_reader), each
voter named by kelurahan, TPS and NO; a ZIP that is none, or that reaches out of its folder, refused plainly."""

from __future__ import annotations

import zipfile

import duckdb
import pytest
from django.urls import reverse

from kawal.web import demo
from kawal.web.voters.models import Voter, VoterList
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def upload(client, path):
    with path.open("rb") as f:
        return client.post(reverse("lists"), {"file": f, "stage": "DPT", "wilayah": "3671"})


@pytest.fixture
def per_tps_zip(city, tmp_path):
    """The city's list as one CSV file per kelurahan and TPS, NO from 1 in each (as KPU numbers Model A), zipped."""
    rows = duckdb.sql(
        f"""SELECT * REPLACE (CAST(row_number() OVER (PARTITION BY kode_kelurahan, tps ORDER BY CAST(id AS INT))
                                  AS VARCHAR) AS id)
            FROM read_csv('{city / "dpt.csv"}', all_varchar = true) ORDER BY CAST(id AS INT)"""
    )
    rows.to_csv(str(tmp_path / "all.csv"))
    files = tmp_path / "tps"
    duckdb.sql(
        f"COPY (SELECT *, kode_kelurahan AS kel, tps AS t FROM read_csv('{tmp_path / 'all.csv'}', all_varchar = true)) "
        f"TO '{files}' (FORMAT csv, HEADER, PARTITION_BY (kel, t))"
    )
    archive = tmp_path / "DPT Kota Tangerang.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(files.rglob("*.csv")):
            z.write(path, path.relative_to(files).as_posix())
    return archive


def test_a_zip_of_tps_files_loads_as_one_list(client, db, city, per_tps_zip):
    demo.create_accounts()
    login(client, "admin.kpu")
    assert upload(client, per_tps_zip).status_code == 302
    voter_list = VoterList.objects.get()
    assert voter_list.source_name == "DPT Kota Tangerang.zip"
    assert (voter_list.status, voter_list.rows_in, voter_list.loaded, voter_list.rejected) == ("done", 3000, 3000, 0)
    record_ids = list(Voter.unscoped.filter(voter_list=voter_list).values_list("record_id", flat=True))
    assert len(set(record_ids)) == 3000 and "3671011001/001-1" in record_ids  # NO restarts in each TPS file
    page = client.get(reverse("voter_list", args=[voter_list.pk])).content.decode()
    assert "DPT Kota Tangerang.zip" in page


def test_a_file_named_zip_that_is_none_is_refused(client, db, city):
    demo.create_accounts()
    login(client, "admin.kpu")
    fake = city / "dpt-renamed.zip"
    fake.write_bytes((city / "dpt.csv").read_bytes()[:2000])
    response = upload(client, fake)
    assert response.status_code == 200 and "File ini bukan ZIP." in response.content.decode()
    assert not VoterList.objects.exists()


def test_a_zip_reaching_out_of_its_folder_fails_with_the_uploaded_name_and_loads_nothing(client, db, tmp_path):
    demo.create_accounts()
    login(client, "admin.kpu")
    archive = tmp_path / "kiriman.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../../etc/cron.d/x.csv", "NO,NAMA\n1,X\n")
    assert upload(client, archive).status_code == 302
    voter_list = VoterList.objects.get()
    assert voter_list.status == "failed" and not Voter.unscoped.exists()
    assert voter_list.error == "kiriman.zip: berkas tidak aman di zip: ../../../etc/cron.d/x.csv"
