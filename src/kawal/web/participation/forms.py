"""The settings of an election that its KPU office may change: ballot reserve, most voters per TPS, DPS date."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kawal.web.participation.models import Election

MAX_RESERVE_PERCENT = Decimal(10)
PER_TPS_UPPER_BOUND = 1000  # a sanity bound on what can be typed, not the election fact (engine/elections.py)
PERCENT = Decimal(100)


def percent_text(fraction: Decimal) -> str:
    """0.025 → "2,5": the reserve as a KPU officer writes it."""
    text = format((fraction * PERCENT).normalize(), "f")
    return text.replace(".", ",")


class ElectionSettingsForm(forms.Form):
    ballot_reserve = forms.CharField(
        label=_("Cadangan surat suara (%)"),
        help_text=_("Bagian dari DPT, dalam persen. Pilkada 2,5%, Pemilu 2%. Boleh memakai koma: 2,5."),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 6}),
    )
    max_per_tps = forms.IntegerField(
        label=_("Maksimum pemilih per TPS"),
        help_text=_("Pilkada 600, Pemilu 300."),
        min_value=1,
        max_value=PER_TPS_UPPER_BOUND,
        error_messages={
            "invalid": _("Maksimum pemilih per TPS harus bilangan bulat antara 1 dan 1000."),
            "required": _("Maksimum pemilih per TPS wajib diisi."),
            "min_value": _("Maksimum pemilih per TPS harus bilangan bulat antara 1 dan 1000."),
            "max_value": _("Maksimum pemilih per TPS harus bilangan bulat antara 1 dan 1000."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    dps_posted_on = forms.DateField(
        label=_("Tanggal pengumuman DPS"),
        help_text=_("Boleh kosong. Masa tanggapan masyarakat dihitung dari tanggal ini (10 hari)."),
        required=False,
        error_messages={"invalid": _("Tanggal pengumuman DPS tidak terbaca. Pakai bentuk tanggal yang benar.")},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, election: Election, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "ballot_reserve": percent_text(election.ballot_reserve),
                "max_per_tps": election.max_per_tps,
                "dps_posted_on": election.dps_posted_on,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["ballot_reserve"].error_messages["required"] = _("Cadangan surat suara wajib diisi.")

    def clean_ballot_reserve(self) -> Decimal:
        """A percentage, "2,5" or "2.5", 0–10 with at most two decimals, returned as a fraction of the DPT."""
        text = self.cleaned_data["ballot_reserve"].strip().replace("%", "").strip().replace(",", ".")
        problem = _("Cadangan surat suara harus angka persen antara 0 dan 10, misalnya 2,5.")
        try:
            percent = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(problem, code="invalid") from None
        if not percent.is_finite() or not 0 <= percent <= MAX_RESERVE_PERCENT:
            raise forms.ValidationError(problem, code="range")
        if percent != percent.quantize(Decimal("0.01")):
            raise forms.ValidationError(
                _("Cadangan surat suara paling banyak dua angka di belakang koma, misalnya 2,25."), code="precision"
            )
        return (percent / PERCENT).quantize(Decimal("0.0001"))

    def changes(self, election: Election) -> dict[str, dict[str, Any]]:
        """Each setting that differs from the election's, as ``{field: {"old": …, "new": …}}``."""
        found = {}
        for name in ("ballot_reserve", "max_per_tps", "dps_posted_on"):
            old, new = getattr(election, name), self.cleaned_data[name]
            if name == "ballot_reserve":
                old = Decimal(old)
            if old != new:
                found[name] = {"old": old, "new": new}
        return found
