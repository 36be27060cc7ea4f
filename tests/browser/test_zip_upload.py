"""KPU's per-TPS CSV files, uploaded as one ZIP from a phone: the list loads as one, and the page counts its rows
in = loaded + rejected (one row of one file carries a date no calendar has)."""

from __future__ import annotations

import zipfile

import duckdb
import pytest

from kawal.synth.generator import generate
from kawal.web import demo
from kawal.web.voters.models import VoterList
from tests.browser.conftest import shot
from tests.browser.support import sign_in, upload_list, with_password

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def per_tps_zip(tmp_path_factory):
    """A city's list of 3,000 voters as one CSV file per TPS (NO from 1 in each), one row broken, zipped."""
    out = tmp_path_factory.mktemp("zipped")
    generate(3000, seed=43, out=out)
    files = out / "DPT"
    duckdb.sql(
        f"""COPY (SELECT * REPLACE (CAST(row_number() OVER (PARTITION BY kode_kelurahan, tps ORDER BY CAST(id AS INT))
                                        AS VARCHAR) AS id), kode_kelurahan AS kel, tps AS t
                  FROM read_csv('{out / "dpt.csv"}', all_varchar = true))
            TO '{files}' (FORMAT csv, HEADER, PARTITION_BY (kel, t))"""
    )
    paths = sorted(files.rglob("*.csv"))
    lines = paths[0].read_text().splitlines()
    lines[2] = lines[2].replace(lines[2].split(",")[5], "31-02-1980", 1)  # a birth date no calendar has
    paths[0].write_text("\n".join(lines) + "\n")
    archive = out / "DPT per TPS.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in paths:
            z.write(path, path.relative_to(files).as_posix())
    return archive


def test_upload_a_zip_of_tps_files_and_see_it_loaded_as_one_list(page, live_server, per_tps_zip):
    archive = per_tps_zip
    demo.create_accounts()
    with_password()
    sign_in(page, live_server.url, "admin.kpu")
    page.goto(f"{live_server.url}/daftar/")
    assert "ZIP berisi file CSV per TPS" in page.inner_text("form[enctype]")
    upload_list(page, live_server.url, archive, "DPT")
    status = page.inner_text("#status")
    assert "Baris masuk 3.000 = dimuat 2.999 + ditolak 1" in status
    voter_list = VoterList.objects.get()
    assert (voter_list.source_name, voter_list.loaded, voter_list.rejected) == ("DPT per TPS.zip", 2999, 1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    shot(page, "zip-of-tps-files-loaded")

    to_rejects = page.locator("[data-rejects]")
    assert to_rejects.bounding_box()["height"] >= 44
    to_rejects.click()
    rejected = page.locator("[data-row]")
    assert rejected.count() == 1
    where, why = rejected.locator("b").inner_text(), rejected.locator("span").inner_text()
    assert where == "kel=3671011001/t=001/data_0.csv, baris 3"  # the file inside the ZIP as named there, its line
    assert why.startswith("tanggal_lahir '31-02-1980' tidak terbaca")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "zip-rejected-row-and-why")
