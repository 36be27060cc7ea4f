"""The statistical audit in the web app: draw from a list's snapshot with the engine, turn units into field
tasks, record what the field finds (idempotently), and estimate with the engine's estimators."""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet

from kawal.engine import (
    NONRESPONSE,
    Estimate,
    SampleCluster,
    SnapshotStore,
    draw_from,
    estimate_clusters,
    estimate_records,
    mask,
    match_person,
    normalise_phrase,
    parquet_source,
    parse_nik,
    snapshot_strata,
    write_sample,
)
from kawal.web.accounts.throttle import bump
from kawal.web.actionlog.models import record
from kawal.web.crypto import encrypt, keyed_hash
from kawal.web.field.assign import assign_open_tasks
from kawal.web.field.models import FieldTask
from kawal.web.sampling.models import Observation, SampleDraw, SampleUnit
from kawal.web.security import nik_problem
from kawal.web.voters.models import Voter, VoterList

if TYPE_CHECKING:
    from django.contrib.auth.models import User

COVERAGE = {  # household checks in sampled RT: (pantarlih, sticker) -> counts toward the category
    "dikunjungi_pantarlih": lambda p, s: p == "ya",
    "stiker_tanpa_kunjungan": lambda p, s: s == "ya" and p == "tidak",
    "kunjungan_tanpa_stiker": lambda p, s: p == "ya" and s == "tidak",
}


class SampleError(ValueError):
    """A submission or a draw that cannot be made; the message names the field."""


class LookupLimit(SampleError):
    """This account checked its hourly share of people against the list (answered 429; the phone retries)."""


LOOKUP_WINDOW = 3600
LOOKUPS_PER_HOUR = 20  # people met, per relawan: a door-to-door walk meets fewer; a list-prober needs thousands


def lookups_per_hour() -> int:
    return int(getattr(settings, "KAWAL_PERSON_LOOKUPS_PER_HOUR", LOOKUPS_PER_HOUR))


def snapshot_file(voter_list: VoterList) -> tuple[Path, str, str]:
    """The list's snapshot voters file, the SHA-256 of its source file, and the file's name."""
    snapshot = SnapshotStore(Path(settings.SNAPSHOT_ROOT)).get(voter_list.snapshot)
    source = snapshot.meta["source"]
    return snapshot.voters_path, source["sha256"], source["name"]


def snapshot_source(voter_list: VoterList) -> tuple[str, str, str]:
    """As ``snapshot_file``, the file as the engine's relation expression (kept for results/views.py)."""
    path, sha, name = snapshot_file(voter_list)
    return parquet_source(path), sha, name


def strata_sizes(voter_list: VoterList, unit: str, by: str) -> dict[str, tuple[int, int]]:
    path, _sha, _name = snapshot_file(voter_list)
    return snapshot_strata(path, unit, by)


@transaction.atomic
def make_draw(
    voter_list: VoterList,
    user: User,
    phrase: str,
    unit: str,
    by: str,
    per_stratum: dict[str, int],
    plan: dict,
    confidence: float = 0.95,
) -> SampleDraw:
    """Draw with the engine, keep the design and every unit, and make one field task per unit."""
    path, sha, name = snapshot_file(voter_list)
    result = draw_from(path, sha, phrase, unit=unit, by=by, per_stratum=per_stratum)
    with tempfile.TemporaryDirectory() as scratch:  # the same bytes the CLI writes, for the sample's SHA-256
        manifest_path = write_sample(result, Path(scratch), phrase, sha, name)[1]
        digest = json.loads(manifest_path.read_text(encoding="utf-8"))["sample_sha256"]
    sample = SampleDraw.unscoped.create(
        voter_list=voter_list,
        created_by=user,
        phrase=normalise_phrase(phrase),
        seed=result.seed,
        list_sha256=sha,
        unit=unit,
        by=by,
        confidence=confidence,
        plan=plan,
        strata=result.strata,
        sample_sha256=digest,
        size=result.rows.num_rows,
    )
    _store_units(sample, result.rows)
    assigned = assign_open_tasks(voter_list) if unit != "tps" else 0
    record("sample.drawn", user=user, obj=sample, units=sample.size, seed=sample.seed, assigned=assigned)
    return sample


