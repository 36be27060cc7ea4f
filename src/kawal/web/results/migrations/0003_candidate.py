import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0002_election_paslon"),
        ("results", "0002_quickcount_officialresult"),
    ]

    operations = [
        migrations.CreateModel(
            name="Candidate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveSmallIntegerField(verbose_name="nomor urut")),
                ("name", models.CharField(blank=True, max_length=200, verbose_name="nama pasangan calon")),
                ("kolom_kosong", models.BooleanField(default=False, verbose_name="kolom kosong")),
                (
                    "election",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="candidates",
                        to="participation.election",
                    ),
                ),
            ],
            options={
                "ordering": ["election", "number"],
                "constraints": [
                    models.UniqueConstraint(fields=("election", "number"), name="one_candidate_per_number")
                ],
            },
        ),
    ]
