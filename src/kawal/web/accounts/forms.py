from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from kawal.web.accounts.models import Invitation, Role


class JoinForm(UserCreationForm):
    """Create an account from an invitation: a username and a password, nothing else personal."""


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ("role", "wilayah", "rw", "rt")
        labels = {"role": _("Peran"), "wilayah": _("Kode wilayah"), "rw": "RW", "rt": "RT"}

    def __init__(self, *args: Any, allowed_roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [(r.value, r.label) for r in allowed_roles]
