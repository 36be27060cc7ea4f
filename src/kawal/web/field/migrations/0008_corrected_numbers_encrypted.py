"""Corrected NIK/NKK values recorded before 0007 sat in ``VoterCheck.value`` in clear (issue 16): each moves to
``value_encrypted`` and ``value`` keeps the masked form, as record_visit writes them since."""

from django.db import migrations

NUMBERS = ("nik", "nkk")


def encrypt_clear_values(apps, schema_editor):
    from kawal.engine import MASK, mask
    from kawal.web.crypto import encrypt

    VoterCheck = apps.get_model("field", "VoterCheck")
    clear = VoterCheck.objects.filter(field__in=NUMBERS, value_encrypted="").exclude(value="")
    for check in clear.iterator(chunk_size=2000):
        number = check.value.strip()
        if MASK in number:  # already masked: nothing in clear to move
            continue
        check.value_encrypted, check.value = encrypt(number), mask(number)
        check.save(update_fields=["value", "value_encrypted"])


class Migration(migrations.Migration):
    dependencies = [("field", "0007_pps_tanggapan_documents_referrals_coklit")]

    operations = [migrations.RunPython(encrypt_clear_values, migrations.RunPython.noop)]
