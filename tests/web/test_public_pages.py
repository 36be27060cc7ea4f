"""Public pages a citizen reads without an account, and the dashboards' honest charts: names before codes, totals
that say what they cover, valid CSS widths, legends, no command lines and no raw HTML in titles."""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kawal.web import demo
from kawal.web.accounts.models import Organisation
from kawal.web.participation.models import Event
from kawal.web.participation.service import load_2024_baseline
from kawal.web.photos.store import save_photo
from kawal.web.results.models import ResultEntry
from kawal.web.voters.models import Voter
from tests.web.conftest import login

pytestmark = pytest.mark.django_db
WIDTH = re.compile(r'width:\s*([^;"%]*)%')


@pytest.fixture
def counted(loaded):
    """The real Pilkada 2024 election with the demo's four Ketapang TPS: three verified, one in conflict."""
    kpu = Organisation.objects.get(kind="kpu")
    election = load_2024_baseline(kpu)
    assert demo.sample_results(kpu) == 8
    return election


def _photo(kind: str, seed: int):
    user = get_user_model().objects.get(username="relawan.ketapang")
    return save_photo(str(uuid.uuid4()), kind, demo.demo_sticker(seed), user)[0]


def _title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


def _widths_are_css(page: str) -> list[str]:
    widths = WIDTH.findall(page)
    assert widths, "no bars drawn"
    assert all(re.fullmatch(r"\d+(\.\d+)?", w) and float(w) <= 100 for w in widths), widths
    return widths


def test_the_front_page_greets_citizens_instead_of_the_login_form(client, counted):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/publik/hasil/"' in page and 'href="/publik/"' in page and 'href="/masuk/"' in page
    assert "data-landing-verified>3<" in page and "kawal log verify" not in page
    assert "<" not in _title(page)


def test_results_go_down_from_kota_to_kecamatan_kelurahan_and_tps_with_names(client, counted):
    city = client.get("/publik/hasil/").content.decode()
    assert "FALDO MALDINI" in city and "SACHRUDIN" in city  # candidate names, not "Paslon 1"
    assert 'data-unit="367105"' in city and "?wilayah=367105" in city and "Cipondoh" in city
    assert "data-verified>3<" in city and "data-updated" in city and "data-gap" in city
    _widths_are_css(city)
    kecamatan = client.get("/publik/hasil/", {"wilayah": "367105"}).content.decode()
    assert 'data-unit="3671051007"' in kecamatan and "Ketapang" in kecamatan
    kelurahan = client.get("/publik/hasil/", {"wilayah": "3671051007"}).content.decode()
    assert reverse("public_tps", args=["3671051007001"]) in kelurahan and "TPS 001" in kelurahan
    assert 'data-status="konflik"' in kelurahan  # TPS 004: two readings differ, no numbers yet
    for page in (city, kecamatan, kelurahan):
        assert "kawal log verify" not in page and "<" not in _title(page)


