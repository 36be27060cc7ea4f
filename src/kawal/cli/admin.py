"""``kawal backup`` and ``kawal restore``."""

from __future__ import annotations

import argparse
from pathlib import Path

from kawal.cli.common import Sub, console
from kawal.i18n import number, t


def register_backup(sub: Sub) -> None:
    p = sub.add_parser(
        "backup",
        help=t(
            (
                "cadangkan basis data, snapshot dan foto ke satu file",
                "back up the database, snapshots and photos into one file",
            )
        ),
    )
    p.add_argument("--out", type=Path, required=True, help=t(("file .tar tujuan", "the .tar file to write")))
    p.add_argument(
        "--include-secrets",
        action="store_true",
        help=t(("ikutkan kunci pengembangan di <data>/.secrets", "include the development keys in <data>/.secrets")),
    )
    p.set_defaults(handler=cmd_backup)
    r = sub.add_parser("restore", help=t(("pulihkan dari file cadangan", "restore from a backup file")))
    r.add_argument("archive", type=Path, metavar="FILE")
    r.add_argument("--force", action="store_true", help=t(("timpa data yang ada", "overwrite existing data")))
    r.add_argument(
        "--verify-only", action="store_true", help=t(("periksa saja, jangan pulihkan", "only check, do not restore"))
    )
    r.set_defaults(handler=cmd_restore)


def _setup() -> None:
    from kawal.web import management

    management.setup()