def _store_units(sample: SampleDraw, rows: pa.Table) -> None:
    """Each drawn unit; records and RT also become field tasks (TPS of a quick count are guarded by witnesses)."""
    data = rows.to_pylist()
    if sample.unit == "tps":
        SampleUnit.objects.bulk_create(
            SampleUnit(
                draw=sample, stratum=r["stratum"], urutan=r["urutan"], key=r["unit"], rank=r["kunci"],
                kode_kelurahan=r["kode_kelurahan"], tps=r["tps"], voters=r["pemilih"],
            )
            for r in data
        )  # fmt: skip
        return
    voters = {}
    if sample.unit == SampleDraw.Unit.RECORD:
        keys = [r["unit"] for r in data]
        voters = dict(
            Voter.unscoped.filter(voter_list=sample.voter_list, record_id__in=keys).values_list("record_id", "pk")
        )
    FieldTask.unscoped.bulk_create(
        [
            FieldTask(
                voter_list=sample.voter_list,
                household=f"sampel-{sample.pk}-{r['stratum']}-{r['urutan']}",
                alamat=r["alamat"] or _place(r),
                kode_kelurahan=r["kode_kelurahan"],
                rw=r["rw"],
                rt=r["rt"],
                tps=r["tps"],
            )
            for r in data
        ]
    )
    tasks = list(FieldTask.unscoped.filter(household__startswith=f"sampel-{sample.pk}-"))
    by_household = {t.household: t for t in tasks}
    SampleUnit.objects.bulk_create(
        SampleUnit(
            draw=sample,
            stratum=r["stratum"],
            urutan=r["urutan"],
            key=r["unit"],
            rank=r["kunci"],
            kode_kelurahan=r["kode_kelurahan"],
            rw=r["rw"],
            rt=r["rt"],
            tps=r["tps"],
            voters=r["pemilih"],
            voter_id=voters.get(r["unit"]),
            task=by_household[f"sampel-{sample.pk}-{r['stratum']}-{r['urutan']}"],
        )
        for r in data
    )


def _place(row: dict) -> str:
    """How a task without an address names where to go."""
    if row["rt"] is None or row["rw"] is None:
        return f"TPS {row['tps'] or '-'} ({row['pemilih']} pemilih)"
    return f"RT {row['rt']:03d} / RW {row['rw']:03d} ({row['pemilih']} pemilih)"


# --- recording -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservationIn:
    client_id: str
    kind: str
    recorded_at: datetime
    outcome: str = ""
    note: str = ""
    nama: str = ""
    tanggal_lahir: date | None = None
    nik: str = ""
    pantarlih: str = ""
    sticker: str = ""


def record_observation(unit: SampleUnit, user: User, data: ObservationIn) -> tuple[Observation, bool]:
    """Keep one observation; returns it and whether it is new (False: this client_id arrived before).
    A person met is checked against the list; each new one counts toward the user's hourly share."""
    existing = Observation.objects.filter(client_id=data.client_id).first()
    if existing is not None:
        if (existing.unit_id, existing.recorded_by_id) != (unit.pk, getattr(user, "pk", None)):
            raise SampleError("client_id sudah dipakai untuk catatan lain")
        return existing, False
    if data.kind == Observation.Kind.PERSON:
        _count_lookup(user)
    fields = _validated(unit, data)
    try:
        with transaction.atomic():
            made = Observation.objects.create(
                unit=unit,
                client_id=data.client_id,
                kind=data.kind,
                recorded_by=user,
                recorded_at=data.recorded_at,
                **fields,
            )
            if unit.task_id:
                FieldTask.unscoped.filter(pk=unit.task_id).update(status=FieldTask.Status.DONE)
    except IntegrityError:
        return Observation.objects.get(client_id=data.client_id), False
    record("sample.observation", user=user, obj=made, kind=data.kind, draw=unit.draw_id)
    return made, True


def _validated(unit: SampleUnit, data: ObservationIn) -> dict:
    record_unit = unit.draw.unit == SampleDraw.Unit.RECORD
    if data.kind == Observation.Kind.OUTCOME and record_unit:
        if data.outcome not in Observation.OUTCOMES:
            raise SampleError(f"hasil: pilih {', '.join(Observation.OUTCOMES)}")
        return {"outcome": data.outcome, "note": data.note}
    if data.kind == Observation.Kind.HOUSEHOLD and not record_unit:
        if data.pantarlih not in ("ya", "tidak") or data.sticker not in ("ya", "tidak"):
            raise SampleError("pantarlih dan stiker: ya atau tidak")
        return {"pantarlih": data.pantarlih, "sticker": data.sticker, "note": data.note}
    if data.kind == Observation.Kind.PERSON and not record_unit:
        return _person(unit, data)
    raise SampleError(f"jenis '{data.kind}' tidak berlaku untuk sampel {unit.draw.get_unit_display()}")


