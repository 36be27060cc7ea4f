"""On a list as KPU publishes it the NIK shows only its first 6 digits, the kecamatan that issued it. Between rows in
different kelurahan that region is compared; within one kelurahan, where most people share it, and between two full
NIKs, which the NIK comparison covers, it is not."""

from tests.audit.every_pair import compared, level

ROWS = [  # NIK as shown, kelurahan
    ("367101**********", "3671011001"),
    ("367101**********", "3671021002"),  # same region, another kelurahan
    ("367102**********", "3671031003"),  # another region, another kelurahan
    ("367102**********", "3671011001"),  # another region, the first row's kelurahan
    ("3671010403800001", "3671041004"),  # a full NIK
    ("3671010403800002", "3671051005"),  # a full NIK
]


def _levels() -> dict[tuple[int, int], tuple[str | None, int]]:
    rows = [{"nik_d": nik, "kode_kelurahan": kelurahan} for nik, kelurahan in ROWS]
    pairs = compared(rows, "l_region, l_nik")
    return {pair: (level("region", region), nik) for pair, (region, nik) in pairs.items()}


def test_the_issuing_kecamatan_is_compared_between_kelurahan_only_where_the_nik_is_masked():
    levels = _levels()
    assert levels[(1, 2)][0] == "same"
    assert levels[(1, 3)][0] == "other"
    assert levels[(1, 4)][0] is None  # one kelurahan: the area says it
    assert levels[(2, 4)][0] == "other"
    assert levels[(5, 6)][0] is None and levels[(5, 6)][1] >= 0  # full NIKs: compared as NIKs, not as regions
    assert levels[(1, 5)][0] == "same"  # a published list audited with a full one: the whole NIK shows its region
