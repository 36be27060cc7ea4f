"""The paslon of an election, entered by its own KPU office in ballot order (nomor urut), including a
single-candidate race: one paslon and the *kolom kosong*, stored as the next number (see
:class:`kawal.web.results.models.Candidate`). ``Election.paslon`` follows: it counts the ballot's columns, so the
C.Hasil form, the rules and the tally all see the same ballot.

Numbers stay where they are: a name is changed in place, and only the last numbers can be removed. Once results
are stored, a change that would drop a column with stored votes is refused, and so is one that would turn such a
column into another kind (switching calon tunggal off or on: the kolom kosong becoming a pair, or a pair the kolom
kosong), since its votes would then count for the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kawal.engine import paslon
from kawal.web.actionlog.models import record
from kawal.web.participation.models import Election
from kawal.web.participation.views import own_election
from kawal.web.results import paper
from kawal.web.results.models import Candidate, OfficialResult, ResultEntry, TallyVote, TpsResult

if TYPE_CHECKING:
    from kawal.web.types import AuthedRequest

MAX_NAMES = 20  # name boxes on the page at most; no Pilkada has come near (2024: at most six pairs)
SPARE = 2  # empty boxes after the last paslon, to add one without another page
NAME_LENGTH = Candidate._meta.get_field("name").max_length


@dataclass(frozen=True)
class Ballot:
    """The ballot's columns as the form says them: the pairs' names in order, and whether a kolom kosong follows."""

    names: tuple[str, ...]
    kolom_kosong: bool

    @property
    def columns(self) -> int:
        return len(self.names) + (1 if self.kolom_kosong else 0)


def current(election: Election) -> Ballot:
    """The ballot as stored: the pairs' names by number (kolom kosong apart; a number without a row is blank)."""
    rows = list(Candidate.objects.filter(election=election))
    named = {c.number: c.name for c in rows if not c.kolom_kosong}
    names = tuple(named.get(n, "") for n in range(1, max(named, default=0) + 1))
    return Ballot(names, any(c.kolom_kosong for c in rows))


def single_candidate_rule() -> str:
    """The winner rule of a single-candidate race, in the C.Hasil's own words."""
    return paper.winner_rule([paper.Column(2, paslon(2), "", kolom_kosong=True)])


