"""What a user may see: every query of voters and findings goes through here.

A user sees the voter lists of the KPU office their organisation is (or partners with), and within them only
the rows of the wilayah of their memberships. How much of a person they see depends on their role there:
KPU roles see full NIK/NKK, Ormas coordinators see them masked as KPU publishes them, relawan see what a visit
needs (name, age, address, RT/RW, masked NIK). Anonymous users see nothing personal.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from kawal.web.accounts.models import KPU_ROLES, Membership, Role


@dataclass(frozen=True)
class Scope:
    memberships: tuple[Membership, ...]

    @classmethod
    def for_user(cls, user: object) -> Scope:
        if not getattr(user, "is_authenticated", False):
            return cls(())
        found = Membership.objects.filter(user=user, active=True).select_related("organisation__partner_of")
        return cls(tuple(found))

    @property
    def empty(self) -> bool:
        return not self.memberships

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
        from each list's current audit (a re-audit supersedes the earlier one)."""
        return queryset.filter(self._q("audit__voter_list__", ""), audit__superseded_at=None)

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
