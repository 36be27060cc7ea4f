"""``kawal generate``: a synthetic Kota Tangerang list with known problems, or an independent profile."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import cast

from kawal.cli.common import Sub, console, steps
from kawal.i18n import number, t

# Independent profiles written apart from kawal.synth.profiles, each in its own module: name -> (module, function).
SEPARATE_PROFILES = {
    "arsip": ("kawal.synth.profile_arsip", "generate_arsip"),
    "lapangan": ("kawal.synth.profile_lapangan", "generate_lapangan"),
}


def independent_profiles() -> list[str]:
    """Every independent profile: those of kawal.synth.profiles, then the separate ones."""
    from kawal.synth.profiles import PROFILES

    return [*PROFILES, *SEPARATE_PROFILES]


def register_generate(sub: Sub) -> None:
    from kawal.synth.generator import CITY_VOTERS

    p = sub.add_parser(
        "generate",
        help=t(
            (
                "buat DPT sintetis Kota Tangerang dengan masalah yang diketahui",
                "make a synthetic Kota Tangerang DPT with known problems",
            )
        ),
    )
    p.add_argument(
        "--voters",
        type=int,
        default=CITY_VOTERS,
        help=t(("jumlah pemilih (bawaan: DPT 2024)", "number of voters (default: the 2024 DPT)")),
    )
    p.add_argument("--seed", type=int, default=2024, help=t(("benih acak", "random seed")))
    p.add_argument("--out", type=Path, required=True, help=t(("folder keluaran", "output folder")))
    p.add_argument(
        "--profile",
        choices=["kawal", *independent_profiles()],
        default="kawal",
        help=t(
            (
                "profil pembangkit: kawal (bawaan) atau profil independen untuk menguji pencocok pemilih ganda",
                "generator profile: kawal (default) or an independent profile to measure the duplicate matcher on",
            )
        ),
    )
    p.set_defaults(handler=cmd_generate)


def run_generate(voters: int, seed: int, out: Path) -> dict[str, int]:
    from kawal.synth.generator import STAGES as GEN_STAGES
    from kawal.synth.generator import generate

    words = {
        "persons": t(("Membuat penduduk dan rumah tangga", "Making people and households")),
        "problems": t(("Menyisipkan masalah", "Injecting problems")),
        "truth": t(("Mencatat kebenaran", "Recording the truth")),
        "write": t(("Menulis CSV", "Writing CSV")),
    }
    with steps(len(GEN_STAGES)) as advance:
        summary = generate(voters, seed, out, progress=lambda s: advance(words.get(s, s)))
    console.print(
        t(
            (
                "{v:,} pemilih ({p:,} orang), {tps:,} TPS, {k} kelurahan, {h:,} KK → {o}",
                "{v:,} voters ({p:,} people), {tps:,} TPS, {k} kelurahan, {h:,} households → {o}",
            ),
            v=summary.voters,
            p=summary.persons,
            tps=summary.tps,
            k=summary.kelurahan,
            h=summary.households,
            o=out / "dpt.csv",
        )
    )
    return summary.problems


def run_generate_profile(profile: str, voters: int, seed: int, out: Path) -> dict[str, int]:
    """One of the independent profiles: the list, its truth, and its duplicate pairs."""
    words = {
        "persons": t(("Membuat penduduk, rumah tangga dan nama", "Making people, households and names")),
        "problems": t(("Mendaftarkan sebagian orang dua kali", "Registering some people twice")),
        "write": t(("Menulis CSV", "Writing CSV")),
    }
    with steps(len(words)) as advance:

        def say(step: str) -> None:
            advance(words.get(step, step))

        summary = _profile_generator(profile)(voters, seed, out, progress=say)
    console.print(
        t(
            (
                "Profil {n}: {v:,} pemilih ({p:,} orang), {d:,} baris ganda, {pairs:,} pasangan → {o}",
                "Profile {n}: {v:,} voters ({p:,} people), {d:,} duplicate rows, {pairs:,} pairs → {o}",
            ),
            n=profile,
            v=summary["voters"],
            p=summary["persons"],
            d=summary["duplicate_rows"],
            pairs=summary["pairs"],
            o=out / "dpt.csv",
        )
    )
    return summary["problems"]


def _profile_generator(profile: str) -> Callable[..., dict]:
    """``generate(voters, seed, out, progress=None) -> summary`` of an independent profile."""
    if profile in SEPARATE_PROFILES:
        module, function = SEPARATE_PROFILES[profile]
        return cast(Callable[..., dict], getattr(import_module(module), function))
    from kawal.synth.profiles import generate_profile

    return partial(generate_profile, profile)


def cmd_generate(args: argparse.Namespace) -> int:
    if args.profile == "kawal":
        problems = run_generate(args.voters, args.seed, args.out)
    else:
        problems = run_generate_profile(args.profile, args.voters, args.seed, args.out)
    console.print(
        t(("Masalah (baris): ", "Problems (rows): ")) + ", ".join(f"{k} {number(v)}" for k, v in problems.items())
    )
    return 0