def _count_lookup(user: User) -> None:
    """Whether someone is on the list is what a list-prober wants: each account gets a few answers an hour."""
    limit = lookups_per_hour()
    seen = bump(f"kawal-person-lookups-{getattr(user, 'pk', None)}", LOOKUP_WINDOW)
    if seen == limit + 1:  # once per account and hour, however many more tries follow
        record("sample.lookup_limit", user=user, limit=limit)
    if seen > limit:
        raise LookupLimit(f"batas {limit} orang per jam tercapai; catatan dikirim ulang nanti")


def registered_here(observation: Observation) -> bool | None:
    """What a relawan is told of a person they met: on the list in this very RT, or not. Where else on the list
    someone is (another RT, another kelurahan) is kept for the estimate and shown to coordinators only, so a
    relawan's phone is no oracle for the whole city."""
    if observation.kind != Observation.Kind.PERSON or observation.registered is None:
        return None
    return observation.found_where == "rt"


def _person(unit: SampleUnit, data: ObservationIn) -> dict:
    if not data.nama.strip() or data.tanggal_lahir is None:
        raise SampleError("orang yang ditemui: nama dan tanggal lahir wajib")
    if data.nik and not parse_nik(data.nik).valid:
        raise SampleError(f"NIK: {nik_problem(data.nik)}")
    path, _sha, _name = snapshot_file(unit.draw.voter_list)
    person: dict[str, list[Any]] = {
        "unit": [unit.key],
        "nama": [data.nama.strip().upper()],
        "tanggal_lahir": [data.tanggal_lahir],
    }
    if data.nik:
        person["nik"] = [data.nik]
    found = match_person(path, person)
    return {
        "nama": data.nama.strip().upper(),
        "tanggal_lahir": data.tanggal_lahir,
        "nik_masked": mask(data.nik),
        "nik_encrypted": encrypt(data.nik) if data.nik else "",
        "nik_hash": keyed_hash(data.nik) if data.nik else "",
        "registered": found["terdaftar"],
        "found_where": found["tempat"],
        "note": data.note,
    }


# --- results ---------------------------------------------------------------------------------------------------


def latest_outcomes(sample: SampleDraw) -> dict[str, str]:
    """unit key -> its most recent outcome."""
    out = {}
    for key, outcome in (
        Observation.objects.filter(unit__draw=sample, kind=Observation.Kind.OUTCOME)
        .order_by("received_at", "pk")
        .values_list("unit__key", "outcome")
    ):
        out[key] = outcome
    return out


def estimates(sample: SampleDraw) -> list[Estimate]:
    units = list(sample.units.values_list("stratum", "key"))
    population = {k: v["population"] for k, v in sample.strata.items()}
    if sample.unit == SampleDraw.Unit.RECORD:
        return estimate_records(units, population, latest_outcomes(sample), sample.confidence)
    return _cluster_estimates(sample, population)


def _cluster_estimates(sample: SampleDraw, population: dict[str, int]) -> list[Estimate]:
    weights = {k: float(v["voters"]) for k, v in sample.strata.items()}
    stratum_of = dict(sample.units.values_list("key", "stratum"))
    people: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    households: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, kind, registered, pantarlih, sticker in Observation.objects.filter(unit__draw=sample).values_list(
        "unit__key", "kind", "registered", "pantarlih", "sticker"
    ):
        if kind == Observation.Kind.PERSON:
            people[key][0] += 1
            people[key][1] += 0 if registered else 1
        elif kind == Observation.Kind.HOUSEHOLD:
            households[key].append((pantarlih, sticker))
    clusters = [SampleCluster(stratum_of[k], k, *people.get(k, [0, 0])) for k in stratum_of]
    out = estimate_clusters(clusters, population, weights, sample.confidence, "tidak_terdaftar")
    for category, test in COVERAGE.items():
        counted = [
            SampleCluster(
                stratum_of[k], k, len(households.get(k, [])), sum(test(p, s) for p, s in households.get(k, []))
            )
            for k in stratum_of
        ]
        out += estimate_clusters(counted, population, weights, sample.confidence, category)
    return out


