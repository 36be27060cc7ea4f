"""Public pages: no login, no personal data. What a citizen can check for themselves, KawalPemilu-style: the
verified count from the city down to each TPS, next to the photo of its C.Hasil and the time it last changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kawal.engine import BALLOTS, PAIRED, VOTES, paslon
from kawal.web.accounts.models import Accreditation, Membership, Organisation, accredited_observers
from kawal.web.participation.models import Election
from kawal.web.photos.models import Photo
from kawal.web.photos.store import derive
from kawal.web.public import candidates
from kawal.web.results.models import ResultEntry, TallyNode, TpsAssignment, TpsResult
from kawal.web.security import plain_int
from kawal.wilayah import registry as wilayah_registry

if TYPE_CHECKING:
    from django.http.response import HttpResponseBase

LEVELS = (4, 6, 10)  # kota, kecamatan, kelurahan; below a kelurahan come its TPS


def office() -> Organisation | None:
    """The KPU office whose results are published (one office per installation)."""
    return Organisation.objects.filter(kind=Organisation.Kind.KPU).order_by("pk").first()


def public_election(pk: str | None = None) -> Election | None:
    """The election asked for (``?pemilu=``) or the latest of the office that has verified results, else the
    latest of all."""
    elections = Election.objects.filter(organisation=office()).order_by("-held_on", "-pk")
    number = plain_int(pk)  # "²" passes isdigit() and fails int() (issue 16)
    if number is not None:
        return elections.filter(pk=number).first()
    counted = elections.filter(tps_results__status=TpsResult.Status.VERIFIED).first()
    return counted or elections.first()


def _focus(request: HttpRequest, election: Election) -> str:
    wanted = request.GET.get("wilayah", "").strip()
    if wanted.isdigit() and len(wanted) in LEVELS and wilayah_registry().get(wanted) is not None:
        return wanted
    city = TallyNode.objects.filter(election=election, kode__regex=r"^\d{4}$").values_list("kode", flat=True).first()
    kpu = office()
    return city or (kpu.wilayah[:4] if kpu and kpu.wilayah else "3671")


def _trail(focus: str) -> list[dict]:
    """Kota › kecamatan › kelurahan, each with its name and code."""
    names = wilayah_registry().names({focus[:n] for n in LEVELS if len(focus) >= n})
    return [{"kode": focus[:n], "nama": names[focus[:n]]} for n in LEVELS if len(focus) >= n]


def _votes(numbers: dict, count: int) -> list[tuple[int, int, float]]:
    votes = {i: int(numbers.get(paslon(i)) or 0) for i in range(1, count + 1)}
    valid = sum(votes.values())
    return [(i, v, v / valid if valid else 0.0) for i, v in votes.items()]


def _named(votes: list[tuple[int, int, float]], names: dict[int, str]) -> list[tuple[int, str, int, float]]:
    """(nomor, votes, share) → (nomor, the pair's names, votes, share): every row of results says who."""
    return [(i, names.get(i, f"Paslon {i}"), v, share) for i, v, share in votes]


def _unit(node: TallyNode | None, names: dict[int, str], nama: str) -> dict | None:
    if node is None:
        return None
    numbers = {paslon(v.paslon): v.votes for v in node.votes.all()}
    votes = _votes(numbers, len(names))
    return {
        "kode": node.kode,
        "nama": nama,
        "tps_in": node.tps_in,
        "votes": votes,
        "named": _named(votes, names),
        "dpt": node.dpt,
        "total": node.suara_total,
        "turnout": node.suara_total / node.dpt if node.dpt else None,
    }


def _last_verified(election: Election, focus: str, level: int) -> dict[str, Any]:
    """When each unit one level below ``focus`` last changed: the newest verified TPS under it."""
    latest: dict[str, Any] = {}
    verified = TpsResult.objects.filter(
        election=election, kode_tps__startswith=focus, status=TpsResult.Status.VERIFIED
    ).values_list("kode_tps", "updated_at")
    for kode_tps, updated in verified:
        unit = kode_tps[:level]
        if unit not in latest or updated > latest[unit]:
            latest[unit] = updated
    return latest


def _children(election: Election, focus: str, names: dict[int, str]) -> list[dict]:
    """The units one level down (kecamatan or kelurahan) with their verified totals, candidates by number and
    name and when each last changed; a kelurahan's TPS."""
    if len(focus) == 10:
        return _tps_rows(election, focus, names)
    level = 6 if len(focus) == 4 else 10
    nodes = [
        n
        for n in TallyNode.objects.filter(election=election, kode__startswith=focus).prefetch_related("votes")
        if len(n.kode) == level
    ]
    places = wilayah_registry().names({n.kode for n in nodes})
    updated = _last_verified(election, focus, level)
    rows = [cast(dict, _unit(n, names, places[n.kode])) | {"updated_at": updated.get(n.kode)} for n in nodes]
    return sorted(rows, key=lambda r: r["kode"])  # a node: a row


def _tps_rows(election: Election, kelurahan: str, names: dict[int, str]) -> list[dict]:
    count = len(names)
    rows = []
    for r in TpsResult.objects.filter(election=election, kode_tps__startswith=kelurahan).order_by("kode_tps"):
        numbers = r.verified if r.status == TpsResult.Status.VERIFIED and r.verified else {}
        dpt, total = numbers.get("dpt"), numbers.get("suara_sah_dan_tidak_sah")
        rows.append(
            {
                "kode": r.kode_tps,
                "nama": f"TPS {r.kode_tps[-3:]}",
                "status": r.status,
                "status_label": r.get_status_display(),
                "verified": bool(numbers),
                "votes": _votes(numbers, count) if numbers else [],
                "named": _named(_votes(numbers, count), names) if numbers else [],
                "turnout": total / dpt if numbers and dpt and total is not None else None,
                "updated_at": r.updated_at,
            }
        )
    return rows


def observers(election: Election, kode_prefix: str = "") -> list[Accreditation]:
    """The accredited Ormas behind the figures: those accredited on the voting day (``accredited_observers``)
    whose members are assigned as pemantau to a TPS under ``kode_prefix``. Organisations only, never people."""
    valid = accredited_observers(election.held_on)
    if not valid:
        return []
    watchers = TpsAssignment.objects.filter(
        election=election, role=TpsAssignment.Role.OBSERVER, kode_tps__startswith=kode_prefix
    ).values("user")
    present = set(
        Membership.objects.filter(user__in=watchers, organisation__in=valid.keys()).values_list(
            "organisation_id", flat=True
        )
    )
    return sorted((valid[pk] for pk in present), key=lambda a: a.organisation.name)


def _summary(election: Election, focus: str) -> dict:
    results = TpsResult.objects.filter(election=election, kode_tps__startswith=focus)
    return results.aggregate(
        entered=Count("id"),
        verified=Count("id", filter=Q(status=TpsResult.Status.VERIFIED)),
        conflicts=Count("id", filter=Q(status=TpsResult.Status.CONFLICT)),
        updated=Max("updated_at", filter=Q(status=TpsResult.Status.VERIFIED)),
    )


def results(request: HttpRequest) -> HttpResponse:
    """The verified count of the city, a kecamatan or a kelurahan (``?wilayah=``), with each unit below it."""
    election = public_election(request.GET.get("pemilu"))
    context: dict = {"election": election}
    if election is not None:
        from kawal.web.results.views import tps_total

        focus = _focus(request, election)
        names = candidates.names(election)
        trail = _trail(focus)
        top_node = TallyNode.objects.filter(election=election, kode=focus).prefetch_related("votes").first()
        top = _unit(top_node, names, trail[-1]["nama"] if trail else focus)
        context |= {
            "focus": focus,
            "trail": trail,
            "level": {4: "kota", 6: "kecamatan", 10: "kelurahan"}[len(focus)],
            "candidates": names,
            "top": top,
            "here": trail[-1]["nama"] if trail else focus,
            "top_votes": top["named"] if top else [],
            "rows": _children(election, focus, names),
            "summary": _summary(election, focus),
            "tps_total": tps_total(election, focus) if len(focus) < 10 else None,
            "gap": _gap(top, election.target),
            "observers": observers(election, focus),
        }
    return render(request, "public/results.html", context)


def _gap(top: dict | None, target: float) -> dict | None:
    """Turnout against the target so far: points short and voters short (over the TPS already verified)."""
    if not top or top["turnout"] is None:
        return None
    needed = max(0, round(target * top["dpt"]) - top["total"])
    return {"points": max(0.0, target - top["turnout"]), "voters": needed, "reached": top["turnout"] >= target}


def tps(request: HttpRequest, kode_tps: str) -> HttpResponse:
    """One TPS: its verified numbers with their names, the C.Hasil photos and when it last changed."""
    election = public_election(request.GET.get("pemilu"))
    if election is None or not kode_tps.isdigit() or len(kode_tps) != 13:
        raise Http404
    if wilayah_registry().get(kode_tps[:10]) is None:
        raise Http404
    result = TpsResult.objects.filter(election=election, kode_tps=kode_tps).first()
    names = candidates.names(election)
    numbers = result.verified if result and result.status == TpsResult.Status.VERIFIED and result.verified else {}
    context = {
        "election": election,
        "kode": kode_tps,
        "trail": _trail(kode_tps[:10]),
        "result": result,
        "candidates": names,
        "votes": _named(_votes(numbers, len(names)), names) if numbers else [],
        "sections": _sections(numbers) if numbers else [],
        "photos": public_photos(election, kode_tps) if numbers else [],
        "observers": observers(election, kode_tps),
    }
    return render(request, "public/tps.html", context)


def _sections(numbers: dict) -> list[tuple[str, list[tuple[str, int | None]]]]:
    """The form's blocks in the paper's order, each field by its plain name (the code stays in the CSV)."""
    return [
        ("I", [(f, numbers.get(f)) for f in PAIRED]),
        ("II", [(f, numbers.get(f)) for f in BALLOTS]),
        ("V", [(f, numbers.get(f)) for f in VOTES]),
    ]


def public_photos(election: Election, kode_tps: str) -> list[Photo]:
    """The C.Hasil photos of the entries of a verified TPS (a public document, like the copy posted at the TPS);
    damaged ones are left out."""
    entries = ResultEntry.objects.filter(election=election, kode_tps=kode_tps)
    return list(
        Photo.objects.filter(kind=Photo.Kind.C_HASIL, damaged=False, pk__in=entries.values("photos"))
        .distinct()
        .order_by("received_at")
    )


def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A C.Hasil photo of a verified TPS, for everyone (the copy without EXIF; anything else answers 404)."""
    entries = ResultEntry.objects.filter(photos=pk)
    verified = TpsResult.objects.filter(status=TpsResult.Status.VERIFIED)
    places = entries.values_list("election", "kode_tps")
    shown = any(verified.filter(election_id=e, kode_tps=k).exists() for e, k in places)
    item = Photo.objects.filter(pk=pk, kind=Photo.Kind.C_HASIL, damaged=False).first()
    if not shown or item is None:
        raise Http404
    derive(item)
    if item.damaged or not item.served:
        raise Http404
    response = FileResponse(item.served.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def landing(request: HttpRequest) -> HttpResponse:
    """What a citizen sees at ``/``: what kawal is, the count so far and where to look further."""
    election = public_election()
    summary = _summary(election, "") if election else None
    context: dict[str, Any] = {"election": election, "summary": summary, "office": office()}
    context["observers"] = observers(election) if election else []
    return render(request, "public/landing.html", context)
