import pyarrow as pa

from kawal.engine.results.tally import tally
from kawal.engine.sql import connect


def test_tally_rolls_tps_up_to_the_city():
    rows = pa.table(
        {
            "kode_tps": ["3671051007001", "3671051007002", "3671051008001", "3671061001001"],
            "dpt": [500, 400, 450, 300],
            "suara_paslon_1": [100, 80, 90, 60],
            "suara_paslon_2": [150, 120, None, 100],
            "suara_sah": [250, 200, 200, 160],
            "suara_tidak_sah": [10, 5, 5, 4],
            "suara_sah_dan_tidak_sah": [260, 205, 205, 164],
        }
    )
    con = connect()
    con.register("r", rows)
    tally(con, paslon=2)
    got = {k: (n, dpt, p1, p2) for k, n, dpt, p1, p2 in con.execute(
        "SELECT kode, tps_in, dpt, suara_paslon_1, suara_paslon_2 FROM tally"
    ).fetchall()}  # fmt: skip
    assert got["3671051007"] == (2, 900, 180, 270)
    assert got["367105"] == (3, 1350, 270, 270)  # a blank is not a zero: it is left out of the sum
    assert got["3671"] == (4, 1650, 330, 370)
    assert set(got) == {"3671051007", "3671051008", "3671061001", "367105", "367106", "3671"}
