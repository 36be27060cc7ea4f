"""``GET /api/v1/tally``: the verified tally, public (no account, no personal data), as ``/publik/hasil/`` shows it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from kawal.web.api_types import Code, Id

router = Router(tags=["public"])  # mounted at the API's root: the paths below are written in full


@router.get("/tally", auth=None)
def tally(request: HttpRequest, wilayah: Code = "", pemilu: Id | None = None) -> dict:
    """The verified tally of a unit and its children (public, no personal data), as the tally page shows it, with
    the candidates by ballot number and name (``kandidat``: the order of every ``votes`` list)."""
    from kawal.web.public.candidates import names
    from kawal.web.results.views import _election, tally_rows

    election = _election(pemilu)
    if election is None:
        raise HttpError(404, "belum ada pemilihan")
    focus = wilayah if len(wilayah) in (4, 6) else "3671"  # Code: ASCII digits only
    kandidat = [{"nomor": n, "nama": nama} for n, nama in sorted(names(election).items())]
    return {"pemilihan": election.name, "wilayah": focus, "kandidat": kandidat, **tally_rows(election, focus)}
