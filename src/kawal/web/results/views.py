"""Jaga TPS: the witness's form, the conflict queue, the tally (private and public) and its open-data export."""

from __future__ import annotations

import csv
import uuid
from typing import TYPE_CHECKING, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from kawal.engine import reserve_fraction, spreadsheet_safe
from kawal.web.accounts.models import KPU_ROLES, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.files import stash
from kawal.web.participation.models import Election
from kawal.web.results import paper, service
from kawal.web.results.models import ResultEntry, TallyNode, TpsAssignment, TpsResult
from kawal.web.security import plain_int
from kawal.web.voters import maps
from kawal.wilayah import registry as wilayah_registry

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

    from kawal.web.types import AuthedRequest
    from kawal.wilayah import Registry

MANAGERS = (*KPU_ROLES, Role.COORDINATOR)


def _election(pk: int | str | None = None, scope: Scope | None = None) -> Election | None:
    """The election asked for (or the latest); with a scope, only elections of the user's KPU offices."""
    number = plain_int(pk)  # "²" passes isdigit() and fails int(); such a value is no election
    if scope is None:
        return service.latest_election(number)
    elections = Election.objects.order_by("-held_on", "-pk")
    elections = elections.filter(organisation__in={m.organisation.kpu_office for m in scope.memberships})
    if number is not None:
        return elections.filter(pk=number).first()
    return elections.first()


def _managed(request: AuthedRequest) -> Scope:
    scope = Scope.for_user(request.user)
    if not any(m.role in MANAGERS for m in scope.memberships):
        raise PermissionDenied
    return scope


def _covers(request: AuthedRequest, election: Election, kode: str) -> bool:
    return service.manages(request.user, election, kode)


@login_required
def my_tps(request: AuthedRequest) -> HttpResponse:
    """The witness's TPS; loading it also keeps every assigned form on the phone for use without signal."""
    offices = {m.organisation.kpu_office.pk for m in Scope.for_user(request.user).memberships}  # active only
    assignments = (
        TpsAssignment.objects.filter(user=request.user, election__organisation__in=offices)
        .select_related("election")
        .order_by("-election__held_on")
    )
    status = {
        (r.election_id, r.kode_tps): r
        for r in TpsResult.objects.filter(
            Q(election__in={a.election for a in assignments}), kode_tps__in=[a.kode_tps for a in assignments]
        )
    }
    reg = wilayah_registry()
    rows = [
        {"a": a, "result": status.get((a.election_id, a.kode_tps)), "place": _place(reg, a.kode_tps)}
        for a in assignments
    ]
    return render(request, "results/my_tps.html", {"rows": rows})


def _place(reg: Registry, kode_tps: str) -> str:
    """ "TPS 003 · Ketapang, Cipondoh": a TPS named the way people say it."""
    kelurahan = reg.get(kode_tps[:10])
    kecamatan = reg.get(kode_tps[:6])
    names = ", ".join(unit.name.title() for unit in (kelurahan, kecamatan) if unit)
    return f"TPS {kode_tps[10:]}" + (f" · {names}" if names else "")


@login_required
def entry_form(request: AuthedRequest, election_id: int, kode_tps: str) -> HttpResponse:
    """The C.Hasil as a phone form in the paper's order and numbering, candidates by number and name, a photo of
    each page required, the rules shown live in plain words; a TPS in conflict shows which rows differ."""
    election = get_object_or_404(Election, pk=election_id)
    if not service.may_enter(request.user, election, kode_tps):
        raise PermissionDenied
    cols = paper.columns(election)
    context = {
        "election": election,
        "kode_tps": kode_tps,
        "place": _place(wilayah_registry(), kode_tps),
        "page_1": [
            {"code": code, "title": title, "rows": items, "paired": any(i.paired for i in items)}
            for code, title, items in paper.items_page_1()
        ],
        "columns": cols,
        "single": paper.single_candidate(cols),
        "winner_rule": paper.winner_rule(cols),
        "totals": paper.items_page_2_totals(),
        "pages": range(1, paper.PAGES + 1),
        "rules": rules_for_page(election),
        "sentences": paper.rule_sentences(),
        "labels": paper.labels(election, cols),
    }
    return render(request, "results/entry.html", context | _standing(election, kode_tps, request.user, cols))


