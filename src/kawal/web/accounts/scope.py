"""What a user may see: every query of voters and findings goes through here.

A user sees the voter lists of the KPU office their organisation is (or partners with), and within them only
the rows of the wilayah of their memberships. How much of a person they see depends on their role there:
KPU roles see full NIK/NKK, Ormas coordinators see them masked as KPU publishes them, relawan see what a visit
needs (name, age, address, RT/RW, masked NIK): never a birth date or a digit derived from the NIK, which is why
the explanation of some findings is withheld from them (``DETAIL_FOR_RELAWAN``). Anonymous users see nothing
personal. Only active memberships count: a deactivated one opens nothing, tasks and TPS included.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.db.models import Q, QuerySet
from django.db.models.query import ModelIterable
from django.utils.translation import gettext

from kawal.web.accounts.models import KPU_ROLES, Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from kawal.web.voters.models import Finding

# Checks whose explanation a relawan may read: it speaks of places, ages, counts and other rows, never of the NIK's
# date digits or a birth date. NIK_TIDAK_COCOK ("the NIK says 12-05-87, the list 12-05-1987"; "the NIK says P, day
# 52") and NIK_TANGGAL name digits 7-12 of the NIK, which with the visible region code leave only the 4-digit
# serial to guess. A whitelist: a check added later stays hidden from relawan until someone decides otherwise.
DETAIL_FOR_RELAWAN = frozenset(
    {
        "NIK_FORMAT",
        "NIK_WILAYAH",
        "NIK_GANDA",
        "PEMILIH_GANDA",
        "DI_BAWAH_UMUR",
        "USIA_TIDAK_WAJAR",
        "DATA_TIDAK_LENGKAP",
        "TPS_PENUH",
        "KK_TERPISAH",
        "TPS_TIDAK_SESUAI_RT",
    }
)


def withheld_detail() -> str:
    return gettext("Rincian temuan ini memuat angka NIK atau tanggal lahir: hanya koordinator dan KPU yang melihatnya.")


class _FindingsForRelawan(ModelIterable):
    """Yields findings with the explanation withheld where the viewer is a relawan (see ``DETAIL_FOR_RELAWAN``).
    Set on the queryset, so it survives filtering, ordering, slicing and pagination, and every page and API call
    that reads findings through ``Scope.findings`` shows the same. Only the loaded object changes: views save
    findings with ``update_fields``, never the withheld text."""

    scope: Scope

    def __iter__(self) -> Iterator[object]:
        for finding in super().__iter__():
            if finding.check_code not in DETAIL_FOR_RELAWAN and self.scope.shows_relawan(finding):
                finding.detail = withheld_detail()
            yield finding


@dataclass(frozen=True)
class Scope:
    memberships: tuple[Membership, ...]

    @classmethod
    def for_user(cls, user: User | AnonymousUser) -> Scope:
        if not getattr(user, "is_authenticated", False):
            return cls(())
        # authenticated: checked above
        found = Membership.objects.filter(user=cast("User", user), active=True).select_related(
            "organisation__partner_of"
        )
        return cls(tuple(found))

    @property
    def empty(self) -> bool:
        return not self.memberships

    def with_roles(self, roles: tuple[Role, ...]) -> Scope:
        """The part of this scope held in one of ``roles``: what the user may do as, say, a coordinator, without
        the places where they are only a relawan."""
        return Scope(tuple(m for m in self.memberships if m.role in roles))

    def acting_for(self, roles: tuple[Role, ...]) -> set[int]:
        """Ids of the organisations this user may act in the name of, with one of ``roles``: their own, never the
        KPU office their Ormas partners, nor another Ormas."""
        return {m.organisation_id for m in self.memberships if m.role in roles}

    def _q(self, prefix: str, area_prefix: str) -> Q:
        q = Q(pk__in=[])
        for m in self.memberships:
            area = m.area_q(area_prefix)
            if m.rw is None and m.rt is None:
                # Rows whose kelurahan is missing belong to whoever covers the whole list's wilayah.
                area |= Q(**{f"{area_prefix}kode_kelurahan": "", f"{prefix}wilayah__startswith": m.wilayah})
            q |= Q(**{f"{prefix}organisation": m.organisation.kpu_office}) & area
        return q

    def voters(self, queryset: QuerySet) -> QuerySet:
        """``Voter`` rows this user may see."""
        return queryset.filter(self._q("voter_list__", ""))

    def findings(self, queryset: QuerySet) -> QuerySet:
        """``Finding`` rows this user may see (TPS findings have no RW/RT: only whole-kelurahan members see them),
        from each list's current audit (a re-audit supersedes the earlier one); where the user is a relawan, with
        the explanation of NIK-derived checks withheld."""
        found = queryset.filter(self._q("audit__voter_list__", ""), audit__superseded_at=None)
        if any(m.role == Role.RELAWAN for m in self.memberships):
            found._iterable_class = type("FindingsFor", (_FindingsForRelawan,), {"scope": self})
        return found

    def shows_relawan(self, finding: Finding) -> bool:
        """Whether this user sees ``finding`` as a relawan (their highest role over its place)."""
        return self.role_for(finding.kode_kelurahan, finding.rw, finding.rt) == Role.RELAWAN

    def tasks(self, queryset: QuerySet) -> QuerySet:
        """``FieldTask`` rows of this user's area."""
        return queryset.filter(self._q("voter_list__", ""))

    def voter_lists(self, queryset: QuerySet) -> QuerySet:
        offices = {m.organisation.kpu_office.pk for m in self.memberships}
        return queryset.filter(organisation__in=offices)

    def role_for(self, kode_kelurahan: str, rw: int | None, rt: int | None) -> Role | None:
        """The highest role this user holds over one place."""
        best = None
        for m in self.memberships:
            inside = kode_kelurahan.startswith(m.wilayah) and m.rw in (None, rw) and m.rt in (None, rt)
            if inside and (best is None or m.rank > best.rank):
                best = m
        return Role(best.role) if best else None

    def sees_full_numbers(self, kode_kelurahan: str, rw: int | None, rt: int | None) -> bool:
        return self.role_for(kode_kelurahan, rw, rt) in KPU_ROLES

    @property
    def highest_role(self) -> Role | None:
        ranked = sorted(self.memberships, key=lambda m: -m.rank)
        return Role(ranked[0].role) if ranked else None

    def can_upload(self) -> bool:
        return any(m.role in KPU_ROLES for m in self.memberships)