@dataclass(frozen=True)
class StratumProgress:
    stratum: str
    drawn: int
    answered: int  # units with an outcome (or anyone/any household recorded, for RT)
    unreachable: int  # outcome "not reached"


def progress(sample: SampleDraw) -> list[StratumProgress]:
    drawn: dict[str, int] = defaultdict(int)
    for stratum in sample.units.values_list("stratum", flat=True):
        drawn[stratum] += 1
    answered: dict[str, int] = defaultdict(int)
    unreachable: dict[str, int] = defaultdict(int)
    stratum_of = dict(sample.units.values_list("key", "stratum"))
    if sample.unit == SampleDraw.Unit.RECORD:
        for key, outcome in latest_outcomes(sample).items():
            (unreachable if outcome == NONRESPONSE else answered)[stratum_of[key]] += 1
    else:
        for key in set(Observation.objects.filter(unit__draw=sample).values_list("unit__key", flat=True)):
            answered[stratum_of[key]] += 1
    return [StratumProgress(k, drawn[k], answered[k], unreachable[k]) for k in sorted(drawn)]


# --- coklit coverage as a census of the households relawan checked ---------------------------------------------


@dataclass
class CoverageRow:
    kode: str  # kelurahan, or kelurahan/rw, or kelurahan/rw/rt
    checked: int = 0
    visited: int = 0
    sticker_without_visit: int = 0
    visit_without_sticker: int = 0

    def share(self, count: int) -> float | None:
        return count / self.checked if self.checked else None

    @property
    def visited_share(self) -> float | None:
        return self.share(self.visited)


def coverage_census(
    tasks: QuerySet[FieldTask], observations: QuerySet[Observation], kelurahan: str = "", rw: int | None = None
) -> list[CoverageRow]:
    """Households checked by relawan (field visits and sampled-RT checks) per kelurahan, or per RW inside one
    kelurahan, or per RT inside one RW, counted in the database. "Don't know" answers are not counted."""
    from kawal.web.field.models import Visit
    from kawal.web.field.review import latest

    visits = latest(Visit.unscoped.filter(task__in=tasks))
    households = observations.filter(kind=Observation.Kind.HOUSEHOLD)
    rows: dict[str, CoverageRow] = {}
    for queryset, prefix, pantarlih, sticker in (
        (visits, "task__", "pantarlih_visited", "sticker"),
        (households, "unit__", "pantarlih", "sticker"),
    ):
        for found in _coverage_counts(queryset, prefix, pantarlih, sticker, kelurahan, rw):
            key = "/".join(str(found[f"{prefix}{f}"]) for f in _levels(kelurahan, rw))
            row = rows.setdefault(key, CoverageRow(key))
            row.checked += found["checked"]
            row.visited += found["visited"]
            row.sticker_without_visit += found["sticker_only"]
            row.visit_without_sticker += found["visit_only"]
    return sorted(rows.values(), key=lambda r: r.kode)


def _levels(kelurahan: str, rw: int | None) -> tuple[str, ...]:
    if not kelurahan:
        return ("kode_kelurahan",)
    return ("kode_kelurahan", "rw") if rw is None else ("kode_kelurahan", "rw", "rt")


def _coverage_counts(
    queryset: QuerySet[Any], prefix: str, pantarlih: str, sticker: str, kelurahan: str, rw: int | None
) -> QuerySet[Any, dict[str, Any]]:
    answered = {f"{pantarlih}__in": ("ya", "tidak"), f"{sticker}__in": ("ya", "tidak")}
    if kelurahan:
        queryset = queryset.filter(**{f"{prefix}kode_kelurahan": kelurahan})
    if rw is not None:
        queryset = queryset.filter(**{f"{prefix}rw": rw})
    return (
        queryset.filter(**answered)
        .values(*(f"{prefix}{f}" for f in _levels(kelurahan, rw)))
        .annotate(
            checked=Count("id"),
            visited=Count("id", filter=Q(**{pantarlih: "ya"})),
            sticker_only=Count("id", filter=Q(**{pantarlih: "tidak", sticker: "ya"})),
            visit_only=Count("id", filter=Q(**{pantarlih: "ya", sticker: "tidak"})),
        )
        .order_by()
    )