def _standing(election: Election, kode_tps: str, user: User, cols: list) -> dict:
    """The witness's own latest reading (to correct it) and, when the TPS is in conflict, the rows that differ."""
    result = TpsResult.objects.filter(election=election, kode_tps=kode_tps).first()
    current = service.readings(election, kode_tps)
    mine = next((e for e in current if e.entered_by_id == user.pk), None)
    others = [e for e in current if e.entered_by_id != user.pk]
    differ = []
    if result is not None and result.status == TpsResult.Status.CONFLICT and mine is not None:
        names = paper.labels(election, cols)
        for key in sorted({k for e in current for k in e.numbers}, key=_field_order(election)):
            theirs = [e.numbers.get(key) for e in others]
            if any(v != mine.numbers.get(key) for v in theirs):
                differ.append(
                    {"key": key, "label": names.get(key, key), "mine": mine.numbers.get(key), "theirs": theirs}
                )
    return {
        "result": result,
        "mine": mine,
        "mine_sentences": paper.sentences(mine.flags, mine.numbers, election) if mine else [],
        "differ": differ,
    }


def rules_for_page(election: Election) -> dict[str, object]:
    """The election's limits as the form's script reads them: the reserve as a fraction, so the browser rounds
    up exactly as the server does."""
    share = reserve_fraction(election.ballot_reserve)
    return {
        "max_per_tps": election.max_per_tps,
        "reserve_num": share.numerator,
        "reserve_den": share.denominator,
        "reserve_percent": election.ballot_reserve * 100,
    }


@login_required
def conflicts(request: AuthedRequest) -> HttpResponse:
    """TPS whose readings disagree, both readings side by side with their photos; the coordinator settles them."""
    scope = _managed(request)
    election = _election(request.GET.get("pemilu") or request.POST.get("pemilu"), scope)
    if election is None:
        return render(request, "results/conflicts.html", {"rows": []})
    if request.method == "POST":
        entry = get_object_or_404(ResultEntry, pk=request.POST.get("entry"), election=election)
        in_conflict = TpsResult.objects.filter(
            election=election, kode_tps=entry.kode_tps, status=TpsResult.Status.CONFLICT
        )
        if not _covers(request, election, entry.kode_tps) or not in_conflict.exists():
            raise PermissionDenied
        service.resolve(election, entry.kode_tps, request.user, entry.numbers, str(uuid.uuid4()), timezone.now())
        return redirect(f"{request.path}?pemilu={election.pk}")
    open_ = TpsResult.objects.filter(election=election, status=TpsResult.Status.CONFLICT).order_by("kode_tps")
    rows = []
    names = paper.labels(election)
    for result in open_:
        if not _covers(request, election, result.kode_tps):
            continue
        readings = service.readings(election, result.kode_tps)
        keys = sorted({k for e in readings for k in e.numbers}, key=_field_order(election))
        table = [
            {
                "key": k,
                "label": names.get(k, k),
                "values": [e.numbers.get(k) for e in readings],
                "differs": len({e.numbers.get(k) for e in readings}) > 1,
            }
            for k in keys
        ]
        rows.append({"result": result, "readings": readings, "table": table})
    return render(request, "results/conflicts.html", {"rows": rows, "election": election})


def _field_order(election: Election) -> Callable[[str], int]:
    order = {k: i for i, k in enumerate(service.fields_of(election))}
    return lambda k: order.get(k, 999)


@login_required
def assign(request: AuthedRequest) -> HttpResponse:
    """Coordinators put relawan on TPS of their area."""
    scope = _managed(request)
    election = _election(request.POST.get("pemilu") or request.GET.get("pemilu"), scope)
    if request.method == "POST" and election is not None:
        kode = request.POST.get("kode_tps", "").strip()
        if not service.TPS_CODE.fullmatch(kode) or not _covers(request, election, kode):
            return HttpResponse("TPS di luar wilayah Anda", status=400)
        office = election.organisation
        user = (
            get_user_model()
            .objects.filter(
                Q(memberships__organisation=office) | Q(memberships__organisation__partner_of=office),
                username=request.POST.get("username", "").strip(),
                memberships__active=True,
            )
            .first()
        )
        if user is None:  # the same answer whether the name exists elsewhere or not at all
            return HttpResponse("relawan tidak ditemukan di KPU atau Ormas mitra pemilihan ini", status=400)
        refused = _assign_in_role(request, election, user, kode)
        if refused:
            return HttpResponse(refused, status=400)
        return redirect("tps_assign")
    assignments = TpsAssignment.objects.filter(election=election).select_related("user").order_by("kode_tps")
    # no election, no assignments: the list is empty then
    visible = [a for a in assignments if _covers(request, cast(Election, election), a.kode_tps)]
    context = {"election": election, "assignments": visible, "roles": TpsAssignment.Role.choices}
    return render(request, "results/assign.html", context)


