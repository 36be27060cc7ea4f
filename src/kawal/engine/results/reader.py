"""Read TPS results into one DuckDB table ``r`` (kode_tps, every number column, suara_paslon_1..N), from the CSV
contract or from Sirekap's per-TPS JSON files (a folder or a zip; Pemilu and Pilkada shapes). An empty cell is
"not reported" (NULL). A row that cannot be read is rejected with its row (or file) and field, never dropped:
rows in = loaded + rejected."""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import duckdb
import pyarrow as pa

from kawal.engine import zips
from kawal.engine.results.columns import NUMBERS, PASLON_PREFIX, SIREKAP_ADMINISTRASI, paslon
from kawal.engine.sql import literal
from kawal.i18n import KawalError, t

TPS_CODE = re.compile(r"^\d{13}$")
MAX_ZIP_FILES = 1_000_000
MAX_ZIP_BYTES = 2 * 2**30  # uncompressed: a zip bomb stops here
MAX_JSON_BYTES = 1 * 2**20  # a per-TPS file is about 1 kB
MAX_COUNT = 10_000_000  # no count on a TPS form comes near; larger is damage (and would overflow)
MAX_PASLON = 50  # candidate pairs per election; a file naming more is damage, and each one is a column (issue 16)


@dataclass
class Loaded:
    rows_in: int = 0
    loaded: int = 0
    rejected: int = 0  # rows (or files) rejected; rows_in = loaded + rejected
    paslon: int = 0
    rejects: list[tuple[str, str, str]] = field(default_factory=list)  # where, field, reason


def read(con: duckdb.DuckDBPyConnection, source: Path) -> Loaded:
    """Load ``source`` (CSV file, folder of JSON, or zip of JSON) into table ``r``."""
    source = Path(source)
    if source.is_dir() or source.suffix.lower() == ".zip":
        return _read_json(con, source)
    if source.suffix.lower() in (".csv", ".txt"):
        return _read_csv(con, source)
    raise KawalError(
        ("{f}: bukan CSV, folder atau zip JSON Sirekap", "{f}: not a CSV, a folder or a zip of Sirekap JSON"),
        f=source.name,
    )


# --- CSV -------------------------------------------------------------------------------------------------------


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path) -> Loaded:
    # The quote is the CSV standard's, never sniffed: a stray apostrophe in two cells made the sniffer take ' for
    # the quote, and the lines between them one row (rows in 2, lines 3). Nor is a comment mark: the sniffer took a
    # row whose kode_tps was '#' for a comment and dropped it, uncounted.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE raw AS SELECT row_number() OVER () + 1 AS row_no, * "
        f"FROM read_csv({literal(path)}, all_varchar=true, header=true, quote='\"', escape='\"', comment='')"
    )
    present = {c[0] for c in con.execute("DESCRIBE raw").fetchall()}
    if "kode_tps" not in present:
        raise KawalError(("{f}: kolom kode_tps wajib ada", "{f}: the kode_tps column is required"), f=path.name)
    paslon_numbers = sorted(int(c[len(PASLON_PREFIX) :]) for c in present if re.fullmatch(rf"{PASLON_PREFIX}[0-9]+", c))
    n = max(paslon_numbers, default=0)
    if n > MAX_PASLON:  # suara_paslon_999999999 would make a billion columns
        raise KawalError(_TOO_MANY_PASLON, f=path.name, n=MAX_PASLON)
    wanted = [*NUMBERS, *(paslon(i) for i in range(1, n + 1))]
    result = Loaded(rows_in=_scalar(con, "SELECT count(*) FROM raw"), paslon=n)
    _reject_csv(con, path, present, wanted, result)
    casts = ", ".join(
        f"TRY_CAST(nullif(trim({c}), '') AS BIGINT) AS {c}" if c in present else f"NULL::BIGINT AS {c}" for c in wanted
    )
    bad = _bad_rows_sql(present, wanted)
    con.execute(
        f"""CREATE OR REPLACE TABLE r AS
        SELECT trim(kode_tps) AS kode_tps, {casts} FROM raw
        WHERE row_no NOT IN (SELECT row_no FROM rejected_rows) AND NOT ({bad})
        QUALIFY row_number() OVER (PARTITION BY trim(kode_tps) ORDER BY row_no) = 1"""
    )
    result.loaded = _scalar(con, "SELECT count(*) FROM r")
    return result


def _bad_rows_sql(present: set[str], wanted: list[str]) -> str:
    checks = ["NOT regexp_full_match(coalesce(trim(kode_tps), ''), '\\d{13}')"]
    for c in wanted:
        if c in present:
            checks.append(_bad_number(c))
    return " OR ".join(checks)


def _bad_number(column: str) -> str:
    """A filled cell that is not plain digits (no sign, decimals, exponent or separators) or is too large."""
    return (
        f"(nullif(trim({column}), '') IS NOT NULL AND (NOT regexp_full_match(trim({column}), '[0-9]{{1,8}}') "
        f"OR TRY_CAST(trim({column}) AS BIGINT) > {MAX_COUNT}))"
    )


