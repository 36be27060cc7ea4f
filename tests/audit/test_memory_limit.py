"""The audit's working memory is capped (``--memory``): under a tight cap DuckDB spills to the audit's scratch
folder and the findings are the same; a cap too small for the list, or one that is no amount, is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from kawal.engine.audit import audit
from kawal.i18n import KawalError
from kawal.synth.profiles import generate_profile


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("memory")
    generate_profile("klerikal", 20_000, 3, folder)
    return folder


def test_a_tight_memory_cap_spills_to_disk_and_finds_the_same(city):
    roomy = audit([city / "dpt.csv"], city / "roomy", wilayah="3671")
    tight = audit([city / "dpt.csv"], city / "tight", wilayah="3671", memory="64MB")
    assert roomy.findings == tight.findings and roomy.findings["PEMILIH_GANDA"] > 0
    assert (city / "tight" / "findings.csv").read_bytes() == (city / "roomy" / "findings.csv").read_bytes()
    assert not (city / "tight" / ".kawal-import").exists()  # the spill folder goes with the scratch


def test_a_cap_too_small_for_the_list_says_to_raise_it(city):
    with pytest.raises(KawalError) as failed:
        audit([city / "dpt.csv"], city / "starved", wilayah="3671", memory="16MB")
    assert "16MB" in str(failed.value) and "--memory" in str(failed.value)
    assert not (city / "starved" / ".kawal-import").exists()


@pytest.mark.parametrize("memory", ["12", "lots", "2 gigabytes", ""])
def test_a_cap_that_is_no_amount_is_refused_before_reading(city, memory):
    with pytest.raises(KawalError) as failed:
        audit([city / "dpt.csv"], city / "refused", wilayah="3671", memory=memory)
    assert f"'{memory}'" in str(failed.value) and "1536MB" in str(failed.value)
