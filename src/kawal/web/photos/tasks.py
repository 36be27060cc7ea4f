"""The photo work that waits for the task queue: the served copy of each upload (see ``store.py``)."""

from __future__ import annotations

from django_tasks import task

from kawal.web.photos.models import Photo
from kawal.web.photos.store import derive
from kawal.web.task_errors import without_exception_text

QUEUE = "photos"


@task(queue_name=QUEUE)
@without_exception_text
def derive_served(photo_id: int) -> None:
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is not None:
        derive(photo)