def cmd_backup(args: argparse.Namespace) -> int:
    _setup()
    from kawal.web.backup import backup

    manifest = backup(args.out, args.include_secrets)
    size = sum(f["bytes"] for f in manifest["files"].values())
    console.print(
        t(
            ("Cadangan: {n} berkas, {m:.1f} MiB → {o}", "Backup: {n} files, {m:.1f} MiB → {o}"),
            n=len(manifest["files"]),
            m=size / 2**20,
            o=args.out,
        )
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _setup()
    from kawal.web.backup import restore, verify

    manifest = verify(args.archive) if args.verify_only else restore(args.archive, args.force)
    verb = t(("Utuh", "Intact")) if args.verify_only else t(("Dipulihkan", "Restored"))
    console.print(f"{verb}: {len(manifest['files'])} · {manifest['created_at']} · kawal {manifest['kawal_version']}")
    return 0


def register_retention(sub: Sub) -> None:
    p = sub.add_parser(
        "retention",
        help=t(
            ("hapus data pribadi daftar pemilih yang lewat masa simpan", "erase personal data of lists past retention")
        ),
        description=t(
            (
                "Tanpa --apply hanya menghitung. Daftar yang lebih tua dari --days hari kehilangan nama, alamat, NIK/NKK, "
                "foto dan file snapshot-nya; jumlah, status dan log tindakan tetap.",
                "Without --apply it only counts. Lists older than --days lose names, addresses, NIK/NKK, photos and "
                "their snapshot files; counts, statuses and the action log stay.",
            )
        ),
    )
    p.add_argument("--days", type=int, default=365, help=t(("masa simpan dalam hari", "retention period in days")))
    p.add_argument("--apply", action="store_true", help=t(("hapus sungguh-sungguh", "erase for real")))
    p.set_defaults(handler=cmd_retention)


def cmd_retention(args: argparse.Namespace) -> int:
    _setup()
    from kawal.web import retention

    found = retention.apply(args.days) if args.apply else retention.plan(args.days)
    verb = (
        t(("Dihapus", "Erased"))
        if args.apply
        else t(("Akan dihapus (jalankan dengan --apply)", "Would erase (run with --apply)"))
    )
    console.print(
        f"{verb}: {len(found.lists)} daftar/lists · {number(found.voters)} pemilih/voters · {found.new_voters} pemilih baru/new voters · "
        f"{found.people_met} orang/people met · {found.items} butir tanggapan/items · {found.photos} foto/photos · "
        f"{len(found.snapshots)} snapshot"
    )
    if found.incidents is not None:
        i = found.incidents
        console.print(
            f"  laporan pelanggaran/incident reports: {i.reports} · {i.files} bukti/evidence files · {i.chat_rows} chat"
        )
    return 0


def register_keys(sub: Sub) -> None:
    p = sub.add_parser(
        "keys",
        help=t(("rotasi dan periksa kunci enkripsi data pribadi", "rotate and check the personal-data encryption key")),
        description=t(
            (
                "rotate: enkripsi ulang setiap NIK/NKK, rahasia lain dan snapshot daftar pemilih dari "
                "KAWAL_FIELD_KEY_OLD ke KAWAL_FIELD_KEY (bisa diulang bila terputus). check: hitung nilai dan berkas "
                "snapshot per kunci dan cocokkan hash NIK. seal: segel snapshot yang dibuat sebelum penyegelan ada.",
                "rotate: re-encrypt every NIK/NKK, other secret and voter-list snapshot from KAWAL_FIELD_KEY_OLD to "
                "KAWAL_FIELD_KEY (run it again if interrupted). check: count values and snapshot files per key and "
                "recompute NIK hashes. seal: seal the snapshots written before sealing existed.",
            )
        ),
    )
    p.add_argument("action", choices=("rotate", "check", "seal"))
    p.set_defaults(handler=cmd_keys)


def cmd_keys(args: argparse.Namespace) -> int:
    _setup()
    from kawal.cli.common import steps
    from kawal.web import keys

    if args.action == "seal":
        keys.seal_snapshots()
        return _print_snapshot_files(keys.snapshot_files())
    if args.action == "rotate":
        columns = keys.encrypted_columns()
        with steps(len(columns) + 1) as advance:  # the snapshots are the last step
            columns = keys.rotate(advance)
        checked = mismatched = 0
    else:
        columns, checked, mismatched = keys.check()
    _print_columns(columns, rotating=args.action == "rotate")
    unreadable_files = _print_snapshot_files(keys.snapshot_files())
    if checked:
        console.print(
            t(
                ("Hash NIK dicek: {n}, tidak cocok: {m}", "NIK hashes checked: {n}, not matching: {m}"),
                n=checked,
                m=mismatched,
            )
        )
    return 1 if mismatched or unreadable_files or any(c.unreadable for c in columns) else 0


def _print_snapshot_files(files: dict[str, int]) -> int:
    """Print the snapshot files per key; 1 when some are under a key that is no longer configured."""
    console.print(
        t(
            (
                "Berkas snapshot: {c} tersegel dengan kunci sekarang, {o} dengan kunci lain, {p} belum tersegel",
                "Snapshot files: {c} sealed with the current key, {o} with another key, {p} not sealed",
            ),
            c=files["current"],
            o=files["old"],
            p=files["plain"],
        )
    )
    if files["plain"]:
        console.print(t(("Jalankan `kawal keys seal` untuk menyegelnya.", "Run `kawal keys seal` to seal them.")))
    return 1 if files["old"] else 0


def _print_columns(columns: list, rotating: bool) -> None:
    for c in columns:
        if rotating:
            line = t(
                ("{c}: {n} nilai, {r} dienkripsi ulang, {k} sudah dengan kunci baru, {u} tak terbaca",
                 "{c}: {n} values, {r} re-encrypted, {k} already under the new key, {u} unreadable"),
                c=c.label, n=c.total, r=c.rotated, k=c.current, u=c.unreadable,
            )  # fmt: skip
        else:
            line = t(
                ("{c}: {n} nilai, {k} dengan kunci sekarang, {u} tak terbaca",
                 "{c}: {n} values, {k} under the current key, {u} unreadable"),
                c=c.label, n=c.total, k=c.current, u=c.unreadable,
            )  # fmt: skip
        console.print(line)