def _assign_in_role(request: AuthedRequest, election: Election, user: User, kode: str) -> str:
    """Save the assignment in the role asked for (pemantau or saksi); the refusal's text, or "" when saved."""
    role = request.POST.get("role") or TpsAssignment.Role.OBSERVER
    mandate = request.POST.get("mandate_number", "").strip() if role == TpsAssignment.Role.WITNESS else ""
    assignment = TpsAssignment(election=election, user=user, kode_tps=kode, role=role, mandate_number=mandate)
    try:  # the unique constraint is left out: assigning again changes the role of the existing row
        assignment.full_clean(validate_constraints=False)
    except ValidationError as error:
        return " ".join(str(m) for messages in error.message_dict.values() for m in messages)
    TpsAssignment.objects.update_or_create(
        election=election, user=user, kode_tps=kode, defaults={"role": role, "mandate_number": mandate}
    )
    record("tps.assigned", request=request, obj=election, kode_tps=kode, user_id=user.pk, role=role)
    return ""


# --- tally -----------------------------------------------------------------------------------------------------


def tally_rows(election: Election, focus: str) -> dict:
    """``_tally_rows``, cached until the tally moves: election night's most read figures (public page and API)."""
    key = f"tally-rows:{election.pk}:{focus}:{service.tally_version(election.pk)}"
    rows = cache.get(key)
    if rows is None:
        rows = _tally_rows(election, focus)
        cache.set(key, rows, service.TALLY_CACHE_SECONDS)
    return rows


def _tally_rows(election: Election, focus: str) -> dict:
    """The unit in focus and its children (kota → kecamatan → kelurahan), with votes per paslon and turnout."""
    level = {4: 6, 6: 10}.get(len(focus), 6)
    nodes = TallyNode.objects.filter(election=election).prefetch_related("votes")
    top = nodes.filter(kode=focus).first()
    children = [n for n in nodes.filter(kode__startswith=focus) if len(n.kode) == level]
    reg = wilayah_registry()

    def describe(node: TallyNode) -> dict:
        votes = {v.paslon: v.votes for v in node.votes.all()}
        valid = node.suara_sah or sum(votes.values())
        unit = reg.get(node.kode)
        return {
            "kode": node.kode,
            "nama": unit.name if unit else node.kode,
            "tps_in": node.tps_in,
            "votes": [
                (i, votes.get(i, 0), votes.get(i, 0) / valid if valid else 0) for i in range(1, election.paslon + 1)
            ],
            "turnout": node.suara_total / node.dpt if node.dpt else None,
            "total": node.suara_total,
        }

    return {
        "top": describe(top) if top else None,
        "children": sorted((describe(c) for c in children), key=lambda r: r["kode"]),
    }


def _focus(request: HttpRequest, election: Election) -> str:
    focus = request.GET.get("wilayah", "").strip()
    if focus.isdigit() and len(focus) in (4, 6):
        return focus
    city = TallyNode.objects.filter(election=election, kode__regex=r"^\d{4}$").values_list("kode", flat=True).first()
    return city or "3671"


