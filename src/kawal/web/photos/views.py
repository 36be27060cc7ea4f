"""Show a photo to those allowed to see it: the copy without EXIF, never the original file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kawal.web.accounts.models import KPU_ROLES, Role
from kawal.web.accounts.scope import Scope
from kawal.web.actionlog.models import record
from kawal.web.field.models import FieldTask, VisitPhoto
from kawal.web.photos.models import Photo
from kawal.web.photos.store import derive

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http.response import HttpResponseBase

    from kawal.web.types import AuthedRequest


def can_view(user: User, photo: Photo) -> bool:
    """The relawan who took it, and the coordinators and KPU staff whose wilayah holds the visit, the sosialisasi
    event or the TPS it documents. Other relawan of the same area do not: a photo of a household or a form is
    evidence for its reviewers, not for the neighbours' volunteers."""
    if photo.uploaded_by_id == getattr(user, "pk", None):
        return True
    scope = Scope.for_user(user).with_roles((*KPU_ROLES, Role.COORDINATOR))
    if scope.empty:
        return False
    tasks = scope.tasks(FieldTask.unscoped.all())
    if VisitPhoto.objects.filter(photo=photo, visit__task__in=tasks).exists():
        return True
    from kawal.web.participation.views import events_in_scope
    from kawal.web.results.models import ResultEntry

    if events_in_scope(scope).filter(photos=photo).exists():
        return True
    managed = [m.wilayah for m in scope.memberships]
    forms = ResultEntry.objects.filter(photos=photo).values_list("kode_tps", flat=True)
    return any(kode.startswith(w) for kode in forms for w in managed)


@login_required
def show(request: AuthedRequest, pk: int) -> HttpResponseBase:
    photo = get_object_or_404(Photo, pk=pk)
    if not can_view(request.user, photo):
        return HttpResponse(status=404)  # same answer as a missing photo: ids reveal nothing
    derive(photo)  # normally done on the queue already; a photo viewed sooner is derived now
    if photo.damaged:
        return HttpResponse(_("Foto ini rusak: isinya tidak dapat dibaca. Minta relawan mengirim ulang."), status=410)
    if not photo.served:  # its files were erased (retention)
        return HttpResponse(status=404)
    record("photo.viewed", request=request, obj=photo)
    response = FileResponse(photo.served.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