def test_a_tps_page_shows_its_numbers_by_name_its_photo_and_when_it_changed(client, counted):
    entry = ResultEntry.objects.filter(kode_tps="3671051007001").first()
    photo = _photo("c_hasil", 1)
    entry.photos.add(photo)
    page = client.get(reverse("public_tps", args=["3671051007001"])).content.decode()
    assert 'data-paslon="1"' in page and "data-votes>96<" in page and "FALDO MALDINI" in page
    assert ">Suara sah<" in page and ">suara_sah<" not in page and "data-updated" in page
    assert reverse("public_photo", args=[photo.pk]) in page
    shown = client.get(reverse("public_photo", args=[photo.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    _widths_are_css(page)


def test_only_c_hasil_photos_of_verified_tps_are_public(client, counted):
    conflict = ResultEntry.objects.filter(kode_tps="3671051007004").first()
    unverified = _photo("c_hasil", 2)
    conflict.photos.add(unverified)
    sticker = _photo("stiker", 3)
    ResultEntry.objects.filter(kode_tps="3671051007001").first().photos.add(sticker)
    assert client.get(reverse("public_photo", args=[unverified.pk])).status_code == 404
    assert client.get(reverse("public_photo", args=[sticker.pk])).status_code == 404
    page = client.get(reverse("public_tps", args=["3671051007004"])).content.decode()
    assert "data-votes" not in page and "Belum terverifikasi" in page
    assert client.get(reverse("public_tps", args=["9999999999001"])).status_code == 404


def test_participation_totals_say_what_they_cover(client, counted):
    demo.sample_participation(Organisation.objects.get(kind="kpu"))
    page = client.get("/publik/").content.decode()
    held = Event.unscoped.filter(status=Event.Status.HELD).count()
    total = int(re.search(r"data-events-total>([\d.]+)<", page).group(1).replace(".", ""))
    in_rows = int(re.search(r"data-events-rows>([\d.]+)<", page).group(1).replace(".", ""))
    per_row = sum(int(n.replace(".", "")) for n in re.findall(r"data-events data-label=\"[^\"]*\">([\d.]+)<", page))
    assert total == held and in_rows == per_row and total >= in_rows
    assert "untuk seluruh kota" in page and "data-needed" in page and "80%" in page
    assert "<" not in _title(page) and "kawal log verify" not in page


def test_dashboard_bars_are_valid_css_and_a_row_without_kelurahan_is_not_a_full_bar(client, loaded):
    Voter.unscoped.filter(pk__in=Voter.unscoped.values("pk")[:5]).update(kode_kelurahan="")
    login(client, "admin.kpu")
    response = client.get(reverse("home"))
    page = response.content.decode()
    _widths_are_css(page)
    assert all(u["kode"] for u in response.context["units"])
    assert response.context["unplaced"]["voters"] == 5 and "data-unplaced" in page
    assert "data-map-legend" in page and "data-class-low" in page
    assert "NIK sama di beberapa baris" in page and "NIK_GANDA —" not in page


def test_findings_speak_plainly_and_keep_the_code_behind_detail(client, loaded):
    login(client, "admin.kpu")
    page = client.get(reverse("findings")).content.decode()
    visible = re.sub(r"<details.*?</details>", "", page, flags=re.S)
    visible = re.sub(r"<[^>]+>", " ", visible)
    assert "PEMILIH_GANDA" not in visible and "NIK_GANDA" not in visible
    assert "Mungkin terdaftar dua kali" in page and "data-check-code" in page
    assert '<option value="367105">Cipondoh</option>' in page  # a pick-list, not a code to type
    assert '<optgroup label="Cipondoh">' in page


def test_the_action_log_names_actions_in_words(client, loaded):
    login(client, "relawan.ketapang")
    voter = Voter.unscoped.filter(kode_kelurahan="3671051007", rw=1, rt=1).first()
    client.get(reverse("voter_detail", args=[voter.pk]))
    login(client, "admin.kpu")
    page = client.get(reverse("actionlog")).content.decode()
    assert "Melihat data pemilih" in page and "Daftar pemilih dimuat" in page
    assert '<option value="voter.viewed">Melihat data pemilih</option>' in page


def test_sample_presets_and_one_plain_sentence_per_result(client, loaded):
    login(client, "admin.kpu")
    quick = client.get("/sampel/", {"voter_list": loaded.pk, "preset": "cepat", "unit": "record", "by": "kota"})
    careful = client.get("/sampel/", {"voter_list": loaded.pk, "preset": "teliti", "unit": "record", "by": "kota"})
    assert quick.context["answers"] < careful.context["answers"]
    assert 'value="cepat"' in quick.content.decode() and 'value="teliti"' in quick.content.decode()
    demo.sample_audit(loaded)
    from kawal.web.sampling.models import SampleDraw

    sample = SampleDraw.unscoped.get()
    page = client.get(f"/sampel/{sample.pk}/").content.decode()
    sentences = re.findall(r"data-sentence>(.*?)</p>", page)
    assert sentences and all(s.startswith("Sekitar") or s.startswith("Belum") for s in sentences)
    main_view = re.sub(r"<details.*?</details>", "", page, flags=re.S)
    assert "Wilson" not in main_view and "kawal sample draw" not in main_view and "Wilson" in page
