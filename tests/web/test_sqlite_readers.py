"""A background job writes to a table while a page is reading it (an upload's progress, polled by the list page):
on the test database, as on production's, the write goes through."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_a_job_writes_a_row_while_a_page_is_still_reading_its_table():
    user = User.objects.bulk_create([User(username=f"pembaca{i}") for i in range(3)])[0]
    errors: list[Exception] = []

    def job() -> None:  # its own thread, so its own connection, as the upload's worker has
        try:
            User.objects.filter(pk=user.pk).update(first_name="Tertulis")
        except Exception as error:  # whatever the write raised, reported below
            errors.append(error)
        finally:
            connection.close()

    with connection.cursor() as reading:
        reading.execute("SELECT id FROM auth_user ORDER BY id")  # a read not yet finished: one row of three taken
        reading.fetchone()
        worker = threading.Thread(target=job)
        worker.start()
        worker.join(timeout=60)
    assert errors == []
    assert User.objects.get(pk=user.pk).first_name == "Tertulis"
