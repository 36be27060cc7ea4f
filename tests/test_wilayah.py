import pytest

from kawal.i18n import KawalError
from kawal.wilayah import V2022, V2025, dotted, normalise_name, registry


def test_lookup_accepts_dotted_and_kpu_forms():
    reg = registry()
    assert reg.lookup("36.71.01.1001") == reg.lookup("3671011001")
    unit = reg.lookup("3671011001")
    assert (unit.name, unit.level, unit.kind, unit.kpu_code) == ("Sukarasa", 4, "kelurahan", "3671011001")


def test_kota_tangerang_has_its_13_kecamatan_and_104_kelurahan():
    reg = registry()
    kecamatan = reg.children("3671")
    assert len(kecamatan) == 13
    assert kecamatan[0].name == "Tangerang" and kecamatan[-1].name == "Larangan"
    kelurahan = [u for u in reg.descendants("3671") if u.level == 4]
    assert len(kelurahan) == 104


def test_parent_and_ancestors():
    reg = registry()
    assert reg.parent("3671011001").code == "36.71.01"
    assert [u.name for u in reg.ancestors("3671011001")] == ["Banten", "Kota Tangerang", "Tangerang"]


@pytest.mark.parametrize("name", ["Cipondoh", "KEC. CIPONDOH", "kecamatan  cipondoh", "Kec.Cipondoh"])
def test_find_by_name_tolerates_case_spacing_and_prefixes(name):
    assert registry().find(name, "36.71").code == "36.71.05"


def test_find_kelurahan_with_prefix():
    assert registry().find("KEL. Poris  Plawad Utara", "367105").kpu_code == "3671051009"
    assert registry().find("Nowhere", "367105") is None


def test_versions_of_a_code_that_left_the_current_list():
    reg = registry()
    sorong = reg.lookup("92.01")
    assert V2022 in sorong.versions and V2025 not in sorong.versions
    assert not sorong.current
    assert reg.versions_of("96.01")[-1] == V2025
    assert reg.versions_of("36.71.01.1001") == (V2022, V2025)


def test_unknown_and_malformed_codes_get_clear_errors():
    with pytest.raises(KawalError, match="tidak ada di daftar"):
        registry().lookup("3699")
    with pytest.raises(KawalError, match="bukan kode wilayah"):
        dotted("36-71")


def test_normalise_name():
    assert normalise_name("KEL. Tanah  Tinggi") == "TANAH TINGGI"
    assert normalise_name("KAB. ACEH SELATAN") == normalise_name("Kabupaten Aceh Selatan")


def test_names_for_display_keep_codes_that_name_no_unit():
    from kawal.wilayah import registry

    assert registry().names({"367105", "semua", "", "3699"}) == {
        "367105": "Cipondoh",
        "semua": "semua",
        "": "",
        "3699": "3699",
    }
