"""Issue 17: an Ormas's accreditation as election observer (pemantau): number, issuer, validity."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kawal.web.accounts.models import Accreditation, Organisation, accredited_observers

pytestmark = pytest.mark.django_db


@pytest.fixture
def ormas(db):
    kpu = Organisation.objects.create(name="KPU Kota Tangerang", kind="kpu", wilayah="3671")
    return kpu, Organisation.objects.create(name="Ormas Contoh", kind="ormas", wilayah="3671", partner_of=kpu)


def test_the_valid_accreditation_names_the_observer(ormas):
    _kpu, org = ormas
    old = Accreditation.objects.create(organisation=org, number="01/PP.02/2020", issuer="KPU Kota Tangerang",
                                       valid_from=date(2020, 6, 1), valid_until=date(2020, 12, 31))  # fmt: skip
    new = Accreditation.objects.create(organisation=org, number="17/PP.02/2024", issuer="KPU Kota Tangerang",
                                       valid_from=date(2024, 9, 1), valid_until=date(2024, 12, 31))  # fmt: skip
    assert accredited_observers(date(2024, 11, 27)) == {org.pk: new}
    assert accredited_observers(date(2020, 12, 9)) == {org.pk: old}
    assert accredited_observers(date(2025, 1, 2)) == {}
    assert new.valid_on(date(2024, 11, 27)) and not new.valid_on(date(2025, 1, 1))


def test_accreditation_is_for_ormas_with_an_ordered_period_and_a_unique_number(ormas):
    kpu, org = ormas
    with pytest.raises(ValidationError, match="Ormas"):
        Accreditation(organisation=kpu, number="x", issuer="y", valid_from=date(2024, 1, 1),
                      valid_until=date(2024, 2, 1)).full_clean()  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Accreditation.objects.create(organisation=org, number="1", issuer="KPU", valid_from=date(2024, 2, 1),
                                     valid_until=date(2024, 1, 1))  # fmt: skip
    Accreditation.objects.create(organisation=org, number="2", issuer="KPU", valid_from=date(2024, 1, 1),
                                 valid_until=date(2024, 2, 1))  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Accreditation.objects.create(organisation=org, number="2", issuer="KPU", valid_from=date(2024, 1, 1),
                                     valid_until=date(2024, 2, 1))  # fmt: skip
