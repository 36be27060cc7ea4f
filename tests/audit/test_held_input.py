"""An audit of a file holds the file's rows in its own database: the same findings as an audit of the file's
stored snapshot, nothing of the file left on disk, and the rows in = audited + rejected."""

from __future__ import annotations

from kawal.engine import importer
from kawal.engine.audit import audit
from kawal.engine.importer import import_voter_list
from kawal.engine.snapshots import SnapshotStore
from kawal.synth.generator import generate


def test_a_file_audited_directly_gives_the_findings_of_its_stored_snapshot(tmp_path, monkeypatch):
    generate(1500, seed=7, out=tmp_path / "city")
    listed = tmp_path / "city" / "dpt.csv"
    with listed.open("a", encoding="utf-8") as f:  # one row the import rejects, naming its field
        f.write(",".join(["X-1", "3671010101010001", "3671014101900001", "BUDI", "TANGERANG", "31-02-1990"]) + "\n")
    store = SnapshotStore(tmp_path / "data")
    snapshot = import_voter_list(listed, "LAIN", None, store).snapshot

    def no_parquet(*_args: object) -> None:
        raise AssertionError("an audited file must not be written as a Parquet snapshot")

    monkeypatch.setattr(importer, "_write_parquet", no_parquet)
    direct = audit([listed], tmp_path / "direct")
    monkeypatch.undo()
    stored = audit([str(snapshot.path)], tmp_path / "stored")

    assert direct.summary["rows_in"] == direct.audited + direct.rejected == stored.summary["rows_in"]
    assert direct.rejected == stored.rejected >= 1
    for name in ("findings.csv", "rejects.csv"):
        assert (tmp_path / "direct" / name).read_bytes() == (tmp_path / "stored" / name).read_bytes()
    assert direct.findings == stored.findings and direct.findings.get("PEMILIH_GANDA")
    leftovers = [p for p in (tmp_path / "direct").rglob("*") if p.suffix in (".parquet", ".csv") and "kawal" in str(p)]
    assert not leftovers and not (tmp_path / "direct" / ".kawal-import").exists()
