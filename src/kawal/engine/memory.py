"""How much memory DuckDB may use for one audit: a constant and its check, with no DuckDB import (the command
line's ``--help`` and the web's configuration, ``KAWAL_AUDIT_MEMORY``, read the default)."""

from __future__ import annotations

import re

from kawal.i18n import KawalError

# DuckDB's working memory for one audit. Past it DuckDB writes to the audit's scratch folder and carries on, so a big
# input is slower rather than fatal on a small machine. Without a limit DuckDB takes up to 80% of the machine: a
# city's list as KPU publishes it (1.38 M rows, 16 M candidate pairs) peaked at 5.0 GiB in 63 s, and at 1.8 GiB in
# 72 s under a limit of 1.5 GB. A full city list fits under it (peak 1.3-1.6 GiB with limits of 1.2-1.5 GB, no
# slower).
MEMORY_LIMIT = "1536MB"
_FORM = re.compile(r"[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KIB|MIB|GIB|TIB)", re.IGNORECASE)
OUT_OF_MEMORY = (
    "Memori kerja audit ({memory}) tidak cukup untuk daftar ini: jalankan lagi dengan batas lebih besar, misalnya "
    "--memory 4GB (di server: KAWAL_AUDIT_MEMORY=4GB).",
    "The audit's working memory ({memory}) is not enough for this list: run it again with a larger limit, e.g. "
    "--memory 4GB (on a server: KAWAL_AUDIT_MEMORY=4GB).",
)
BAD_MEMORY = (
    "Batas memori '{memory}' tidak terbaca: tulis angka dengan satuan, misalnya 1536MB atau 8GB.",
    "Memory limit '{memory}' is unreadable: write a number with a unit, e.g. 1536MB or 8GB.",
)


def memory_limit(memory: str) -> str:
    """``memory`` as DuckDB's ``memory_limit`` takes it (a number and a unit), or a clear error."""
    text = memory.strip()
    if not _FORM.fullmatch(text):
        raise KawalError(BAD_MEMORY, memory=memory)
    return text