class CandidatesForm(forms.Form):
    calon_tunggal = forms.BooleanField(
        label=_("Calon tunggal (ada kolom kosong)"),
        required=False,
        help_text=_("Centang bila hanya ada satu paslon. Surat suara lalu memuat paslon nomor 1 dan kolom kosong."),
    )

    def __init__(self, *args: Any, election: Election, **kwargs: Any) -> None:
        ballot = current(election)
        stored = max(len(ballot.names), election.paslon - (1 if ballot.kolom_kosong else 0))
        self.slots = min(MAX_NAMES, max(stored + SPARE, 3))
        initial: dict[str, Any] = {f"nama_{i}": name for i, name in enumerate(ballot.names, start=1)}
        initial["calon_tunggal"] = ballot.kolom_kosong
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        names = {
            f"nama_{i}": forms.CharField(
                label=_("Paslon nomor urut %(n)s") % {"n": i},
                required=False,
                max_length=NAME_LENGTH,
                help_text=_("Nama pasangan calon seperti di surat suara. Kosongkan bila tidak ada.") if i == 1 else "",
                error_messages={"max_length": _("Nama paslon paling panjang %(limit_value)d huruf.")},
                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
            )
            for i in range(1, self.slots + 1)
        }
        self.fields = {**names, "calon_tunggal": self.fields["calon_tunggal"]}

    def name_fields(self) -> list[forms.BoundField]:
        return [self[f"nama_{i}"] for i in range(1, self.slots + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = [" ".join((data.get(f"nama_{i}") or "").split()) for i in range(1, self.slots + 1)]
        while names and not names[-1]:
            names.pop()
        single = bool(data.get("calon_tunggal"))
        if not names:
            raise forms.ValidationError(_("Isi nama paslon, mulai dari nomor urut 1."), code="empty")
        for i, name in enumerate(names, start=1):
            if not name:
                self.add_error(
                    f"nama_{i}",
                    forms.ValidationError(
                        _(
                            "Nomor urut %(n)s kosong, padahal nomor sesudahnya terisi. Isi nama ini, atau kosongkan "
                            "juga nomor sesudahnya: nomor urut tidak boleh dilompati."
                        ),
                        code="gap",
                        params={"n": i},
                    ),
                )
        if single and len(names) > 1:
            self.add_error(
                "calon_tunggal",
                forms.ValidationError(
                    _(
                        "Calon tunggal berarti hanya satu paslon, tetapi ada %(count)s nama. Kosongkan nama paslon "
                        "nomor 2 dan seterusnya, atau hapus centang calon tunggal."
                    ),
                    code="single_many",
                    params={"count": len(names)},
                ),
            )
        if not single and len(names) == 1:
            self.add_error(
                "calon_tunggal",
                forms.ValidationError(
                    _(
                        "Hanya ada satu paslon: itu pemilihan calon tunggal. Centang calon tunggal agar kolom "
                        "kosong ada di surat suara, atau isi nama paslon lain."
                    ),
                    code="single_missing",
                ),
            )
        if not self.errors:
            data["ballot"] = Ballot(tuple(names), single)
        return data


def stored_votes(election: Election, numbers: list[int]) -> list[int]:
    """Those of ``numbers`` for which a result of the election holds votes: a witness's or coordinator's reading,
    a verified TPS, KPU's official numbers, or a tally."""
    if not numbers:
        return []
    keys = [paslon(n) for n in numbers]
    found = set(
        TallyVote.objects.filter(node__election=election, paslon__in=numbers)
        .exclude(votes=0)
        .values_list("paslon", flat=True)
    )
    for rows, field in (
        (ResultEntry.objects.filter(election=election), "numbers"),
        (TpsResult.objects.filter(election=election), "verified"),
        (OfficialResult.objects.filter(election=election), "numbers"),
    ):
        for stored in rows.filter(**{f"{field}__has_any_keys": keys}).values_list(field, flat=True):
            found.update(n for n in numbers if isinstance(stored, dict) and stored.get(paslon(n)) is not None)
    return sorted(found)


def retyped(old: Ballot, new: Ballot) -> list[int]:
    """Numbers that stay on the ballot but change kind: the kolom kosong becoming a pair (calon tunggal switched
    off) or a pair becoming the kolom kosong (switched on). Votes stored for such a number would silently count
    for the other kind."""
    old_empty = len(old.names) + 1 if old.kolom_kosong else None
    new_empty = len(new.names) + 1 if new.kolom_kosong else None
    if old_empty == new_empty:
        return []
    return sorted(n for n in {old_empty, new_empty} if n is not None and n <= new.columns)


def retyped_refusal(old: Ballot, numbers: list[int]) -> str:
    """Why a change that turns columns with stored votes into another kind is refused, in the user's language."""
    empty = len(old.names) + 1 if old.kolom_kosong else None
    if empty in numbers:
        return gettext(
            "Tidak bisa disimpan: sudah ada hasil TPS dengan suara untuk kolom kosong (nomor urut %(n)s). Tanpa "
            "calon tunggal, kolom itu menjadi paslon nomor urut %(n)s dan suara kolom kosong akan terhitung untuknya. "
            "Biarkan calon tunggal tercentang."
        ) % {"n": empty}
    return gettext(
        "Tidak bisa disimpan: sudah ada hasil TPS dengan suara untuk paslon nomor urut %(numbers)s. Dengan calon "
        "tunggal, kolom itu menjadi kolom kosong dan suara paslon itu akan terhitung untuk kolom kosong."
    ) % {"numbers": ", ".join(str(n) for n in numbers)}


def changes(election: Election, old: Ballot, new: Ballot) -> dict[str, Any]:
    """What differs, as numbers only (the log holds no names): the column count, where the kolom kosong is, and
    which numbers were added, removed or renamed."""
    found: dict[str, Any] = {}
    if election.paslon != new.columns:
        found["paslon"] = {"old": election.paslon, "new": new.columns}
    old_empty = len(old.names) + 1 if old.kolom_kosong else None
    new_empty = len(new.names) + 1 if new.kolom_kosong else None
    if old_empty != new_empty:
        found["kolom_kosong"] = {"old": old_empty, "new": new_empty}
    both = min(len(old.names), len(new.names))
    renamed = [i for i in range(1, both + 1) if old.names[i - 1] != new.names[i - 1]]
    if renamed:
        found["renamed"] = renamed
    if len(new.names) != len(old.names):
        found["named"] = {"old": len(old.names), "new": len(new.names)}
    return found


def save(election: Election, ballot: Ballot) -> None:
    """Rows for 1..N in place (numbers stay), the kolom kosong after them, anything beyond removed; and the count."""
    rows = [(i, name, False) for i, name in enumerate(ballot.names, start=1)]
    if ballot.kolom_kosong:
        rows.append((len(ballot.names) + 1, "", True))
    for number, name, empty in rows:
        Candidate.objects.update_or_create(
            election=election, number=number, defaults={"name": name, "kolom_kosong": empty}
        )
    Candidate.objects.filter(election=election, number__gt=ballot.columns).delete()
    TallyVote.objects.filter(node__election=election, paslon__gt=ballot.columns, votes=0).delete()
    if election.paslon != ballot.columns:
        election.paslon = ballot.columns
        election.save(update_fields=["paslon"])


@login_required
def election_candidates(request: AuthedRequest, pk: int) -> HttpResponse:
    """KPU staff of the election's own office enter its paslon in ballot order, a single-candidate race with its
    kolom kosong. Every change is logged with its old and new value (numbers, never names)."""
    election = own_election(request, pk)
    saved = False
    if request.method == "POST":
        form = CandidatesForm(request.POST, election=election)
        if form.is_valid():
            with transaction.atomic():
                election = Election.objects.select_for_update().get(pk=election.pk)
                old, new = current(election), form.cleaned_data["ballot"]
                dropped = stored_votes(election, list(range(new.columns + 1, election.paslon + 1)))
                kind_changed = [] if dropped else stored_votes(election, retyped(old, new))
                if kind_changed:
                    form.add_error(None, retyped_refusal(old, kind_changed))
                elif dropped:
                    form.add_error(
                        None,
                        gettext(
                            "Tidak bisa disimpan: sudah ada hasil TPS dengan suara untuk nomor urut %(numbers)s. "
                            "Surat suara harus tetap memuat %(old)s kolom agar suara itu tidak hilang; perubahan ini "
                            "membuatnya %(new)s kolom."
                        )
                        % {"numbers": ", ".join(str(n) for n in dropped), "old": election.paslon, "new": new.columns},
                    )
                else:
                    found = changes(election, old, new)
                    if found:
                        save(election, new)
                        record(
                            "election.candidates",
                            request=request,
                            obj=election,
                            organisation=election.organisation,
                            changes=found,
                        )
                    return redirect(f"{request.path}?tersimpan=1")
    else:
        form = CandidatesForm(election=election)
        saved = request.GET.get("tersimpan") == "1"
    cols = paper.columns(election)
    context = {
        "election": election,
        "form": form,
        "saved": saved,
        "columns": cols,
        "single": paper.single_candidate(cols),
        "winner_rule": paper.winner_rule(cols),
        "single_rule": single_candidate_rule(),
    }
    return render(request, "participation/election_candidates.html", context)


# Reached from kawal/web/urls.py by ``include``, so the page is one line there.
urlpatterns = [path("", election_candidates, name="election_candidates")]
