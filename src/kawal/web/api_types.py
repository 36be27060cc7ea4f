"""What the API's routers share (``web/api.py`` mounts them): the bounds on what a client may send, the photo
reference of visits and C.Hasil entries, and the signed-in user and scope of a request. Nothing here imports a
router, so every ``<app>/api.py`` can import it without a cycle."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, cast

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, Field
from pydantic.fields import FieldInfo

from kawal.web.accounts.scope import Scope

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# --- what the API accepts: every number, date and text bounded in the schema itself, so that whatever a client
# sends is either inside what the database and the code can hold or refused with 422 before any query runs. -----

Bounded = Annotated[int, Field(ge=0, le=99_999)]  # RW, RT and TPS numbers: out-of-range ones are refused, not queried
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a row id: what a signed 64-bit column holds
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refused here, not by the database after the checks


def text(max_length: int) -> FieldInfo:
    """Text of at most ``max_length`` characters (within the column it is stored in) and no NUL: the constraint of
    an ``Annotated[str, text(n)]`` field (a type the checker reads as ``str``)."""
    return Field(max_length=max_length, pattern=NO_NUL)


Code = Annotated[str, Field(max_length=10, pattern=r"^[0-9]*$")]  # a wilayah code prefix, ASCII digits only
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _in_our_time(value: datetime) -> datetime:
    """A moment of fieldwork: 2000 to 2100. Year 9999 at -05:00 or year 1 at +07:00 parse as datetimes, but lie
    outside the calendar once turned into UTC; they are refused here instead of failing in the database."""
    try:
        aware = value if value.tzinfo is not None else timezone.make_aware(value)
        inside = EARLIEST <= aware.astimezone(UTC) < LATEST
    except (OverflowError, ValueError):
        inside = False
    if not inside:
        raise ValueError("waktu harus antara tahun 2000 dan 2100")
    return aware


def _born_in_our_time(value: date) -> date:
    if not date(1900, 1, 1) <= value <= date(2100, 12, 31):
        raise ValueError("tanggal lahir harus antara 1900 dan 2100")
    return value


Moment = Annotated[datetime, AfterValidator(_in_our_time)]
BirthDate = Annotated[date, AfterValidator(_born_in_our_time)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class PhotoRefSchema(Schema):  # a photo uploaded before (POST /photos) that a visit or C.Hasil entry names
    client_id: uuid.UUID
    voter_id: Id | None = None


def scope_of(request: HttpRequest) -> Scope:
    return Scope.for_user(request.user)


def user_of(request: HttpRequest) -> User:
    """The signed-in user: the API's auth admits no one else (views marked ``auth=None`` never call this)."""
    return cast("User", request.user)
