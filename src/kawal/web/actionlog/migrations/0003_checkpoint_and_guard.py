"""Signed checkpoints of the log's head, and on PostgreSQL a trigger that refuses UPDATE and DELETE on the log and
its checkpoints, whoever sends them (queryset ``update()``/``delete()``, raw SQL, the admin site)."""

from django.db import migrations, models

TABLES = ("actionlog_actionlog", "actionlog_checkpoint")

REFUSE = """
CREATE OR REPLACE FUNCTION kawal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'kawal: %% is append-only (%% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (development, tests): the models' own guard only
    schema_editor.execute(REFUSE)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION kawal_append_only()"
        )


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS kawal_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("actionlog", "0002_hash_chain"),
    ]

    operations = [
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField()),
                ("seq", models.BigIntegerField()),
                ("entry_hash", models.CharField(max_length=64)),
                ("key_id", models.CharField(max_length=16)),
                ("signature", models.CharField(max_length=64)),
            ],
            options={
                "ordering": ["-seq", "-id"],
            },
        ),
        migrations.RunPython(guard, unguard),
    ]