def tps_total(election: Election, focus: str) -> int | None:
    """How many TPS the unit has, from the latest DPT loaded for the election's KPU office (cached: the list does
    not change during the count)."""
    from kawal.engine import duckdb_connect
    from kawal.web.sampling.service import snapshot_source
    from kawal.web.voters.models import VoterList

    latest = (
        VoterList.objects.filter(organisation=election.organisation, stage="DPT", status=VoterList.Status.DONE)
        .order_by("-pk")
        .first()
    )
    if latest is None or not latest.snapshot:
        return None
    key = f"kawal-tps-total-{latest.pk}-{focus}"
    total = cache.get(key)
    if total is None:
        source, _sha, _name = snapshot_source(latest)
        total = (
            duckdb_connect()
            .execute(
                f"SELECT count(DISTINCT (kode_kelurahan, tps)) FROM {source} WHERE kode_kelurahan LIKE ? AND tps IS NOT NULL",
                [f"{focus}%"],
            )
            .fetchall()[0][0]
        )
        cache.set(key, total, 600)
    return int(total)


def _tally_context(request: HttpRequest, election: Election | None) -> dict:
    if election is None:
        return {"election": None}
    focus = _focus(request, election)
    data = tally_rows(election, focus)
    total_tps = TpsResult.objects.filter(election=election, kode_tps__startswith=focus).count()
    verified = TpsResult.objects.filter(
        election=election, kode_tps__startswith=focus, status=TpsResult.Status.VERIFIED
    ).count()
    kelurahan = {
        n.kode: n.tps_in
        for n in TallyNode.objects.filter(election=election, kode__startswith=focus[:4])
        if len(n.kode) == 10
    }
    cols = paper.columns(election)
    by_number = {c.number: c for c in cols}
    # each unit's votes with the candidate they went to, so every row of the table (a card on a phone) says who
    children = [c | {"named": [(by_number.get(n), n, v) for n, v, _s in c["votes"]]} for c in data["children"]]
    return {
        "election": election,
        "focus": focus,
        "tally": data,
        "children": children,
        "columns": cols,
        "top_votes": _named_votes(data["top"], cols),
        "winner_rule": paper.winner_rule(cols),
        "standing": paper.single_candidate_standing(cols, {n: s for n, _v, s in data["top"]["votes"]})
        if data["top"]
        else "",
        "entered": total_tps,
        "verified": verified,
        "tps_total": tps_total(election, focus),
        "conflicts": TpsResult.objects.filter(
            election=election, kode_tps__startswith=focus, status=TpsResult.Status.CONFLICT
        ).count(),
        "map": maps.choropleth({k: float(v) for k, v in kelurahan.items()}, maps.GREENS),
    }


def _named_votes(top: dict | None, cols: list) -> list[dict]:
    """The unit's votes per ballot column with the candidates' numbers and names (kolom kosong included)."""
    if not top:
        return []
    by_number = {c.number: c for c in cols}
    return [{"column": by_number.get(n), "number": n, "votes": v, "share": s} for n, v, s in top["votes"]]


@login_required
def tally(request: AuthedRequest) -> HttpResponse:
    scope = _managed(request)
    return render(request, "results/tally.html", _tally_context(request, _election(request.GET.get("pemilu"), scope)))