def _reject_csv(
    con: duckdb.DuckDBPyConnection, path: Path, present: set[str], wanted: list[str], result: Loaded
) -> None:
    """Every bad cell of every bad row, named; then duplicates of a TPS already read."""
    con.execute("CREATE OR REPLACE TEMP TABLE rejected_rows (row_no BIGINT)")
    code_bad = t(("bukan kode TPS 13 digit", "not a 13-digit TPS code"))
    number_bad = t(("bukan bilangan bulat 0 sampai 10 juta", "not a whole number from 0 to 10 million"))
    parts = [
        f"SELECT row_no, 'kode_tps', {literal(code_bad)} FROM raw WHERE NOT regexp_full_match(coalesce(trim(kode_tps), ''), '\\d{{13}}')"
    ]
    for c in wanted:
        if c in present:
            parts.append(f"SELECT row_no, '{c}', {literal(number_bad)} FROM raw WHERE {_bad_number(c)}")
    duplicate = t(("TPS ini sudah ada di baris sebelumnya", "this TPS already appeared in an earlier row"))
    parts.append(
        f"SELECT row_no, 'kode_tps', {literal(duplicate)} FROM raw "
        "QUALIFY row_number() OVER (PARTITION BY trim(kode_tps) ORDER BY row_no) > 1"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE reject_cells AS SELECT * FROM ({' UNION ALL '.join(parts)})")
    con.execute("INSERT INTO rejected_rows SELECT DISTINCT row_no FROM reject_cells")
    rows = con.execute("SELECT * FROM reject_cells ORDER BY 1, 2").fetchall()
    row_label = t(("baris", "row"))
    result.rejects += [(f"{path.name} {row_label} {row_no}", column, reason) for row_no, column, reason in rows]
    result.rejected = _scalar(con, "SELECT count(*) FROM rejected_rows")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchall()[0][0])


# --- Sirekap JSON ------------------------------------------------------------------------------------------------


def _read_json(con: duckdb.DuckDBPyConnection, source: Path) -> Loaded:
    if source.is_dir():
        return _json_files(con, _json_in(source), source)
    with tempfile.TemporaryDirectory(prefix="kawal-sirekap-") as scratch:
        _safe_extract(source, Path(scratch))
        return _json_files(con, _json_in(Path(scratch)), Path(scratch))


def _json_in(folder: Path) -> list[Path]:
    """The JSON files under ``folder``; a folder whose name ends in .json (a zip may hold one) is a folder."""
    return sorted(p for p in folder.rglob("*.json") if p.is_file())


def _safe_extract(zip_path: Path, into: Path) -> None:
    """Extract only .json members (see kawal.engine.zips: zip bombs, paths that climb out, damaged zips refused)."""
    zips.unpack(
        zip_path, into, max_files=MAX_ZIP_FILES, max_bytes=MAX_ZIP_BYTES, max_member_bytes=MAX_JSON_BYTES,
        keep=lambda member: member.filename.lower().endswith(".json"),
    )  # fmt: skip


def _json_files(con: duckdb.DuckDBPyConnection, files: list[Path], root: Path) -> Loaded:
    """One Python pass per file is fine here: a kabupaten has a few thousand TPS files; the checks run in SQL."""
    result = Loaded(rows_in=len(files))
    records: list[dict] = []
    seen: set[str] = set()
    for path in files:
        record, problem = _json_record(path)
        if not problem and record["kode_tps"] in seen:
            problem = ("kode_tps", t(("TPS ini sudah ada di berkas lain", "this TPS is already in another file")))
        if problem:
            result.rejects.append((str(path.relative_to(root)), problem[0], problem[1]))
            result.rejected += 1
        else:
            seen.add(record["kode_tps"])
            records.append(record)
    n = max((int(k[len(PASLON_PREFIX) :]) for r in records for k in r if k.startswith(PASLON_PREFIX)), default=0)
    columns = ["kode_tps", *NUMBERS, *(paslon(i) for i in range(1, n + 1))]
    table = pa.table(
        {c: pa.array([r.get(c) for r in records], type=pa.string() if c == "kode_tps" else pa.int64()) for c in columns}
    )
    con.register("json_in", table)
    con.execute(
        "CREATE OR REPLACE TABLE r AS SELECT * FROM json_in QUALIFY row_number() OVER (PARTITION BY kode_tps) = 1"
    )
    result.loaded, result.paslon = _scalar(con, "SELECT count(*) FROM r"), n
    return result


def _json_record(path: Path) -> tuple[dict, tuple[str, str] | None]:
    code = path.stem
    if not TPS_CODE.fullmatch(code):
        return {}, ("kode_tps", t(("nama berkas bukan kode TPS 13 digit", "the file name is not a 13-digit TPS code")))
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError):
        return {}, ("json", t(("JSON tidak dapat dibaca", "unreadable JSON")))
    if not isinstance(data, dict):
        return {}, ("json", t(("JSON bukan objek", "the JSON is not an object")))
    body = (
        cast(dict, data.get("tungsura")) if isinstance(data.get("tungsura"), dict) else data
    )  # Pilkada vs Pemilu shape
    record: dict = {"kode_tps": code}
    for key, ours in SIREKAP_ADMINISTRASI.items():
        value = (body.get("administrasi") or {}).get(key)
        if value is not None and not _count_ok(value):
            return {}, (key, t(("bukan bilangan bulat 0 sampai 10 juta", "not a whole number from 0 to 10 million")))
        record[ours] = value
    chart = body.get("chart") or {}
    if not isinstance(chart, dict):
        return {}, ("chart", t(("chart bukan objek", "chart is not an object")))
    # paslon ids ascend with their ballot number; ASCII digits only ("²".isdigit() holds, int("²") fails)
    ids = sorted((k for k in chart if k.isascii() and k.isdigit()), key=int)
    if len(ids) > MAX_PASLON:
        return {}, ("chart", t(_TOO_MANY_PASLON, f=path.name, n=MAX_PASLON))
    for number, key in enumerate(ids, start=1):
        value = chart[key]
        if value is not None and not _count_ok(value):
            return {}, (
                f"chart.{key}",
                t(("bukan bilangan bulat 0 sampai 10 juta", "not a whole number from 0 to 10 million")),
            )
        record[paslon(number)] = value
    return record, None


_TOO_MANY_PASLON = ("{f}: lebih dari {n} paslon", "{f}: more than {n} candidate pairs")


def _count_ok(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT
