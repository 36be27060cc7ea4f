"""An election's rules as settings: its kind (the facts it starts from), the most voters per TPS and the ballot
reserve. Existing rows take the facts of their pemilihan's kind (``ppwp`` … a Pemilu, else a Pilkada)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import django.core.validators
from django.db import migrations, models

from kawal.engine import DEFAULT_ELECTION, election_for_pemilihan

if TYPE_CHECKING:
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.migrations.state import StateApps


def fill_from_facts(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Election = apps.get_model("participation", "Election")
    for election in Election.objects.all():
        facts = election_for_pemilihan(election.pemilihan)
        election.scheme, election.max_per_tps = facts.key, facts.max_per_tps
        election.ballot_reserve = facts.ballot_reserve
        election.save(update_fields=["scheme", "max_per_tps", "ballot_reserve"])


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0002_election_paslon"),
    ]

    operations = [
        migrations.AddField(
            model_name="election",
            name="scheme",
            field=models.CharField(
                blank=True,
                choices=[("pilkada2024", "Pilkada 2024"), ("pemilu2024", "Pemilu 2024")],
                default=DEFAULT_ELECTION.key,
                max_length=20,
                verbose_name="jenis pemilihan",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="election",
            name="max_per_tps",
            field=models.PositiveIntegerField(
                blank=True, default=DEFAULT_ELECTION.max_per_tps, verbose_name="maksimum pemilih per TPS"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="election",
            name="ballot_reserve",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                default=DEFAULT_ELECTION.ballot_reserve,
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("0.5")),
                ],
                verbose_name="cadangan surat suara (bagian dari DPT)",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_from_facts, migrations.RunPython.noop),
    ]