def export(request: HttpRequest, kind: str) -> HttpResponse:
    """Open data: the verified result of every TPS (CSV or JSON), no personal data."""
    election = _election(request.GET.get("pemilu"))
    rows = (
        TpsResult.objects.filter(election=election, status=TpsResult.Status.VERIFIED).order_by("kode_tps")
        if election
        else []
    )
    columns = ["kode_tps", *service.fields_of(election)] if election else ["kode_tps"]
    # verified rows: their numbers are set
    data = [{"kode_tps": r.kode_tps, **{c: cast(dict, r.verified).get(c) for c in columns[1:]}} for r in rows]
    if kind == "json":
        return JsonResponse(
            {"pemilihan": election.name if election else None, "tps": data}, json_dumps_params={"ensure_ascii": False}
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hasil-tps.csv"'
    out = csv.DictWriter(response, columns)
    out.writeheader()
    out.writerows(data)
    return response


# --- official data and discrepancies ----------------------------------------------------------------------------


@login_required
def discrepancies(request: AuthedRequest) -> HttpResponse:
    """Official (Sirekap) vs verified, largest difference first; KPU staff import the official file here."""
    from kawal.i18n import KawalError
    from kawal.web.results import official

    scope = _managed(request)
    election = _election(request.GET.get("pemilu") or request.POST.get("pemilu"), scope)
    message = ""
    if request.method == "POST" and election is not None and request.FILES.get("file"):
        admin = [
            m for m in scope.memberships
            if m.role == Role.KPU_ADMIN and m.organisation.pk == election.organisation_id
        ]  # fmt: skip
        if not admin:
            raise PermissionDenied
        upload = cast("UploadedFile", request.FILES["file"])  # one file under that name
        suffix = ".zip" if cast(str, upload.name).lower().endswith(".zip") else ".csv"  # an upload has a name
        path = stash(upload, suffix)
        try:
            loaded = official.import_official(election, path, within=admin[0].wilayah)
        except (KawalError, official.UNREADABLE) as problem:  # type: ignore[misc]  # nested tuple: valid Python
            message = str(problem) if isinstance(problem, KawalError) else "berkas tidak dapat dibaca"
        else:
            record("official.imported", request=request, obj=election, loaded=loaded.loaded, rejected=loaded.rejected)
            message = f"{loaded.loaded} TPS dibaca, {loaded.rejected} ditolak"
        finally:
            path.unlink(missing_ok=True)
    areas = service.managed_areas(request.user, election) if election else []
    rows = official.discrepancies(cast(Election, election), areas[0][0]) if areas else []  # areas: an election
    if request.GET.get("format") == "csv":
        return _discrepancy_csv(rows)
    return render(request, "results/discrepancies.html", {"election": election, "rows": rows[:500], "message": message})


def _discrepancy_csv(rows: list) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="selisih-resmi-terverifikasi.csv"'
    out = csv.writer(response)
    out.writerow(("kode_tps", "selisih", "kolom", "resmi", "terverifikasi", "foto"))
    for d in rows:
        for column, theirs, ours in d.fields:
            row = (d.kode_tps, d.size, column, theirs, ours, " ".join(f"/foto/{p}/" for p in d.photos))
            out.writerow([spreadsheet_safe(v) for v in row])
    return response


# --- quick count -----------------------------------------------------------------------------------------------


@login_required
def quick_count(request: AuthedRequest) -> HttpResponse:
    """Draw the TPS sample before election day (public phrase), then read the estimates as sampled TPS report."""
    from kawal.engine import allocate
    from kawal.i18n import KawalError
    from kawal.web.results.models import QuickCount
    from kawal.web.results.quick import estimates
    from kawal.web.sampling import service as sampling
    from kawal.web.voters.models import VoterList

    scope = _managed(request)
    election = _election(request.GET.get("pemilu") or request.POST.get("pemilu"), scope)
    lists = scope.voter_lists(VoterList.objects.filter(status=VoterList.Status.DONE))
    error = ""
    if request.method == "POST" and election is not None and not hasattr(election, "quick_count"):
        if not service.managed_areas(request.user, election):
            raise PermissionDenied
        voter_list = get_object_or_404(
            lists.filter(organisation=election.organisation), pk=request.POST.get("voter_list")
        )
        try:
            sizes = {k: units for k, (units, _v) in sampling.strata_sizes(voter_list, "tps", "kecamatan").items()}
            typed = (request.POST.get("n") or "400").strip().replace(".", "")  # "1.000", the Indonesian way
            per_stratum = allocate(sizes, int(typed))
            drawn = sampling.make_draw(
                voter_list, request.user, request.POST.get("phrase", ""), "tps", "kecamatan", per_stratum, plan={}
            )
        except (KawalError, ValueError) as problem:
            error = str(problem)
        else:
            QuickCount.objects.get_or_create(election=election, defaults={"sample": drawn})
            return redirect("quick_count")
    quick = QuickCount.objects.filter(election=election).select_related("sample").first() if election else None
    result = estimates(quick) if quick else None
    cols = paper.columns(election) if election else []
    named = {c.number: c for c in cols}
    shares = [{"column": named.get(n), "number": n, "e": e} for n, e in result["shares"].items()] if result else []
    context = {"election": election, "quick": quick, "result": result, "lists": lists, "error": error}
    standing = paper.single_candidate_standing(
        cols, {r["number"]: r["e"].ratio for r in shares if r["e"].ratio is not None}
    )
    return render(
        request,
        "results/quick_count.html",
        context | {"shares": shares, "winner_rule": paper.winner_rule(cols) if cols else "", "standing": standing},
    )
