"""A population with known error rates for the sampling tests: records in four kecamatan, each with its own
share of people no longer at the address, and RT clusters of people some of whom are missing from the list."""

import numpy as np
import pyarrow as pa

STRATA = {"367101": (5000, 0.02), "367102": (3000, 0.05), "367103": (2500, 0.08), "367104": (1500, 0.03)}


def records(seed: int = 1) -> tuple[pa.Table, dict[str, str], float]:
    """The list, the true outcome of every record, and the true overall share not at the address."""
    rng = np.random.default_rng(seed)
    ids, kel, outcome = [], [], []
    for kec, (size, rate) in STRATA.items():
        wrong = set(rng.choice(size, round(size * rate), replace=False).tolist())
        for i in range(size):
            ids.append(f"{kec}-{i:05d}")
            kel.append(f"{kec}100{1 + i % 4}")
            outcome.append("tidak_di_alamat" if i in wrong else "ditemukan")
    n = len(ids)
    table = pa.table(
        {
            "id": ids,
            "row_no": np.arange(1, n + 1),
            "kode_kelurahan": kel,
            "rw": np.ones(n, dtype=np.int16),
            "rt": (np.arange(n) % 20 + 1).astype(np.int16),
            "tps": np.ones(n, dtype=np.int16),
            "nama": ["WARGA"] * n,
            "alamat": ["JL. CONTOH"] * n,
            "nik": [None] * n,
        }
    )
    truth = dict(zip(ids, outcome, strict=True))
    wrong_total = sum(1 for o in outcome if o != "ditemukan")
    return table, truth, wrong_total / n
